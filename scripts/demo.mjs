#!/usr/bin/env node
// `npm run demo`: prepare the SQLite database, seed the demo marketplace (first run, or
// with --reset), build the app if needed and start it on http://127.0.0.1:$PORT in demo
// mode. Demo mode needs no Shopify account and refuses NODE_ENV=production.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));

if (process.env.NODE_ENV === "production") {
  console.error("Refusing to start demo mode with NODE_ENV=production.");
  process.exit(1);
}
process.env.NEARHUB_DEMO = "1";
process.env.DATABASE_URL ??= `file:${path.join(root, "prisma", "demo.db")}`;

function run(label, command, commandArgs, env = {}) {
  console.log(`\n▸ ${label}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  const built = path.join(root, "build", "server", "index.js");
  if (!existsSync(built)) return true;
  return newestMtime(path.join(root, "app")) > statSync(built).mtimeMs;
}

const dbFile = process.env.DATABASE_URL.startsWith("file:") ? process.env.DATABASE_URL.slice(5) : null;
const freshDatabase = dbFile !== null && !existsSync(dbFile);

run("Preparing the database", process.execPath, [path.join(root, "scripts", "db-prepare.mjs")]);
if (freshDatabase || args.has("--reset")) {
  // The seed runs the routing service on the latest orders (and the demo store refuses one move on
  // purpose): its logs would only repeat what the routing log shows.
  run("Seeding the demo marketplace", process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "prisma", "seed.ts")], {
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  });
} else {
  console.log("\n▸ Keeping the existing demo data (run `npm run demo -- --reset` to reseed)");
}
if (buildIsStale() || args.has("--build")) {
  run("Building the app", process.execPath, [path.join(root, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"]);
}

const { startServer } = await import(path.join(root, "server.mjs"));
const { server, url } = await startServer();
console.log(`\nDemo admin: ${url}/app   (open API key: see README)`);
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
