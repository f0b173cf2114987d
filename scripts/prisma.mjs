#!/usr/bin/env node
// One schema, two generated clients, no downloads (docs/decisions/0002-databases-and-migrations.md).
//
//   node scripts/prisma.mjs generate          derive prisma/pg/schema.prisma, generate both clients
//   node scripts/prisma.mjs pg-schema         only derive prisma/pg/schema.prisma
//   node scripts/prisma.mjs pg <args...>      the Prisma CLI on the PostgreSQL schema (DATABASE_URL if set)
//   node scripts/prisma.mjs sqlite <args...>  the Prisma CLI on the SQLite schema (DATABASE_URL if set)
//
// `generate` is `npm run prisma:generate` and `postinstall`; it needs no DATABASE_URL and no network.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pgClientDir, runPrisma, writePgSchema } from "./lib/prisma-cli.mjs";

const [command = "generate", ...rest] = process.argv.slice(2);

function generate() {
  const started = Date.now();
  writePgSchema();
  for (const provider of /** @type {const} */ (["sqlite", "postgresql"])) {
    const r = runPrisma(provider, ["generate"], { capture: true });
    if (r.status !== 0) {
      process.stderr.write(r.stdout + r.stderr);
      throw new Error(`prisma generate (${provider}) failed`);
    }
  }
  shareRuntime();
  console.log(`prisma: generated @prisma/client (sqlite) and .prisma/client-pg (postgresql) in ${Date.now() - started} ms`);
}

// Prisma copies its runtime into a client generated to a custom output. Point the PostgreSQL client
// at @prisma/client's runtime instead (the same file of the same version, less a comment header), so
// that Prisma.PrismaClientKnownRequestError & co. are the same classes for both clients and
// `error instanceof Prisma.PrismaClientKnownRequestError` works on either database.
function shareRuntime() {
  const file = path.join(pgClientDir, "index.js");
  const before = readFileSync(file, "utf8");
  const after = before.replaceAll("require('./runtime/client.js')", "require('@prisma/client/runtime/client.js')");
  if (!after.includes("require('@prisma/client/runtime/client.js')")) {
    throw new Error(`${file}: did not find the runtime require to share; has the Prisma client layout changed?`);
  }
  if (after !== before) writeFileSync(file, after);
}

function passthrough(provider) {
  if (provider === "postgresql") writePgSchema();
  const url = process.env.DATABASE_URL;
  const r = runPrisma(provider, rest, { url: url === undefined ? undefined : url });
  process.exitCode = r.status;
}

switch (command) {
  case "generate":
    generate();
    break;
  case "pg-schema":
    console.log(`wrote ${path.relative(process.cwd(), writePgSchema())}`);
    break;
  case "pg":
    passthrough("postgresql");
    break;
  case "sqlite":
    passthrough("sqlite");
    break;
  default:
    console.error(`unknown command ${command}; use generate | pg-schema | pg <args> | sqlite <args>`);
    process.exitCode = 2;
}
