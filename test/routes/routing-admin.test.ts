// The routing admin pages called as Remix calls them: real Requests to the real loaders and
// actions in demo mode, against this file's database. Decisions are the routing core's own
// (routeOrder on the New York fixtures), stored in the routing service's column shapes.
// Another shop's decision is not found; bad settings come back 400 with the field named.
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import * as logPage from "~/routes/app.routing._index";
import * as detailPage from "~/routes/app.routing.$id";
import * as settingsPage from "~/routes/app.routing.settings";
import { prepareNetwork } from "~/core/quoting";
import { prepareRouting, routeOrder, type RoutingDecision } from "~/core/routing";
import { decisionRows } from "~/services/routing/decision-rows.server";
import { getRoutingSettings, saveRoutingSettings } from "~/services/routing-settings.server";
import { ensureShop } from "~/services/shops.server";
import { addresses, local, nycConfig, nycSnapshot } from "../core/fixtures";
import { makeShop } from "../support/factories";

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
interface Outcome {
  status: number;
  location: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(fn: Fn, path: string, opts: { form?: Record<string, string>; params?: Record<string, string> } = {}): Promise<Outcome> {
  let body: FormData | undefined;
  if (opts.form) {
    body = new FormData();
    for (const [k, v] of Object.entries(opts.form)) body.append(k, v);
  }
  const request = new Request(`http://127.0.0.1:3000${path}`, opts.form ? { method: "POST", body } : {});
  try {
    const out = await fn({ request, params: opts.params ?? {}, context: {} });
    if (out instanceof Response) return { status: out.status, location: out.headers.get("Location"), body: null };
    const d = out as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, location: null, body: d.data };
    return { status: 200, location: null, body: out };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("Location"), body: await thrown.text() };
    throw thrown;
  }
}

const NOW = local("2025-06-10T10:00");

function decide(orderId: string, lines: { productId: string; quantity: number }[], over: { disable?: string[]; serviceCode?: string } = {}): RoutingDecision {
  const snap = nycSnapshot();
  snap.nodes = snap.nodes.map((n) => (over.disable?.includes(n.id) ? { ...n, status: "DISABLED" as const } : n));
  const net = prepareRouting(prepareNetwork(snap, nycConfig()), { splitPenaltyMinor: 300 });
  return routeOrder(net, { id: orderId, placedAt: NOW, destination: addresses.williamsburg, lines, serviceCode: over.serviceCode ?? null }, { now: NOW });
}

let demoShopId: string;
let otherShopId: string;
const ids: Record<string, string> = {};

async function store(shopId: string, name: string, decision: RoutingDecision, status: string, createdAt: Date) {
  const row = await db.routingDecision.create({
    data: { shopId, orderGid: `gid://shopify/Order/${name.replace("#", "")}`, orderName: name, source: "WEBHOOK", mode: "AUTO", status, createdAt, ...decisionRows(shopId, decision, decision.currency, { unlinkedNodes: true }) },
  });
  return row.id;
}

beforeAll(async () => {
  demoShopId = (await ensureShop(DEMO_SHOP_DOMAIN, { name: "Nearhub Demo Market" })).id;
  otherShopId = (await makeShop(db)).id;
  const mugs = decide("o1", [{ productId: "mug", quantity: 2 }, { productId: "hoodie", quantity: 1 }]);
  const vase = decide("o2", [{ productId: "vase", quantity: 1 }], { disable: ["st"] });
  const lamp = decide("o3", [{ productId: "lamp", quantity: 400 }]);
  ids.moved = await store(demoShopId, "#1001", mugs, "MOVED", new Date("2026-11-20T10:00:00Z"));
  ids.failed = await store(demoShopId, "#1002", vase, "FAILED", new Date("2026-11-20T11:00:00Z"));
  ids.unroutable = await store(demoShopId, "#1003", lamp, "UNROUTABLE", new Date("2026-11-20T12:00:00Z"));
  ids.other = await store(otherShopId, "#9001", mugs, "SUGGESTED", new Date("2026-11-20T13:00:00Z"));
  await db.routingMove.create({
    data: {
      shopId: demoShopId,
      decisionId: ids.failed,
      fulfillmentOrderGid: "gid://shopify/FulfillmentOrder/555",
      fromLocationGid: "gid://shopify/Location/1",
      toLocationGid: "gid://shopify/Location/2",
      lineItemsJson: JSON.stringify([{ id: "gid://shopify/FulfillmentOrderLineItem/1", quantity: 1 }]),
      status: "FAILED",
      attempts: 3,
      userErrorsJson: JSON.stringify([{ field: ["newLocationId"], message: "Destination location doesn't stock the requested inventory item.", code: "INVALID_LOCATION" }]),
    },
  });
});

describe("routing log", () => {
  it("lists this shop's decisions newest first with status, nodes and total cost; never another shop's", async () => {
    const out = await call(logPage.loader as Fn, "/app/routing");
    expect(out.status).toBe(200);
    const rows = out.body.rows as { id: string; orderName: string; status: string; nodes: string[]; totalCostMinor: number | null }[];
    expect(rows.map((r) => r.orderName)).toEqual(["#1003", "#1002", "#1001"]);
    expect(rows.map((r) => r.id)).not.toContain(ids.other);
    const moved = rows.find((r) => r.id === ids.moved)!;
    expect(moved.status).toBe("MOVED");
    expect(moved.nodes).toEqual(["Brooklyn hub"]);
    expect(moved.totalCostMinor).toBeGreaterThan(0);
    expect(rows.find((r) => r.id === ids.unroutable)!.totalCostMinor).toBeNull();
    expect(out.body.counts).toEqual({ MOVED: 1, FAILED: 1, UNROUTABLE: 1 });
  });

  it("filters by status; an unknown status is ignored rather than failing", async () => {
    const failed = await call(logPage.loader as Fn, "/app/routing?status=FAILED");
    expect(failed.body.rows.map((r: { id: string }) => r.id)).toEqual([ids.failed]);
    const junk = await call(logPage.loader as Fn, "/app/routing?status=DROP%20TABLE");
    expect(junk.body.rows).toHaveLength(3);
  });

  it("pages on with `before`", async () => {
    const first = await call(logPage.loader as Fn, "/app/routing");
    expect(first.body.nextBefore).toBeNull();
    const older = await call(logPage.loader as Fn, `/app/routing?before=${ids.failed}`);
    expect(older.body.rows.map((r: { id: string }) => r.id)).toEqual([ids.moved]);
  });
});

describe("routing decision detail", () => {
  it("explains the choice: shipments with cost components, alternatives with why they lost, reasons", async () => {
    const out = await call(detailPage.loader as Fn, `/app/routing/${ids.moved}`, { params: { id: ids.moved } });
    expect(out.status).toBe(200);
    const d = out.body.decision;
    expect(d.problems).toEqual([]);
    expect(d.shipments).toHaveLength(1);
    expect(d.shipments[0].nodeName).toBe("Brooklyn hub");
    expect(d.shipments[0].lines.map((l: { sku: string }) => l.sku).sort()).toEqual(["HOOD-M", "MUG-01"]);
    const comps = d.shipments[0].cost.components as { amountMinor: number }[];
    expect(comps.length).toBeGreaterThan(1);
    expect(comps.reduce((a, c) => a + c.amountMinor, 0)).toBe(d.shipments[0].cost.totalMinor);
    expect(d.alternatives.length).toBeGreaterThan(0);
    for (const a of d.alternatives) {
      expect(a.deltaMinor).toBeGreaterThan(0);
      expect(a.lost.map((l: { code: string }) => l.code)).toContain("COST");
    }
    expect(d.reasons[0]).toMatch(/Brooklyn hub/);
    expect(d.promise.status).toBe("KEPT");
    // The arrival window the cost engine promised, in the shop's words and time zone (New York).
    expect(d.shipments[0].promisedFrom <= d.shipments[0].promisedBy).toBe(true);
    expect(out.body.promised[0]).toMatch(/^Promised to arrive \w{3}, \w{3} \d+, \d+:\d\d [AP]M – \d+:\d\d [AP]M E[SD]T$/);
    // The Chelsea hub cannot reach Williamsburg: listed with its reason.
    expect(d.excluded.map((e: { nodeHandle: string }) => e.nodeHandle)).toContain("manhattan");
  });

  it("shows a refused move with Shopify's user errors, and a disabled node among the reasons", async () => {
    const out = await call(detailPage.loader as Fn, `/app/routing/${ids.failed}`, { params: { id: ids.failed } });
    const d = out.body.decision;
    expect(d.moves).toHaveLength(1);
    expect(d.moves[0].status).toBe("FAILED");
    expect(d.moves[0].userErrors).toEqual([{ field: "newLocationId", message: "Destination location doesn't stock the requested inventory item.", code: "INVALID_LOCATION" }]);
    const codes = [...d.excluded.flatMap((e: { reasons: { code: string }[] }) => e.reasons), ...d.alternatives.flatMap((a: { lost: { code: string }[] }) => a.lost)].map((r: { code: string }) => r.code);
    expect(codes).toContain("DISABLED");
  });

  it("an unroutable order says why for every node", async () => {
    const out = await call(detailPage.loader as Fn, `/app/routing/${ids.unroutable}`, { params: { id: ids.unroutable } });
    const d = out.body.decision;
    expect(d.shipments).toEqual([]);
    expect(d.reasons[0]).toMatch(/unroutable/);
    expect(d.excluded.length).toBeGreaterThan(0);
  });

  it("another shop's decision id, or one that does not exist, is 404", async () => {
    const other = await call(detailPage.loader as Fn, `/app/routing/${ids.other}`, { params: { id: ids.other } });
    expect(other.status).toBe(404);
    const missing = await call(detailPage.loader as Fn, "/app/routing/nope", { params: { id: "nope" } });
    expect(missing.status).toBe(404);
  });

  it("a column that does not parse is reported plainly, not half-read", async () => {
    const row = await db.routingDecision.create({
      data: { shopId: demoShopId, orderGid: "gid://shopify/Order/77", orderName: "#1077", source: "API", mode: "SUGGEST", status: "SUGGESTED", currency: "USD", alternativesJson: "{not json", reasonsJson: '["a reason"]' },
    });
    const out = await call(detailPage.loader as Fn, `/app/routing/${row.id}`, { params: { id: row.id } });
    expect(out.status).toBe(200);
    expect(out.body.decision.problems).toEqual(["The list of alternatives is not valid JSON"]);
    expect(out.body.decision.reasons).toEqual(["a reason"]);
    await db.routingDecision.delete({ where: { id: row.id } });
  });
});

describe("routing settings", () => {
  const good = { mode: "AUTO", splitPenalty: "4.50", maxShipments: "2", promiseKeep: "SERVICE", defaultService: "NEXT_DAY", nodeChangePenalty: "1000.00", breakPenalty: "10000.00" };

  it("shows the defaults before anything is saved", async () => {
    const out = await call(settingsPage.loader as Fn, "/app/routing/settings");
    expect(out.body.values).toMatchObject({ mode: "SUGGEST", splitPenalty: "3.00", maxShipments: "2", promiseKeep: "NODE_AND_SERVICE", defaultService: "STANDARD" });
  });

  it("a bad value comes back 400 with its field named, and nothing is stored", async () => {
    const out = await call(settingsPage.action as Fn, "/app/routing/settings", { form: { ...good, splitPenalty: "lots", maxShipments: "7", mode: "SOMETIMES" } });
    expect(out.status).toBe(400);
    expect(Object.keys(out.body.errors).sort()).toEqual(["maxShipments", "mode", "splitPenalty"]);
    expect(out.body.errors.maxShipments).toMatch(/at most 3/);
    expect(out.body.values.splitPenalty).toBe("lots");
    expect((await getRoutingSettings(demoShopId)).updatedAt).toBeNull();
  });

  it("saves valid settings, keeps options the form does not show, and says the demo has no store for the function", async () => {
    await saveRoutingSettings(demoShopId, { mode: "SUGGEST", splitPenaltyMinor: 300, config: { candidatesPerOrder: 5 } });
    const out = await call(settingsPage.action as Fn, "/app/routing/settings", { form: good });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/app/routing/settings?saved=1&function=demo");
    const saved = await getRoutingSettings(demoShopId);
    expect(saved.mode).toBe("AUTO");
    expect(saved.splitPenaltyMinor).toBe(450);
    expect(saved.config).toMatchObject({ candidatesPerOrder: 5, maxShipments: 2, promise: { keep: "SERVICE", defaultService: "NEXT_DAY", nodeChangePenaltyMinor: 100_000, breakPenaltyMinor: 1_000_000 } });
    const page = await call(settingsPage.loader as Fn, "/app/routing/settings");
    expect(page.body.values).toMatchObject(good);
    // Another shop's settings are untouched.
    expect((await getRoutingSettings(otherShopId)).updatedAt).toBeNull();
  });
});
