// Split quotes on the demo marketplace (issue 12 items 1–2): a mug, a sticker pack ×2 and a cap
// from three creator shops, which no one node holds, get live rates made of parcels (no longer only
// the backup rates), and routing the order with a split rate's code ships exactly those parcels.
//
// Date is faked at Tuesday 10 June 2025, 11:00 New York time (test/support/quote-state.ts).
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// Demo mode (no Shopify session) must be on before the app's configuration is first read: the
// simulator page is called as Remix calls it.
vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});
import { db } from "~/db.server";
import { routeOrder } from "~/core/routing";
import { quoteForShop, type QuoteDestinationInput } from "~/services/quotes.server";
import { loadRoutingNetwork } from "~/services/routing/snapshot.server";
import { saveRoutingSettings } from "~/services/routing-settings.server";
import { buildPromise } from "~/services/delivery-promise.server";
import { parsePromise, viewOf } from "../../extensions/delivery-promise/src/promise-view";
import * as simulator from "~/routes/app.shipping.simulator";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { freshQuoteState, restoreQuoteState } from "../support/quote-state";

const NOW = new Date("2025-06-10T15:00:00Z");
const WILLIAMSBURG: QuoteDestinationInput = { country: "US", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 };
const CART = [
  { sku: "KK-MUG-SPK-12", quantity: 1 },
  { sku: "PM-STK-SUB-10", quantity: 2 },
  { sku: "LS-CAP-6PN-NVY", quantity: 1 },
];

let shop: { id: string; currency: string };

beforeAll(async () => {
  const seeded = await seedDemoMarketplace(db, { now: NOW, orderDays: 30 });
  shop = { id: seeded.shopId, currency: "USD" };
}, 60_000);

beforeEach(() => freshQuoteState(NOW));
afterEach(restoreQuoteState);

describe("the multi-seller cart", () => {
  it("gets live rates of several parcels to 11211, and routing ships what each rate promised", async () => {
    const q = await quoteForShop(shop, { lines: CART, destination: WILLIAMSBURG }, { source: "SIMULATOR", now: NOW, log: false });
    expect(q.fallbackUsed, q.fallbackReason ?? "").toBe(false);
    const split = q.result.options.filter((o) => o.shipments);
    expect(split.length).toBeGreaterThan(0);
    const rs = await loadRoutingNetwork(shop);
    for (const o of split) {
      expect(o.description).toMatch(new RegExp(`^${o.shipments!.length} parcels: `));
      expect(o.priceMinor).toBe(o.shipments!.reduce((s, p) => s + p.priceMinor, 0));
      expect(o.serviceCode.length).toBeLessThanOrEqual(255);
      const lines = CART.map((l, i) => ({ id: `l${i}`, productId: rs.snap.bySku.get(l.sku)!.id, quantity: l.quantity }));
      const d = routeOrder(rs.net, { id: "o1", placedAt: NOW.getTime(), destination: q.destination, lines, serviceCode: o.serviceCode }, { now: NOW.getTime() });
      expect(d.status).toBe("ROUTED");
      expect(d.promise.status).toBe("KEPT");
      expect(d.shipments.map((s) => `${s.nodeHandle}/${s.service}`).sort()).toEqual(o.shipments!.map((s) => `${s.nodeHandle}/${s.service}`).sort());
    }
  });

  it("the delivery promise (checkout extension, theme block) shows each parcel of a split option", async () => {
    const q = await quoteForShop(shop, { lines: CART, destination: WILLIAMSBURG }, { source: "SIMULATOR", now: NOW, log: false });
    const promise = buildPromise(q, new Map([[q.result.options[0].shipments![0].nodeId, { city: "Brooklyn", kind: "MICRO_HUB" }]]), { now: NOW });
    const split = promise.options.find((o) => o.parcels.length >= 2)!;
    expect(split).toBeDefined();
    expect(split.summary).toMatch(/^2 parcels: today from Williamsburg Micro-hub, \w{3} from /);
    expect(split.parcels.map((p) => p.items).reduce((a, b) => a + b, 0)).toBe(4);
    expect(split.parcels.map((p) => p.price.amountMinor).reduce((a, b) => a + b, 0)).toBe(split.price.amountMinor);
    expect(split.parcels[0].shipsFrom).toMatchObject({ name: "Williamsburg Micro-hub", city: "Brooklyn" });
    // Parcel costs are worded per node, with no node handle or component code in them.
    for (const c of split.breakdown.costs) expect(c.label).not.toMatch(/nyc-|lic-|_/);
    const view = viewOf({ kind: "ready", promise: parsePromise(JSON.parse(JSON.stringify(promise)))! });
    expect(view.kind).toBe("options");
    if (view.kind === "options") expect(view.options.find((o) => o.key === split.serviceCode)!.shipsFrom).toBe(split.summary);
  });

  it("the quote simulator draws each parcel's cost", async () => {
    const form = new FormData();
    const fields: Record<string, string> = { country: "US", postalCode: "11211", latitude: "40.7181", longitude: "-73.9571", at: "2025-06-10T11:00" };
    CART.forEach((l, i) => {
      fields[`lines.${i}.sku`] = l.sku;
      fields[`lines.${i}.quantity`] = String(l.quantity);
    });
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const out = (await simulator.action({ request: new Request("http://127.0.0.1:3000/app/shipping/simulator", { method: "POST", body: form }), params: {}, context: {} } as never)) as unknown as {
      data: { result: { options: { priceMinor: number; costMinor: number; parcels: { priceMinor: number; components: { amountMinor: number }[]; description: string }[] }[] } };
    };
    const split = out.data.result.options.filter((o) => o.parcels.length >= 2);
    expect(split.length).toBeGreaterThan(0);
    for (const o of split) {
      expect(o.parcels.reduce((sum, p) => sum + p.priceMinor, 0)).toBe(o.priceMinor);
      expect(o.parcels.reduce((sum, p) => sum + p.components.reduce((x, c) => x + c.amountMinor, 0), 0)).toBe(o.costMinor);
      for (const p of o.parcels) expect(p.description).toMatch(/ from /);
    }
  });

  it.each([
    ["78702", { country: "US", postalCode: "78702" }],
    ["90210", { country: "US", postalCode: "90210" }],
  ] as const)("gets a live rate to %s too", async (_zip, destination) => {
    const q = await quoteForShop(shop, { lines: CART, destination }, { source: "SIMULATOR", now: NOW, log: false });
    expect(q.fallbackUsed, q.fallbackReason ?? "").toBe(false);
    expect(q.result.options.length).toBeGreaterThan(0);
  });

  it("follows the merchant's most shipments per order: saved at 1, checkout offers no split (and reloads at once)", async () => {
    await saveRoutingSettings(shop.id, { mode: "SUGGEST", splitPenaltyMinor: 300, config: { maxShipments: 1 } });
    try {
      const q = await quoteForShop(shop, { lines: CART, destination: WILLIAMSBURG }, { source: "SIMULATOR", now: NOW, log: false });
      expect(q.result.options.filter((o) => o.shipments)).toEqual([]);
      expect(q.fallbackUsed).toBe(true);
    } finally {
      await saveRoutingSettings(shop.id, { mode: "SUGGEST", splitPenaltyMinor: 300, config: {} });
    }
    const again = await quoteForShop(shop, { lines: CART, destination: WILLIAMSBURG }, { source: "SIMULATOR", now: NOW, log: false });
    expect(again.result.options.some((o) => o.shipments)).toBe(true);
  });
});
