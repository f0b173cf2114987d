// Prisma CLI configuration for the PostgreSQL schema (prisma/pg/schema.prisma, derived from
// prisma/schema.prisma by scripts/prisma.mjs). Used as `prisma <command> --config prisma/pg/prisma.config.ts`;
// scripts/prisma.mjs, scripts/make-migration.mjs and scripts/test.mjs do that for you.
// Why and how: docs/decisions/0002-databases-and-migrations.md.
//
// - DATABASE_URL is a postgres:// URL: the real @prisma/adapter-pg. `migrate status`, `db execute` and
//   `migrate resolve` work; `migrate deploy`/`db push` do not (the adapter rejects catalog column
//   types such as `name`): apply migrations with `npm run db:prepare` instead.
// - DATABASE_URL unset (or not PostgreSQL): an offline stand-in adapter, enough for `generate` and for
//   `migrate diff` between two schema files. The JS schema engine asks a live database only one
//   question before such a diff (does the schema exist, which server version); the stand-in answers it
//   as a PostgreSQL 15 server and refuses anything else, loudly.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const schema = path.join(import.meta.dirname, "schema.prisma");
const given = process.env.DATABASE_URL;
const online = given !== undefined && /^postgres(ql)?:\/\//.test(given);
// The schema reads env("DATABASE_URL"); without a PostgreSQL URL there the CLI falls back to the
// native engine and tries to download it.
if (!online) process.env.DATABASE_URL = "postgresql://offline.invalid:5432/nearhub";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema,
  async adapter() {
    // allowExitOnIdle: the CLI does not close the pool, which would keep it alive for the 10 s idle timeout.
    if (online) return new PrismaPg({ connectionString: given, allowExitOnIdle: true });
    return offlinePostgresAdapterFactory();
  },
});

// Column type codes of @prisma/driver-adapter-utils' ColumnTypeEnum (Int32 = 0, Boolean = 5, Text = 7).
const INT32 = 0;
const BOOLEAN = 5;
const TEXT = 7;
const PROBE = /^SELECT EXISTS\(SELECT 1 FROM pg_namespace WHERE nspname = \$1\), version\(\), current_setting\('server_version_num'\)::integer/;

type Query = { sql: string; args: unknown[] };

function refuse(what: string): never {
  throw new Error(
    `prisma/pg/prisma.config.ts is offline (DATABASE_URL is not a postgres:// URL), so it cannot ${what}. ` +
      "Set DATABASE_URL=postgres://... for commands that need a database.",
  );
}

function offlineAdapter() {
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    async queryRaw(query: Query) {
      if (!PROBE.test(query.sql)) refuse(`run: ${query.sql.slice(0, 120)}`);
      return {
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [BOOLEAN, TEXT, INT32],
        rows: [[true, "PostgreSQL 15.0 (offline stand-in for prisma migrate diff)", 150000]],
      };
    },
    async executeRaw(query: Query): Promise<number> {
      refuse(`run: ${query.sql.slice(0, 120)}`);
    },
    async executeScript(): Promise<void> {
      refuse("run a script");
    },
    async startTransaction(): Promise<never> {
      refuse("start a transaction");
    },
    getConnectionInfo() {
      return { schemaName: undefined, supportsRelationJoins: true };
    },
    async dispose() {},
  };
}

function offlinePostgresAdapterFactory() {
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    async connect() {
      return offlineAdapter();
    },
    async connectToShadowDb() {
      return offlineAdapter();
    },
  } as unknown as PrismaPg; // the structural subset the schema engine calls; see above
}
