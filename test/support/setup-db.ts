// Runs in each test file's own process before the file is imported (vitest setupFiles, pool "forks"):
// gives the file a fresh database copied from the migrated template and points DATABASE_URL at it,
// so `db` from ~/db.server (and testDb()) use it. Dropped again when the file is done.
import { randomBytes } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { quoteIdent } from "../../scripts/lib/migrate.mjs";
import "./test-db-info";

const info = inject("nearhubTestDb");
if (!info) throw new Error("test/support/global-setup.ts did not run: use the root vitest.config.ts");

const unique = `${process.pid}_${randomBytes(3).toString("hex")}`;
let cleanup: () => Promise<void>;

if (info.kind === "sqlite") {
  const file = path.join(info.dir, `file_${unique}.db`);
  copyFileSync(info.template, file);
  process.env.DATABASE_URL = `file:${file}`;
  cleanup = async () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  };
} else {
  const name = `${info.prefix}_${unique}`;
  const admin = new pg.Client({ connectionString: info.adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(info.template)}`);
        break;
      } catch (error) {
        // 55006: the template is being accessed by other users (a moment's overlap); try again.
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(info.adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  cleanup = async () => {
    const client = new pg.Client({ connectionString: info.adminUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
process.env.NEARHUB_TEST_DB_LABEL = info.label;

afterAll(async () => {
  const shared = (globalThis as { __nearhubDb?: { client: { $disconnect(): Promise<void> } } }).__nearhubDb;
  await shared?.client.$disconnect();
  await cleanup();
});
