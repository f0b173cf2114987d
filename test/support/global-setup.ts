// Runs once per vitest run, before any test file: migrates one template database that every test
// file then copies (test/support/setup-db.ts), so each file starts from a fresh, migrated database.
//
//   NEARHUB_TEST_DB unset or "sqlite"  a template SQLite file in a temp dir
//   NEARHUB_TEST_DB=postgres           a template database on NEARHUB_TEST_PG_URL (a superuser URL, as
//                                      scripts/test.mjs passes) or, without it, on a throwaway cluster
//                                      started here and stopped at the end
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePostgres, migrateSqlite, quoteIdent, redact } from "../../scripts/lib/migrate.mjs";
import { startPostgres } from "./postgres.mjs";
import type { TestDbInfo } from "./test-db-info";

function wantedKind(): "sqlite" | "postgresql" {
  const wanted = (process.env.NEARHUB_TEST_DB ?? "sqlite").toLowerCase();
  if (wanted === "sqlite") return "sqlite";
  if (wanted === "postgres" || wanted === "postgresql" || wanted === "pg") return "postgresql";
  throw new Error(`NEARHUB_TEST_DB must be sqlite or postgres, got ${wanted}`);
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  if (wantedKind() === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nearhub-test-"));
    const template = path.join(dir, "template.db");
    const { total } = await migrateSqlite(`file:${template}`);
    const info: TestDbInfo = { kind: "sqlite", dir, template, label: `SQLite (a copy of ${template} per test file)` };
    project.provide("nearhubTestDb", info);
    console.log(`[test db] SQLite: template with ${total} migration(s) in ${Date.now() - started} ms; each test file gets its own copy`);
    return () => rmSync(dir, { recursive: true, force: true });
  }

  let adminUrl = process.env.NEARHUB_TEST_PG_URL;
  let cluster: Awaited<ReturnType<typeof startPostgres>> | undefined;
  if (!adminUrl) {
    cluster = await startPostgres();
    adminUrl = cluster.url();
  }
  const prefix = `nearhub_test_${randomBytes(4).toString("hex")}`;
  const template = `${prefix}_template`;
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  try {
    const { total } = await migratePostgres(templateUrl.toString());
    const where = cluster ? `throwaway ${cluster.version} on port ${cluster.port}` : redact(adminUrl);
    const info: TestDbInfo = { kind: "postgresql", adminUrl, template, prefix, label: `PostgreSQL (${where})` };
    project.provide("nearhubTestDb", info);
    console.log(`[test db] PostgreSQL: template ${template} with ${total} migration(s) on ${where} in ${Date.now() - started} ms; each test file gets CREATE DATABASE ... TEMPLATE`);
  } catch (error) {
    cluster?.stop();
    throw error;
  }
  return async () => {
    if (cluster) {
      cluster.stop();
      return;
    }
    // A cluster we did not start: drop what this run created.
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>("SELECT datname::text AS name FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
      for (const { name } of rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
