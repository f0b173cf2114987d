#!/usr/bin/env node
// npm run db:prepare: applies pending migrations to DATABASE_URL (default: the SQLite file prisma/dev.db).
// Safe to run again (nothing pending, nothing done) and from several processes at once (they wait for
// each other's lock). SQLite via `prisma migrate deploy`; PostgreSQL via scripts/lib/migrate.mjs.
// See docs/decisions/0002-databases-and-migrations.md.
import { databaseKind, defaultDatabaseUrl, migrate, redact } from "./lib/migrate.mjs";

const url = process.env.DATABASE_URL || defaultDatabaseUrl;
const started = Date.now();
try {
  const kind = databaseKind(url);
  const { applied, total } = await migrate(url, { log: (line) => console.log(`  ${line}`) });
  const what = applied.length === 0 ? `up to date (${total} migration${total === 1 ? "" : "s"} applied)` : `applied ${applied.length} of ${total} migration${total === 1 ? "" : "s"}`;
  console.log(`db:prepare: ${kind} ${redact(url)}: ${what} in ${Date.now() - started} ms`);
} catch (error) {
  console.error(`db:prepare: ${redact(url)}: ${/** @type {Error} */ (error).message}`);
  process.exitCode = 1;
}
