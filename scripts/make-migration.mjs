#!/usr/bin/env node
// npm run migrations:make -- <name>   writes the next migration for SQLite and PostgreSQL from prisma/schema.prisma
// npm run migrations:make -- --check  exits 1 if the schema has changes that no migration covers yet
// Offline: no database is needed (docs/decisions/0002-databases-and-migrations.md).
import path from "node:path";
import { makeMigration, pendingSchemaChanges } from "./lib/migrations.mjs";
import { root } from "./lib/prisma-cli.mjs";

const args = process.argv.slice(2);

if (args.includes("--check")) {
  let dirty = false;
  for (const provider of /** @type {const} */ (["sqlite", "postgresql"])) {
    const sql = pendingSchemaChanges(provider);
    if (sql) {
      dirty = true;
      const lines = sql.split("\n");
      const shown = lines.length > 60 ? [...lines.slice(0, 60), `... (${lines.length - 60} more lines)`] : lines;
      console.error(`${provider}: prisma/schema.prisma has changes without a migration:\n${shown.join("\n")}`);
    } else console.log(`${provider}: migrations are up to date with prisma/schema.prisma`);
  }
  if (dirty) console.error("run: npm run migrations:make -- <name>");
  process.exitCode = dirty ? 1 : 0;
} else {
  const name = args.filter((a) => !a.startsWith("-")).join("_");
  if (!name) {
    console.error("usage: npm run migrations:make -- <name>   (or --check)");
    process.exit(2);
  }
  const written = makeMigration(name);
  for (const { provider, dir } of written) {
    console.log(`${provider.padEnd(10)} ${dir ? `wrote ${path.relative(root, dir)}/migration.sql` : "no changes"}`);
  }
  if (written.every((w) => !w.dir)) console.log("The schema matches the last migration; nothing written.");
  else console.log("Review the SQL, then apply it with: npm run db:prepare");
}
