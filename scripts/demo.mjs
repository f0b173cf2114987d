#!/usr/bin/env node
// `npm run demo`: prepare the SQLite database, seed the demo marketplace (first run, or
// with --reset), build the app if needed and start it on http://127.0.0.1:$PORT in demo
// mode. Demo mode needs no Shopify account and refuses NODE_ENV=production.
//
// One demo per database file: a second `npm run demo` on the same file (the same folder, by default)
// says where the first one is serving and stops before touching the database; one on another file
// but the same port says the port is taken. Each demo records itself in .cache/demo/ while it runs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
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

const dbFile = process.env.DATABASE_URL.startsWith("file:") ? path.resolve(process.env.DATABASE_URL.slice(5).replace(/\?.*$/, "")) : null;
const port = Number(process.env.PORT || 3000);
const shown = (file) => path.relative(process.cwd(), file) || file;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Records this demo for its database file, or exits with where the demo already using it is. */
function claimDatabase(file) {
  const lock = path.join(root, ".cache", "demo", `${createHash("sha256").update(file).digest("hex").slice(0, 16)}.json`);
  mkdirSync(path.dirname(lock), { recursive: true });
  const mine = { pid: process.pid, database: file, url: null, port, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify(mine), { flag: "wx" });
      process.on("exit", () => {
        try {
          if (JSON.parse(readFileSync(lock, "utf8")).pid === process.pid) rmSync(lock);
        } catch {
          // already gone
        }
      });
      return (url) => writeFileSync(lock, JSON.stringify({ ...mine, url }));
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let other = null;
    try {
      other = JSON.parse(readFileSync(lock, "utf8"));
    } catch {
      // damaged: treated as left behind
    }
    if (other && alive(other.pid)) {
      const where = other.url ? `serving ${other.url}` : `still starting, on port ${other.port}`;
      console.error(
        [
          `A Nearhub demo is already running on ${shown(file)} (process ${other.pid}, ${where}).`,
          other.url ? `Open ${other.url}/app, or stop that demo (Ctrl-C in its terminal) before starting it again.` : "Wait for it, or stop it (Ctrl-C in its terminal) first.",
          "To run a second demo beside it, give it its own database and port:",
          `  DATABASE_URL=file:./prisma/demo-2.db PORT=${port + 1} npm run demo`,
        ].join("\n"),
      );
      process.exit(1);
    }
    rmSync(lock, { force: true }); // left by a demo that was killed
  }
  throw new Error(`could not record the demo in ${lock}`);
}

/** Exits with a plain sentence when something already listens on the demo's port. */
async function checkPortFree() {
  const probe = net.createServer();
  const error = await new Promise((resolve) => {
    probe.once("error", resolve);
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(null)));
  });
  if (error?.code === "EADDRINUSE") {
    console.error(`Port ${port} on 127.0.0.1 is in use (another demo on another database, or another program). Start this one on another port: PORT=${port + 1} npm run demo`);
    process.exit(1);
  }
}

const recordUrl = dbFile ? claimDatabase(dbFile) : () => {};
await checkPortFree();
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
recordUrl(url);
console.log(`\nDemo admin: ${url}/app   (open API key: see README)`);
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
