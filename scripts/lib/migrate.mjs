// Applies pending migrations to a database (docs/decisions/0002-databases-and-migrations.md).
//
// SQLite: `prisma migrate deploy` (offline through the JS engine and the better-sqlite3 adapter; Prisma
// holds an exclusive lock on the file while it migrates, so concurrent runs wait for each other).
// PostgreSQL: Prisma's CLI cannot deploy through @prisma/adapter-pg (it rejects catalog column types),
// so a small node-postgres runner applies prisma/pg/migrations/*/migration.sql in order, each in its own
// transaction, under Prisma's own advisory lock, and records them in `_prisma_migrations` exactly as
// Prisma does: `prisma migrate status` and this runner agree on what is applied.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { listMigrations } from "./migrations.mjs";
import { root, runPrisma } from "./prisma-cli.mjs";

/** The key Prisma Migrate itself locks on PostgreSQL, so this runner and Prisma exclude each other. */
export const PRISMA_ADVISORY_LOCK = 72707369;

/** @param {string} url @returns {"sqlite" | "postgresql"} */
export function databaseKind(url) {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL), got ${redact(url)}`);
}

export const defaultDatabaseUrl = `file:${path.join(root, "prisma", "dev.db")}`;

/** A URL safe to print: the password is replaced. */
export function redact(url) {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}

/** The absolute path of a file: URL (relative paths are relative to the current directory). */
export function sqlitePath(url) {
  const file = url.replace(/^file:/, "").replace(/\?.*$/, "");
  if (file === ":memory:" || file === "") throw new Error("an in-memory SQLite database cannot be migrated from outside");
  return path.resolve(file);
}

/**
 * Applies the pending migrations of the matching provider.
 * @param {string} url
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ kind: "sqlite" | "postgresql", applied: string[], total: number }>}
 */
export async function migrate(url, options = {}) {
  return databaseKind(url) === "sqlite" ? migrateSqlite(url, options) : migratePostgres(url, options);
}

/** @param {string} url @param {{ log?: (line: string) => void }} [options] */
export async function migrateSqlite(url, options = {}) {
  const log = options.log ?? (() => {});
  const file = sqlitePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const before = appliedSqlite(file);
  // Nothing pending: done, without starting Prisma's schema engine, which needs the file to itself and
  // would fail while a server (a running demo) has it open.
  if (listMigrations("sqlite").every((m) => before.includes(m.name))) {
    return { kind: /** @type {const} */ ("sqlite"), applied: [], total: before.length };
  }
  const r = runPrisma("sqlite", ["migrate", "deploy"], { url: `file:${file}`, capture: true });
  if (r.status !== 0) {
    const output = `${r.stdout}${r.stderr}`;
    if (/SocketTimeout|database is locked|SQLITE_BUSY/.test(output)) {
      throw new Error(`${file} is in use by another process (a running demo or server?): stop it, then run this again`);
    }
    throw new Error(`prisma migrate deploy failed on ${file}:\n${output}`);
  }
  const after = appliedSqlite(file);
  // WAL lets readers work while a writer commits; it is a property of the file, so set it here once.
  const db = new Database(file, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
  const applied = after.filter((name) => !before.includes(name));
  for (const name of applied) log(`applied ${name}`);
  return { kind: /** @type {const} */ ("sqlite"), applied, total: after.length };
}

function appliedSqlite(file) {
  const db = new Database(file, { timeout: 30_000 });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return [];
    return db
      .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
      .all()
      .map((row) => /** @type {{ migration_name: string }} */ (row).migration_name);
  } finally {
    db.close();
  }
}

// The table Prisma Migrate creates on PostgreSQL, column for column.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * node-postgres settings for a postgres:// URL. Prisma's `?schema=` parameter becomes the search_path.
 * @param {string} url
 */
export function pgConnection(url) {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema");
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema, database: decodeURIComponent(parsed.pathname.slice(1)) };
}

/** @param {string} url @param {{ log?: (line: string) => void }} [options] */
export async function migratePostgres(url, options = {}) {
  const log = options.log ?? (() => {});
  const { connectionString, schema } = pgConnection(url);
  await createDatabaseIfMissing(url);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    if (schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(`SET search_path TO ${quoteIdent(schema)}`);
    }
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed.length > 0) {
      throw new Error(
        `migration ${failed[0].migration_name} is recorded as started but not finished; fix the database, then mark it with ` +
          "`node scripts/prisma.mjs pg migrate resolve --rolled-back NAME` (or --applied)",
      );
    }
    const done = new Map(rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => [row.migration_name, row]));
    const files = listMigrations("postgresql");
    const known = new Set(files.map((m) => m.name));
    for (const name of done.keys()) if (!known.has(name)) log(`warning: ${name} is applied but not in prisma/pg/migrations`);
    const applied = [];
    for (const m of files) {
      const row = done.get(m.name);
      if (row) {
        if (row.checksum !== m.checksum) log(`warning: ${m.name} was edited after it was applied (checksum differs)`);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new Error(`migration ${m.name} failed and was rolled back: ${/** @type {Error} */ (error).message}`, { cause: error });
      }
      applied.push(m.name);
      log(`applied ${m.name}`);
    }
    return { kind: /** @type {const} */ ("postgresql"), applied, total: done.size + applied.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

/** Creates the database named in the URL when it does not exist yet (as `prisma migrate deploy` does). */
export async function createDatabaseIfMissing(url) {
  const { connectionString, database } = pgConnection(url);
  const probe = new pg.Client({ connectionString });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== "3D000") throw error; // 3D000: invalid_catalog_name
  } finally {
    await probe.end().catch(() => {});
  }
  const admin = new URL(connectionString);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    return true;
  } catch (error) {
    // Another process created it at the same moment: 42P04 duplicate_database, or 23505 on pg_database.
    const code = /** @type {{ code?: string }} */ (error).code;
    if (code === "42P04" || code === "23505") return false;
    throw error;
  } finally {
    await client.end();
  }
}

/** @param {string} name */
export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}
