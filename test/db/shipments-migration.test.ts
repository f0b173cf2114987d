// The migration that stores routing decisions' shipments as rows (shipments_and_deliveries) keeps what
// every decision chose: a database at the migration before it, with decisions as the old code wrote
// them (assignmentJson), is migrated, and each decision reads back with the same shipments, lines,
// cost components, promise, excluded nodes and Shopify locations; its moves are still there.
// scripts/test.mjs runs this file on SQLite and again on PostgreSQL.
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient } from "~/db.server";
import { listMigrations } from "../../scripts/lib/migrations.mjs";
import { createEmptyDatabase, executeSql, testDbKind } from "../support/db";

const kind = testDbKind();
const MIGRATION = "shipments_and_deliveries";
const migrations = listMigrations(kind);
const at = migrations.findIndex((m) => m.name.endsWith(`_${MIGRATION}`));

const dropAfter: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (dropAfter.length) await dropAfter.pop()!();
});

const quote = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);

const EARLIEST = Date.UTC(2026, 10, 20, 18, 0, 0);
const LATEST = Date.UTC(2026, 10, 20, 20, 0, 0);

/** An assignment as execute.server.ts stored it before this migration. */
function oldAssignment(nodeId: string) {
  return {
    status: "ROUTED",
    shipments: [
      {
        nodeId,
        nodeHandle: "nyc-bk-hub",
        nodeName: "Brooklyn hub",
        service: "SAME_DAY",
        serviceCode: "NH:nyc-bk-hub:SAME_DAY",
        lines: [
          { lineId: "gid://shopify/FulfillmentOrderLineItem/1", productId: "prod-mug", sku: "MUG-1", quantity: 2, madeUnits: 0 },
          { lineId: "gid://shopify/FulfillmentOrderLineItem/2", productId: "prod-tee", sku: "TEE-1", quantity: 1, madeUnits: 1 },
        ],
        cost: {
          nodeId,
          nodeHandle: "nyc-bk-hub",
          service: "SAME_DAY",
          currency: "USD",
          components: [
            { code: "HANDLING", label: "Handling", amountMinor: 150, detail: "per order" },
            { code: "COURIER", label: "Courier", amountMinor: 725, detail: "DoorDash, 3.1 km" },
            { code: "EXPECTED_RETURNS", label: "Expected returns", amountMinor: 125, detail: "12.5% of 1000" },
          ],
          forwardMinor: 875,
          expectedReverseMinor: 125,
          totalMinor: 1000,
          leadTimeMinutes: 45,
          transit: { mode: "COURIER", minutes: 40, days: null, distanceM: 3100, provider: "DoorDash", zone: null, earliestArrivalMs: EARLIEST, latestArrivalMs: LATEST },
          reasons: ["courier quote from the prefetch", "same day before the 16:00 cut-off"],
        },
        keepsPromise: true,
      },
      { nodeId: "deleted-node", nodeHandle: "gone", nodeName: "Gone", service: "STANDARD", serviceCode: "NH:gone:STANDARD", lines: [], cost: { totalMinor: 300, forwardMinor: 300, expectedReverseMinor: 0, components: [], reasons: [] }, keepsPromise: false },
    ],
    landedMinor: 1300,
    splitPenaltyMinor: 300,
    totalMinor: 1600,
    promise: { requested: { nodeHandle: "nyc-bk-hub", service: "SAME_DAY" }, service: "SAME_DAY", nodeId, status: "KEPT", reasons: ["the shopper's choice is kept"] },
    excluded: [{ nodeId: "n2", nodeHandle: "nj-secaucus-dc", reasons: [{ code: "NO_STOCK", message: "no stock" }] }],
    moves: [],
    shopifyLocations: ["gid://shopify/Location/1", "gid://shopify/Location/1", "gid://shopify/Location/2"],
  };
}

describe(`${MIGRATION} (${kind})`, () => {
  it("is one of the migrations", () => {
    expect(at).toBeGreaterThan(0);
  });

  it("turns each decision's assignmentJson into shipment, line, cost and placement rows, and keeps its moves", async () => {
    const created = await createEmptyDatabase();
    dropAfter.push(created.drop);
    const url = created.url;
    for (const m of migrations.slice(0, at)) await executeSql(url, m.sql);

    const before = createPrismaClient(url);
    const shop = await before.shop.create({ data: { domain: "migrated.myshopify.com", name: "migrated" } });
    const node = await before.node.create({
      data: {
        shopId: shop.id, handle: "nyc-bk-hub", name: "Brooklyn hub", kind: "MICRO_HUB", address1: "1 Main St", city: "Brooklyn", postalCode: "11211", country: "US",
        latitude: 40.71, longitude: -73.95, timezone: "America/New_York", openingHoursJson: "{}", dailyCapacity: 100, handlingCostMinor: 150, pickupCostMinor: 0,
      },
    });
    await before.$disconnect();
    const columns = ["id", "shopId", "orderGid", "orderName", "source", "mode", "status", "currency", "totalCostMinor", "assignmentJson", "alternativesJson", "reasonsJson", "updatedAt"];
    const rows = [
      ["d-routed", shop.id, "gid://shopify/Order/1", "#1", "WEBHOOK", "AUTO", "MOVED", "USD", 1600, JSON.stringify(oldAssignment(node.id)), JSON.stringify([{ nodes: ["nj-secaucus-dc"], services: ["STANDARD"], costMinor: 2100, deltaMinor: 500, promise: "BROKEN", lost: [] }]), JSON.stringify(["cheapest that keeps the promise"]), "2026-11-20T12:00:00.000Z"],
      ["d-kept", shop.id, "gid://shopify/Order/2", "#2", "WEBHOOK", "AUTO", "KEPT", "USD", null, JSON.stringify({ status: "KEPT", shipments: [] }), "[]", JSON.stringify(["not routed: the order is closed"]), "2026-11-20T12:00:00.000Z"],
      ["d-broken", shop.id, "gid://shopify/Order/3", "#3", "API", "SUGGEST", "SUGGESTED", "USD", null, "{not json", "[]", "[]", "2026-11-20T12:00:00.000Z"],
    ];
    await executeSql(url, `INSERT INTO "RoutingDecision" (${columns.map((n) => `"${n}"`).join(", ")}) VALUES ${rows.map((r) => `(${r.map(quote).join(", ")})`).join(", ")};`);
    await executeSql(
      url,
      `INSERT INTO "RoutingMove" ("id", "shopId", "decisionId", "fulfillmentOrderGid", "toLocationGid", "lineItemsJson", "status", "updatedAt") VALUES ('m1', ${quote(shop.id)}, 'd-routed', 'gid://shopify/FulfillmentOrder/1', 'gid://shopify/Location/9', '[]', 'DONE', '2026-11-20T12:00:00.000Z');`,
    );

    await executeSql(url, migrations[at].sql);

    const after = createPrismaClient(url);
    try {
      const d = await after.routingDecision.findUniqueOrThrow({
        where: { id: "d-routed" },
        include: { moves: true, placements: { orderBy: { locationGid: "asc" } }, shipments: { orderBy: { position: "asc" }, include: { lines: { orderBy: { position: "asc" } }, costs: { orderBy: { position: "asc" } } } } },
      });
      expect(d).toMatchObject({ landedMinor: 1300, splitPenaltyMinor: 300, totalCostMinor: 1600, promiseService: "SAME_DAY", promiseStatus: "KEPT", requestedNodeHandle: "nyc-bk-hub", requestedService: "SAME_DAY" });
      expect(d.moves.map((m) => m.id)).toEqual(["m1"]);
      expect(d.placements.map((p) => p.locationGid)).toEqual(["gid://shopify/Location/1", "gid://shopify/Location/2"]);
      expect(JSON.parse(d.alternativesJson)).toEqual({
        alternatives: [{ nodes: ["nj-secaucus-dc"], services: ["STANDARD"], costMinor: 2100, deltaMinor: 500, promise: "BROKEN", lost: [] }],
        excluded: [{ nodeId: "n2", nodeHandle: "nj-secaucus-dc", reasons: [{ code: "NO_STOCK", message: "no stock" }] }],
      });
      expect(JSON.parse(d.reasonsJson)).toEqual({ reasons: ["cheapest that keeps the promise"], promiseReasons: ["the shopper's choice is kept"] });

      expect(d.shipments).toHaveLength(2);
      const [bk, gone] = d.shipments;
      expect(bk).toMatchObject({
        shopId: shop.id, position: 0, nodeId: node.id, nodeHandle: "nyc-bk-hub", nodeName: "Brooklyn hub", service: "SAME_DAY", serviceCode: "NH:nyc-bk-hub:SAME_DAY", currency: "USD",
        forwardMinor: 875, expectedReverseMinor: 125, totalMinor: 1000, keepsPromise: true, leadTimeMinutes: 45, transitMode: "COURIER", provider: "DoorDash",
        promisedFrom: new Date(EARLIEST), promisedBy: new Date(LATEST), costNotes: "courier quote from the prefetch\nsame day before the 16:00 cut-off",
      });
      expect(bk.lines.map((l) => [l.lineGid, l.productId, l.sku, l.quantity, l.madeUnits])).toEqual([
        ["gid://shopify/FulfillmentOrderLineItem/1", "prod-mug", "MUG-1", 2, 0],
        ["gid://shopify/FulfillmentOrderLineItem/2", "prod-tee", "TEE-1", 1, 1],
      ]);
      expect(bk.costs.map((c) => [c.code, c.label, c.amountMinor, c.detail])).toEqual([
        ["HANDLING", "Handling", 150, "per order"],
        ["COURIER", "Courier", 725, "DoorDash, 3.1 km"],
        ["EXPECTED_RETURNS", "Expected returns", 125, "12.5% of 1000"],
      ]);
      // A node deleted since keeps its handle, not a dangling link.
      expect(gone).toMatchObject({ position: 1, nodeId: null, nodeHandle: "gone", keepsPromise: false, totalMinor: 300, promisedFrom: null });

      const kept = await after.routingDecision.findUniqueOrThrow({ where: { id: "d-kept" }, include: { shipments: true, placements: true } });
      expect(kept.shipments).toEqual([]);
      expect(kept.placements).toEqual([]);
      expect(JSON.parse(kept.reasonsJson)).toEqual({ reasons: ["not routed: the order is closed"], promiseReasons: [] });
      // An unreadable assignment gives no rows; the rest of the decision is kept.
      const broken = await after.routingDecision.findUniqueOrThrow({ where: { id: "d-broken" }, include: { shipments: true } });
      expect(broken.shipments).toEqual([]);
      expect(broken.status).toBe("SUGGESTED");
    } finally {
      await after.$disconnect();
    }
  });
});
