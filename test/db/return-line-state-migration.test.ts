// The migration that stores a return line's state once (return_line_state_once) keeps every line's
// state: a database at the migration before it, with lines as the old code wrote them (the state in
// stateJson, times in UTC ms), is migrated, and each line reads back as the same core state.
// scripts/test.mjs runs this file on SQLite and again on PostgreSQL.
import { afterEach, describe, expect, it } from "vitest";
import { openReturn, transition, type ReturnState } from "~/core/returns";
import { createPrismaClient } from "~/db.server";
import { lineState } from "~/services/returns/repository.server";
import { listMigrations } from "../../scripts/lib/migrations.mjs";
import { createEmptyDatabase, executeSql, testDbKind } from "../support/db";

const kind = testDbKind();
const MIGRATION = "return_line_state_once";
const migrations = listMigrations(kind);
const at = migrations.findIndex((m) => m.name.endsWith(`_${MIGRATION}`));

const dropAfter: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (dropAfter.length) await dropAfter.pop()!();
});

const quote = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);

describe(`${MIGRATION} (${kind})`, () => {
  it("is one of the migrations", () => {
    expect(at).toBeGreaterThan(0);
  });

  it("moves each line's stateJson into its columns, and a line without one starts at its return's request", async () => {
    const created = await createEmptyDatabase();
    dropAfter.push(created.drop);
    const url = created.url;
    for (const m of migrations.slice(0, at)) await executeSql(url, m.sql);

    const requestedAt = Date.UTC(2026, 10, 20, 9, 0, 0, 123);
    const before = createPrismaClient(url);
    const shop = await before.shop.create({ data: { domain: "migrated.myshopify.com", name: "migrated" } });
    const c = await before.returnCase.create({ data: { shopId: shop.id, status: "REQUESTED", currency: "USD", requestedAt: new Date(requestedAt) } });
    await before.$disconnect();

    // A line that went a long way (approved to a hub, shipped, received, inspected, restocked), as the old code stored it.
    const HOUR = 3_600_000;
    let s: ReturnState = openReturn({ returnId: c.id, lineId: "line-restocked", productId: "prod-1", quantity: 2 }, requestedAt);
    const step = (event: Parameters<typeof transition>[1], t: number) => {
      const r = transition(s, event, t);
      if (!r.ok) throw new Error(r.error);
      s = r.state;
    };
    step({ type: "APPROVE", hubId: "hub-1", refundedMinor: 4800 }, requestedAt + HOUR);
    step({ type: "SHIP", reverseCostMinor: 525, trackingNumber: null }, requestedAt + 2 * HOUR);
    step({ type: "RECEIVE", hubId: "hub-2", inspectionHours: 48 }, requestedAt + 30 * HOUR);
    step({ type: "INSPECT", grade: "B", disposition: "RESTOCK", note: null }, requestedAt + 40 * HOUR);
    step({ type: "RESTOCK", hubId: null }, requestedAt + 40 * HOUR + 5_000);
    const restocked = s;
    const columns = ["id", "shopId", "returnId", "productId", "sku", "status", "stateJson", "quantity", "valueMinor", "outcome", "destinationNodeId", "grade", "disposition"];
    const rows = [
      ["line-restocked", shop.id, c.id, "prod-1", "MUG-1", "RESTOCKED", JSON.stringify(restocked), 2, 2400, "REFUND", "hub-1", "B", "RESTOCK"],
      ["line-unknown", shop.id, c.id, "prod-2", "TEE-1", "REQUESTED", "{}", 1, 3500, null, null, null, null],
    ];
    await executeSql(
      url,
      `INSERT INTO "ReturnLine" (${columns.map((n) => `"${n}"`).join(", ")}) VALUES ${rows.map((r) => `(${r.map(quote).join(", ")})`).join(", ")};`,
    );

    await executeSql(url, migrations[at].sql);

    const after = createPrismaClient(url);
    try {
      const lines = await after.returnLine.findMany({ where: { returnId: c.id }, orderBy: { id: "asc" } });
      expect(lines.map((l) => l.id)).toEqual(["line-restocked", "line-unknown"]);
      const [moved, unknown] = lines;
      expect(lineState(moved)).toEqual(restocked);
      expect(moved).toMatchObject({
        status: "RESTOCKED",
        hubId: "hub-2",
        destinationNodeId: "hub-1",
        receivedAt: new Date(requestedAt + 30 * HOUR),
        inspectionDueAt: new Date(requestedAt + 78 * HOUR),
        restockedAt: new Date(requestedAt + 40 * HOUR + 5_000),
        changedAt: new Date(requestedAt + 40 * HOUR + 5_000),
        keptAt: null,
        refundedMinor: 4800,
        reverseCostMinor: 525,
        recoveredMinor: 0,
      });
      expect(lineState(unknown)).toEqual(openReturn({ returnId: c.id, lineId: "line-unknown", productId: "prod-2", quantity: 1 }, requestedAt));
      expect("stateJson" in moved).toBe(false);
    } finally {
      await after.$disconnect();
    }
  });
});
