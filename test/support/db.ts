// The database of the current test file (see test/support/setup-db.ts).
//
//   import { resetDb, testDb } from "../support/db";
//   const db = testDb();                  // the app's own `db` from ~/db.server, on this file's database
//   beforeEach(() => resetDb());          // optional: empty every table between tests
//
// Importing `db` from "~/db.server" directly is the same client.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { inject } from "vitest";
import { databaseKind, db, type DatabaseKind } from "~/db.server";
import { quoteIdent, sqlitePath } from "../../scripts/lib/migrate.mjs";
import "./test-db-info";

/** The app's `db`, connected to this test file's own migrated database. */
export function testDb() {
  return db;
}

/** "sqlite" or "postgresql": which database this run uses. */
export function testDbKind(): DatabaseKind {
  return databaseKind(process.env.DATABASE_URL ?? "");
}

/** Deletes every row of every table (not the migration history). Cheap enough for a beforeEach. */
export async function resetDb() {
  if (testDbKind() === "postgresql") {
    const tables = await db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
    );
    if (tables.length > 0) await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => quoteIdent(t.name)).join(", ")} CASCADE`);
    // The job engine's queue (pg-boss, in its own schema) once a test has started it.
    const [boss] = await db.$queryRawUnsafe<{ job: string | null }[]>(`SELECT to_regclass('nearhub_jobs.job')::text AS job`);
    if (boss?.job) await db.$executeRawUnsafe(`TRUNCATE nearhub_jobs.job CASCADE`);
    return;
  }
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`,
  );
  // Foreign keys are checked at commit, when every table is empty, so the order does not matter.
  await db.$transaction([
    db.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON"),
    ...tables.map((t) => db.$executeRawUnsafe(`DELETE FROM ${quoteIdent(t.name)}`)),
  ]);
}

/**
 * Another database of this run's kind with nothing in it (not even migrations), for tests of
 * migrations themselves. Call drop() when done.
 */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const info = inject("nearhubTestDb");
  const unique = `${process.pid}_${randomBytes(4).toString("hex")}`;
  if (info.kind === "sqlite") {
    const dir = path.join(info.dir, `empty_${unique}`);
    mkdirSync(dir);
    return { url: `file:${path.join(dir, "db.sqlite")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `${info.prefix}_empty_${unique}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: info.adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${quoteIdent(name)}`);
  const url = new URL(info.adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`) };
}

/** Runs a script (several statements) on a database at `url`, outside Prisma. */
export async function executeSql(url: string, sql: string): Promise<void> {
  if (databaseKind(url) === "sqlite") {
    const file = new Database(sqlitePath(url));
    try {
      file.exec(sql);
    } finally {
      file.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
