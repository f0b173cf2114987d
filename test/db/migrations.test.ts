// Migrations and the database rules the app relies on, on whichever database this run uses
// (scripts/test.mjs runs this file on SQLite and again on PostgreSQL).
import { spawn } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { Prisma } from "@prisma/client";
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient, databaseKind } from "~/db.server";
import { listMigrations, pendingSchemaChanges } from "../../scripts/lib/migrations.mjs";
import { migrate, sqlitePath } from "../../scripts/lib/migrate.mjs";
import { diffSchemas, providers, root } from "../../scripts/lib/prisma-cli.mjs";
import { createEmptyDatabase, executeSql, resetDb, testDb, testDbKind } from "../support/db";
import type { PrismaClient } from "@prisma/client";

const kind = testDbKind();

let serial = 0;
const makeShop = (client: PrismaClient, domain = `db-test-${++serial}.myshopify.com`) =>
  client.shop.create({ data: { domain, name: domain.split(".")[0] } });
const makeNode = (client: PrismaClient, shopId: string) =>
  client.node.create({
    data: {
      shopId,
      handle: `hub-${++serial}`,
      name: "Brooklyn hub",
      kind: "MICRO_HUB",
      address1: "1 Main St",
      city: "Brooklyn",
      postalCode: "11211",
      country: "US",
      latitude: 40.7145,
      longitude: -73.9566,
      timezone: "America/New_York",
      openingHoursJson: "{}",
      dailyCapacity: 100,
      handlingCostMinor: 150,
      pickupCostMinor: 100,
    },
  });
const makeProduct = (client: PrismaClient, shopId: string) =>
  client.product.create({
    data: { shopId, sku: `SKU-${++serial}`, title: "Mug", category: "home", weightGrams: 400, lengthMm: 120, widthMm: 90, heightMm: 100, valueMinor: 2400, returnRateBps: 500 },
  });
const migrations = listMigrations(kind);
const dropAfter: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (dropAfter.length) await dropAfter.pop()!();
});

async function emptyDatabase() {
  const created = await createEmptyDatabase();
  dropAfter.push(created.drop);
  return created.url;
}

const execute = executeSql;

async function query<T>(url: string, sql: string): Promise<T[]> {
  if (databaseKind(url) === "sqlite") {
    const file = new Database(sqlitePath(url), { readonly: true });
    try {
      return file.prepare(sql).all() as T[];
    } finally {
      file.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Tables, columns, indexes and constraints, in a form that compares equal for equal schemas. */
async function describeSchema(url: string) {
  if (databaseKind(url) === "sqlite") {
    const tables = await query<{ name: string }>(
      url,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
    );
    const out: Record<string, unknown> = {};
    for (const { name } of tables) {
      const q = (pragma: string) => query(url, `SELECT * FROM pragma_${pragma}('${name}')`);
      const indexes = (await q("index_list")) as { name: string; unique: number; origin: string }[];
      out[name] = {
        columns: await q("table_xinfo"),
        foreignKeys: await q("foreign_key_list"),
        indexes: await Promise.all(
          indexes
            .sort((a, b) => a.name.localeCompare(b.name))
            .map(async (i) => ({ ...i, seq: undefined, columns: await query(url, `SELECT * FROM pragma_index_info('${i.name}')`) })),
        ),
      };
    }
    return out;
  }
  return {
    columns: await query(
      url,
      `SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, column_default::text,
              character_maximum_length, numeric_precision, datetime_precision
         FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`,
    ),
    indexes: await query(
      url,
      `SELECT tablename::text, indexname::text, indexdef::text FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    ),
    constraints: await query(
      url,
      `SELECT cl.relname::text AS table_name, con.conname::text, pg_get_constraintdef(con.oid) AS definition
         FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
        WHERE con.connamespace = current_schema()::regnamespace AND cl.relname <> '_prisma_migrations'
        ORDER BY con.conname`,
    ),
  };
}

/** `node scripts/db-prepare.mjs` in its own process. */
function dbPrepare(url: string) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "scripts", "db-prepare.mjs")], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function prismaCli(args: string[], url: string) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "scripts", "prisma.mjs"), kind === "sqlite" ? "sqlite" : "pg", ...args], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function appliedRows(url: string) {
  return query<{ migration_name: string; checksum: string; finished_at: unknown; applied_steps_count: number }>(
    url,
    `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
  );
}

describe(`migrations (${kind})`, () => {
  it("has at least the initial migration, in Prisma's folder layout", () => {
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.every((m) => /^\d{14}_[a-z0-9_]+$/.test(m.name))).toBe(true);
  });

  it("applies every migration to an empty database, then finds nothing to do", async () => {
    const url = await emptyDatabase();
    const first = await migrate(url);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const schemaAfterFirst = await describeSchema(url);

    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.total).toBe(migrations.length);
    expect(await describeSchema(url)).toEqual(schemaAfterFirst);

    const rows = await appliedRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(migrations.map((m) => m.checksum)); // Prisma's checksum
    expect(rows.every((r) => r.finished_at !== null && Number(r.applied_steps_count) === 1)).toBe(true);
  });

  it("is safe from several processes at once (npm run db:prepare)", async () => {
    const url = await emptyDatabase();
    const runs = await Promise.all([dbPrepare(url), dbPrepare(url), dbPrepare(url)]);
    for (const run of runs) expect(run.code, run.output).toBe(0);
    expect((await appliedRows(url)).map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
  }, 60_000);

  it("leaves Prisma's own `migrate status` agreeing that nothing is pending", async () => {
    const url = await emptyDatabase();
    await migrate(url);
    const status = await prismaCli(["migrate", "status"], url);
    expect(status.output).toContain("Database schema is up to date");
    expect(status.code, status.output).toBe(0);
  }, 30_000);

  it("covers every change in prisma/schema.prisma (no migration missing)", () => {
    // If this fails: npm run migrations:make -- <name>
    expect(pendingSchemaChanges(kind)).toBe("");
  }, 30_000);

  it("keeps the GDPR requests when ComplianceRequest is renamed PrivacyRequest (a rename, not drop and create)", async () => {
    const url = await emptyDatabase();
    const at = migrations.findIndex((m) => m.name.endsWith("_privacy_requests"));
    expect(at).toBeGreaterThan(0);
    for (const m of migrations.slice(0, at)) await execute(url, m.sql);
    await execute(
      url,
      `INSERT INTO "Shop" ("id", "domain", "name", "updatedAt") VALUES ('s1', 'privacy.myshopify.com', 'Privacy', CURRENT_TIMESTAMP);
       INSERT INTO "ComplianceRequest" ("id", "shopId", "topic", "customerId", "requestJson", "resultJson")
         VALUES ('r1', 's1', 'customers/redact', '42', '{"customer":{"id":"42"}}', '{"ordersRedacted":3}');`,
    );
    await execute(url, migrations[at].sql);
    expect(await query(url, `SELECT "id", "shopId", "topic", "customerId", "resultJson" FROM "PrivacyRequest"`)).toEqual([
      { id: "r1", shopId: "s1", topic: "customers/redact", customerId: "42", resultJson: '{"ordersRedacted":3}' },
    ]);
    const tables = await query<{ name: string }>(
      url,
      databaseKind(url) === "sqlite" ? "SELECT name FROM sqlite_master WHERE type = 'table'" : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
    );
    expect(tables.map((t) => t.name)).not.toContain("ComplianceRequest");
  }, 30_000);

  it("builds exactly the schema that prisma/schema.prisma describes", async () => {
    const migrated = await emptyDatabase();
    await migrate(migrated);
    const direct = await emptyDatabase();
    await execute(direct, diffSchemas(kind, null, providers[kind].schema));
    expect(await describeSchema(migrated)).toEqual(await describeSchema(direct));
  }, 30_000);
});

describe(`the app's database (${kind})`, () => {
  const db = testDb();

  it("is this file's own database, of the kind this run asked for", async () => {
    expect(databaseKind(process.env.DATABASE_URL!)).toBe(kind);
    await resetDb();
    expect(await db.shop.count()).toBe(0);
  });

  it("deletes a shop's nodes, stock and products with the shop (onDelete: Cascade)", async () => {
    await resetDb();
    const doomed = await makeShop(db);
    const kept = await makeShop(db);
    for (const shop of [doomed, kept]) {
      const node = await makeNode(db, shop.id);
      const product = await makeProduct(db, shop.id);
      await db.stockLevel.create({ data: { shopId: shop.id, nodeId: node.id, productId: product.id, available: 3 } });
    }
    await db.shop.delete({ where: { id: doomed.id } });
    expect(await db.node.count({ where: { shopId: doomed.id } })).toBe(0);
    expect(await db.product.count({ where: { shopId: doomed.id } })).toBe(0);
    expect(await db.stockLevel.count({ where: { shopId: doomed.id } })).toBe(0);
    expect(await db.node.count({ where: { shopId: kept.id } })).toBe(1);
    expect(await db.stockLevel.count({ where: { shopId: kept.id } })).toBe(1);
  });

  it("enforces foreign keys", async () => {
    const error = await makeNode(db, "no-such-shop").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Prisma.PrismaClientKnownRequestError).code).toBe("P2003");
  });

  it("raises Prisma's own error classes on either database", async () => {
    await resetDb();
    await makeShop(db, "twice.myshopify.com");
    const error = await makeShop(db, "twice.myshopify.com").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
  });

  it("resetDb() empties every table", async () => {
    const shop = await makeShop(db);
    await makeNode(db, shop.id);
    await db.session.create({ data: { id: "s1", shop: shop.domain, state: "x", accessToken: "t" } });
    await resetDb();
    expect([await db.shop.count(), await db.node.count(), await db.session.count()]).toEqual([0, 0, 0]);
  });

  it.runIf(kind === "sqlite")("runs SQLite with WAL, foreign keys on and no busy timeout (locks are waited for outside SQLite)", async () => {
    const pragma = async (name: string) => Object.values((await db.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`))[0])[0];
    expect(await pragma("journal_mode")).toBe("wal");
    expect(Number(await pragma("foreign_keys"))).toBe(1);
    // A busy timeout would sleep on the event loop; app/sqlite.server.ts waits asynchronously instead.
    expect(Number(await pragma("busy_timeout"))).toBe(0);
  });

  it("createPrismaClient() opens a separate client on another database", async () => {
    const url = await emptyDatabase();
    await migrate(url);
    const other = createPrismaClient(url);
    try {
      await makeShop(other, "elsewhere.myshopify.com");
      expect(await other.shop.count()).toBe(1);
      expect(await db.shop.count({ where: { domain: "elsewhere.myshopify.com" } })).toBe(0);
    } finally {
      await other.$disconnect();
    }
  });
});

describe(`node operations move to the node (${kind}, ADR 0019)`, () => {
  it("moves each node's operations out of the shipping settings into its row, keeping what does not fit for the page to report", async () => {
    const url = await emptyDatabase();
    const index = migrations.findIndex((m) => m.name.endsWith("_node_operations_and_config_versions"));
    expect(index).toBeGreaterThan(0);
    for (const m of migrations.slice(0, index)) await execute(url, m.sql);
    const node = (id: string, handle: string) =>
      `INSERT INTO "Node" ("id", "shopId", "handle", "name", "kind", "address1", "city", "postalCode", "country", "latitude", "longitude", "timezone", "openingHoursJson", "dailyCapacity", "handlingCostMinor", "pickupCostMinor", "updatedAt")
       VALUES ('${id}', 's1', '${handle}', '${handle}', 'MICRO_HUB', '1 Main St', 'Brooklyn', '11211', 'US', 40.7, -73.9, 'America/New_York', '{}', 100, 150, 100, CURRENT_TIMESTAMP);`;
    const config = {
      couriers: [{ id: "bike" }],
      nodes: {
        hub: { holidays: ["2026-12-25"], prepMinutes: 25, currentLoad: 42 },
        lab: { prepMinutes: 20, makeSetupMinutes: 35, makeMinutesPerUnit: 12.5 },
        odd: { holidays: ["25/12/2026"], prepMinutes: "soon", makeSetupMinutes: -3 },
        gone: { prepMinutes: 10 },
      },
    };
    await execute(
      url,
      `INSERT INTO "Shop" ("id", "domain", "name", "updatedAt") VALUES ('s1', 'a.myshopify.com', 'A', CURRENT_TIMESTAMP), ('s2', 'b.myshopify.com', 'B', CURRENT_TIMESTAMP);
       ${node("hub", "hub")} ${node("lab", "lab")} ${node("odd", "odd")} ${node("plain", "plain")}
       INSERT INTO "ShippingSettings" ("shopId", "configJson", "updatedAt") VALUES ('s1', '${JSON.stringify(config)}', CURRENT_TIMESTAMP), ('s2', 'not json', CURRENT_TIMESTAMP);`,
    );
    await execute(url, migrations[index].sql);

    const nodes = await query<{ id: string; holidaysJson: string; prepMinutes: number; makeSetupMinutes: number; makeMinutesPerUnit: number; version: number }>(
      url,
      `SELECT "id", "holidaysJson", "prepMinutes", "makeSetupMinutes", "makeMinutesPerUnit", "version" FROM "Node" ORDER BY "id"`,
    );
    const compact = (n: (typeof nodes)[number]) => ({ ...n, holidaysJson: JSON.parse(n.holidaysJson), makeMinutesPerUnit: Number(n.makeMinutesPerUnit) });
    expect(nodes.map(compact)).toEqual([
      { id: "hub", holidaysJson: ["2026-12-25"], prepMinutes: 25, makeSetupMinutes: 0, makeMinutesPerUnit: 0, version: 1 },
      { id: "lab", holidaysJson: [], prepMinutes: 20, makeSetupMinutes: 35, makeMinutesPerUnit: 12.5, version: 1 },
      // Values of the wrong type stay at the defaults; the closed days are kept as stored, to be reported.
      { id: "odd", holidaysJson: ["25/12/2026"], prepMinutes: 30, makeSetupMinutes: 0, makeMinutesPerUnit: 0, version: 1 },
      { id: "plain", holidaysJson: [], prepMinutes: 30, makeSetupMinutes: 0, makeMinutesPerUnit: 0, version: 1 },
    ]);
    const settings = await query<{ shopId: string; configJson: string; version: number }>(url, `SELECT "shopId", "configJson", "version" FROM "ShippingSettings" ORDER BY "shopId"`);
    expect(JSON.parse(settings[0].configJson)).toEqual({ couriers: [{ id: "bike" }] });
    expect(settings[0].version).toBe(2); // a page opened before the upgrade saves nothing over it
    expect(settings[1]).toEqual({ shopId: "s2", configJson: "not json", version: 1 }); // left for the overview to report
    const shops = await query<{ configVersion: number }>(url, `SELECT "configVersion" FROM "Shop" ORDER BY "id"`);
    expect(shops.map((s) => s.configVersion)).toEqual([2, 2]);
  });
});
