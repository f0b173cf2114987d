// The merchant's shipping admin pages, called as Remix calls them: real Requests to the real
// loaders and actions, in demo mode, against this file's database with the demo marketplace.
// Bad input comes back 400 with the field named; nothing half-valid is stored; another shop's
// configuration is neither shown nor changed.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// Demo mode (no Shopify session) must be on before the app's configuration is first read.
vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import { db } from "~/db.server";
import * as overview from "~/routes/app.shipping._index";
import * as rateCards from "~/routes/app.shipping.rate-cards._index";
import * as rateImport from "~/routes/app.shipping.rate-cards.import";
import * as couriers from "~/routes/app.shipping.couriers";
import * as nodesPage from "~/routes/app.shipping.nodes";
import * as pricing from "~/routes/app.shipping.pricing";
import * as simulator from "~/routes/app.shipping.simulator";
import { getShopShipping, saveBackupRates, saveQuoteConfig } from "~/services/shipping-settings.server";
import { flushQuoteLogs } from "~/services/quotes.server";
import type { QuoteConfigInput } from "~/core/quoting";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { bikeCourier } from "../core/fixtures";
import { makeShop } from "../support/factories";

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
type Form = Record<string, string | string[]>;
interface Outcome {
  status: number;
  location: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The versions a page opened now would post: the settings' and, for node fields, each node's. */
async function withVersions(form: Form): Promise<Form> {
  const out: Form = { ...form };
  if (!("version" in out)) {
    const row = await db.shippingSettings.findUnique({ where: { shopId }, select: { version: true } });
    out.version = String(row?.version ?? 1);
  }
  for (const key of Object.keys(form)) {
    const m = /^nodes\.([^.]+)\.prepMinutes$/.exec(key);
    if (m && !(`nodes.${m[1]}.version` in out)) {
      const node = await db.node.findUnique({ where: { id: m[1] }, select: { version: true } });
      out[`nodes.${m[1]}.version`] = String(node?.version ?? 1);
    }
  }
  return out;
}

/**
 * Calls a loader (no form) or action (form) and normalises what Remix would send. A form is posted
 * with the versions a page opened just now would carry, unless it names its own (`raw`: as given).
 */
async function call(fn: Fn, path: string, form?: Form, opts: { raw?: boolean } = {}): Promise<Outcome> {
  let body: FormData | undefined;
  if (form) {
    if (!opts.raw) form = await withVersions(form);
    body = new FormData();
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  }
  const request = new Request(`http://127.0.0.1:3000${path}`, form ? { method: "POST", body } : {});
  try {
    const out = await fn({ request, params: {}, context: {} });
    if (out instanceof Response) return { status: out.status, location: out.headers.get("Location"), body: null };
    const d = out as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, location: null, body: d.data };
    return { status: 200, location: null, body: out };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("Location"), body: await thrown.text() };
    throw thrown;
  }
}

const PRICES = [
  "up_to_grams,zone1,zone2,zone3",
  "250,7.10,7.60,8.30",
  "500,8.95,9.40,10.25",
  "1000,9.85,10.60,11.90",
  "2000,11.20,12.35,14.10",
  "3000,12.40,13.80,15.95",
  "5000,14.60,16.9O,19.75",
].join("\n");

function importForm(over: Form = {}): Form {
  return {
    intent: "save",
    carrier: "Metro Parcel",
    service: "Ground",
    destinationCountries: "US",
    zoningBy: "distance",
    pricesText: PRICES.replace("16.9O", "16.90"),
    zoningText: "up_to_km,zone\n80,zone1\n400,zone2\n3000,zone3",
    transitText: "zone,min_days,max_days\nzone1,1,2\nzone2,2,3\nzone3,3,5",
    dimDivisor: "5000",
    extraPerKg: "1.50",
    deliversOn: ["mon", "tue", "wed", "thu", "fri"],
    deliveryFrom: "09:00",
    deliveryTo: "20:00",
    "surcharges.0.code": "FUEL_PERCENT",
    "surcharges.0.args.percent": "12.5",
    ...over,
  };
}

let shopId: string;
let otherShopId: string;
let nodeIds: { hub: string; warehouse: string; factory: string };
let stockedSku: string;
const BASE_CONFIG: QuoteConfigInput = { rateCards: [], couriers: [], corridors: [], pricingRules: [] };

beforeAll(async () => {
  const seeded = await seedDemoMarketplace(db, { now: new Date("2026-11-20T12:00:00Z"), orderDays: 3 });
  shopId = seeded.shopId;
  const byHandle = async (handle: string) => (await db.node.findFirstOrThrow({ where: { shopId, handle } })).id;
  nodeIds = { hub: await byHandle("nyc-bk-hub"), warehouse: await byHandle("nj-secaucus-dc"), factory: await byHandle("nyc-lic-print") };
  const stock = await db.stockLevel.findFirstOrThrow({
    where: { shopId, nodeId: nodeIds.hub, available: { gt: 0 } },
    include: { product: true },
    orderBy: [{ available: "desc" }, { productId: "asc" }],
  });
  stockedSku = stock.product.sku;
  // Another shop with its own card, which no page of the demo shop may show or change.
  otherShopId = (await makeShop(db, "other-merchant.myshopify.com")).id;
  await saveQuoteConfig(otherShopId, {
    rateCards: [
      {
        id: "secret-card",
        carrier: "Other Co",
        service: "Ground",
        currency: "USD",
        destinationCountries: ["US"],
        zoning: { by: "distance", bands: [{ upToM: 1_000_000, zone: "1" }] },
        zones: [{ zone: "1", transitDaysMin: 1, transitDaysMax: 2 }],
        weightBands: [{ upToGrams: 1000, pricesMinor: { "1": 500 } }],
      },
    ],
  });
});

beforeEach(async () => {
  await saveQuoteConfig(shopId, BASE_CONFIG);
});

const config = async () => (await getShopShipping(shopId)).config;

const courierForm = (over: Form = {}): Form => ({
  intent: "save-courier",
  id: "",
  name: "Bike courier",
  nodeIds: [nodeIds.hub],
  base: "6.00",
  perKm: "1.50",
  circuityFactor: "1.3",
  maxRoadDistanceKm: "15",
  maxWeightKg: "20",
  speedKmh: "18",
  pickupMinutes: "15",
  "surge.0.code": "HOUR_WEEKDAY",
  "surge.0.args.days": ["mon", "tue", "wed", "thu", "fri"],
  "surge.0.args.from": "17:00",
  "surge.0.args.to": "19:00",
  "surge.0.args.multiplier": "1.25",
  "surge.1.code": "LOAD_RATIO",
  "surge.1.args.steps": "0.8, 1.2\n0.95 × 1.5",
  ...over,
});

describe("overview", () => {
  it("shows the carrier-service state, counts and what each node can offer; registration needs a store", async () => {
    const page = await call(overview.loader as Fn, "/app/shipping");
    expect(page.status).toBe(200);
    expect(page.body.demo).toBe(true);
    expect(page.body.carrierService).toMatchObject({ status: "NOT_REGISTERED", name: "Nearhub live rates" });
    expect(page.body.carrierService.callbackUrl).toMatch(/\/api\/carrier-service\/rates$/);
    expect(page.body.counts).toMatchObject({ rateCards: 0, couriers: 0, corridors: 0, pricingRules: 0 });
    const hub = page.body.services.find((s: { id: string }) => s.id === nodeIds.hub);
    expect(hub.offers).toEqual(expect.arrayContaining(["Same day", "Next day", "Pickup"]));
    expect(hub.gaps.join(" ")).toContain("no courier collects here");

    const register = await call(overview.action as Fn, "/app/shipping?index", { intent: "register" });
    expect(register.status).toBe(409);
    expect(register.body.error).toContain("needs a connected Shopify store");
    expect((await getShopShipping(shopId)).carrierService.status).toBe("NOT_REGISTERED");
  });
});

describe("rate cards: import from CSV", () => {
  it("previews a table with a bad cell: 400, the row and column named, nothing saved", async () => {
    const res = await call(rateImport.action as Fn, "/app/shipping/rate-cards/import", importForm({ intent: "preview", pricesText: PRICES }));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { table: "prices", row: 7, column: 3, columnName: "zone2", message: '"16.9O" is not a price (write it like 8.95)' },
    ]);
    expect(res.body.errors).toEqual({ pricesText: 'Row 7, column 3 (zone2): "16.9O" is not a price (write it like 8.95)' });
    // The preview still shows the six rows read, so the merchant sees the table around the mistake.
    expect(res.body.preview.prices.bands).toHaveLength(6);
    expect(await config()).toMatchObject({ rateCards: [] });
  });

  it("previews a clean table without saving, then saves it", async () => {
    const preview = await call(rateImport.action as Fn, "/app/shipping/rate-cards/import", importForm({ intent: "preview" }));
    expect(preview.status).toBe(200);
    expect(preview.body.issues).toEqual([]);
    expect(preview.body.preview.prices.zones).toEqual(["1", "2", "3"]);
    expect((await config()).rateCards).toEqual([]);

    const saved = await call(rateImport.action as Fn, "/app/shipping/rate-cards/import", importForm());
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/app/shipping/rate-cards?saved=metro-parcel-ground");
    const [card] = (await config()).rateCards!;
    expect(card).toMatchObject({
      id: "metro-parcel-ground",
      carrier: "Metro Parcel",
      currency: "USD",
      originNodeIds: null,
      extraPerKgMinor: 150,
      dimDivisor: 5000,
      surcharges: [{ code: "FUEL_PERCENT", args: { percent: 12.5 } }],
      deliveryHours: ["09:00", "20:00"],
    });
    expect(card.weightBands[5]).toEqual({ upToGrams: 5000, pricesMinor: { "1": 1460, "2": 1690, "3": 1975 } });

    const list = await call(rateCards.loader as Fn, "/app/shipping/rate-cards");
    expect(list.body.cards).toHaveLength(1);
    expect(list.body.cards[0]).toMatchObject({ id: "metro-parcel-ground", title: "Metro Parcel · Ground", countries: "US" });
    expect(list.body.cards[0].surcharges).toEqual(["Fuel surcharge (% of freight) (fuel surcharge 12.5%)"]);
    // The demo shop weighs in pounds, so it reads the card in miles, pounds and cubic inches per pound.
    expect(list.body.cards[0].zoning).toBe("3 distance bands, up to 1,864 mi");
    expect(list.body.cards[0].weights).toMatch(/^\d+ weight rows up to [\d.]+ lb, then \$0\.68 per lb over that$/);
    expect(list.body.cards[0].dim).toBe("dimensional weight at 138 in³/lb");
    expect(list.body.cards[0].priceRange).toMatch(/^\$\d+\.\d\d–\$\d+\.\d\d$/);
  });

  it("names bad fields: a missing carrier, a surcharge out of range, an unknown node, hours backwards", async () => {
    const res = await call(
      rateImport.action as Fn,
      "/app/shipping/rate-cards/import",
      importForm({
        carrier: " ",
        "surcharges.0.args.percent": "150",
        originNodeIds: ["not-a-node"],
        deliveryFrom: "20:00",
        deliveryTo: "09:00",
        destinationCountries: "USA",
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({
      carrier: "Carrier is required",
      "surcharges.0.args.percent": "Fuel surcharge (%) must be at most 100",
      originNodeIds: "One of the chosen nodes is not in your network any more",
      deliveryTo: "Must be after the start of delivery hours",
      destinationCountries: "Destination countries are two-letter codes such as US, CA",
    });
    expect((await config()).rateCards).toEqual([]);
  });

  it("refuses a table far larger than any rate card without parsing it", async () => {
    const res = await call(rateImport.action as Fn, "/app/shipping/rate-cards/import", importForm({ intent: "preview", zoningText: "prefix,zone\n".padEnd(300_001, "1") }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ zoningText: "Zoning table is too large (over 300 KB): is this the right file?" });
  });

  it("replaces a card in place (prefilled from the stored card) and deletes it; another shop's card is out of reach", async () => {
    await call(rateImport.action as Fn, "/app/shipping/rate-cards/import", importForm({ originNodeIds: [nodeIds.warehouse] }));
    const form = await call(rateImport.loader as Fn, "/app/shipping/rate-cards/import?replace=metro-parcel-ground");
    expect(form.status).toBe(200);
    expect(form.body.initial).toMatchObject({ replaceId: "metro-parcel-ground", carrier: "Metro Parcel", originNodeIds: [nodeIds.warehouse], extraPerKg: "1.50" });
    expect(form.body.initial.pricesText.split("\n")[0]).toBe("up_to_grams,zone1,zone2,zone3");

    const replaced = await call(
      rateImport.action as Fn,
      "/app/shipping/rate-cards/import",
      importForm({ replaceId: "metro-parcel-ground", service: "Ground Saver", pricesText: form.body.initial.pricesText.replace("8.95", "8.50") }),
    );
    expect(replaced.status).toBe(302);
    const cards = (await config()).rateCards!;
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ id: "metro-parcel-ground", service: "Ground Saver" });
    expect(cards[0].weightBands[1].pricesMinor["1"]).toBe(850);

    expect((await call(rateImport.loader as Fn, "/app/shipping/rate-cards/import?replace=secret-card")).status).toBe(404);
    expect((await call(rateCards.action as Fn, "/app/shipping/rate-cards", { intent: "delete", id: "secret-card" })).status).toBe(404);
    expect((await getShopShipping(otherShopId)).config.rateCards).toHaveLength(1);
    const list = await call(rateCards.loader as Fn, "/app/shipping/rate-cards");
    expect(list.body.cards.map((c: { id: string }) => c.id)).toEqual(["metro-parcel-ground"]);

    const deleted = await call(rateCards.action as Fn, "/app/shipping/rate-cards", { intent: "delete", id: "metro-parcel-ground" });
    expect(deleted).toMatchObject({ status: 200, body: { deleted: "Metro Parcel · Ground Saver" } });
    expect((await config()).rateCards).toEqual([]);
  });
});

describe("couriers and corridors", () => {

  it("refuses a surge rule that ends before it starts and a negative fare, naming the fields", async () => {
    const res = await call(couriers.action as Fn, "/app/shipping/couriers", courierForm({ base: "-6", "surge.0.args.to": "16:00", "surge.1.args.steps": "0.8" }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({
      base: 'Base fare: "-6" is negative; prices cannot be',
      "surge.0.args.to": "From must be before until",
      "surge.1.args.steps": "Line 1: write at least, multiplier (2 numbers)",
    });
    expect(res.body.courierValues.name).toBe("Bike courier");
    expect((await config()).couriers).toEqual([]);
  });

  it("saves a courier with its surge rules in merchant units, and keeps fields the form does not edit", async () => {
    const res = await call(couriers.action as Fn, "/app/shipping/couriers", courierForm());
    expect(res).toMatchObject({ status: 302, location: "/app/shipping/couriers?saved=Bike%20courier" });
    const [saved] = (await config()).couriers!;
    expect(saved).toEqual({
      id: "bike-courier",
      name: "Bike courier",
      nodeIds: [nodeIds.hub],
      baseMinor: 600,
      perKmMinor: 150,
      circuityFactor: 1.3,
      maxRoadDistanceM: 15_000,
      maxWeightGrams: 20_000,
      speedKmh: 18,
      pickupMinutes: 15,
      quoteProvider: null,
      surge: [
        { code: "HOUR_WEEKDAY", args: { days: ["mon", "tue", "wed", "thu", "fri"], from: "17:00", to: "19:00", multiplier: 1.25 } },
        { code: "LOAD_RATIO", args: { steps: [{ atLeast: 0.8, multiplier: 1.2 }, { atLeast: 0.95, multiplier: 1.5 }] } },
      ],
    });

    // A quote provider set elsewhere survives an edit of the fare.
    const current = await config();
    await saveQuoteConfig(shopId, { ...current, couriers: [{ ...saved, quoteProvider: { code: "DOORDASH_DRIVE", args: { contactPhone: "+12125550100" } } }] });
    const editForm = await call(couriers.loader as Fn, "/app/shipping/couriers?edit=courier:bike-courier");
    expect(editForm.body.courierForm).toMatchObject({ id: "bike-courier", base: "6.00", maxRoadDistanceKm: "15" });
    expect(editForm.body.courierForm.surge[1]).toEqual({ code: "LOAD_RATIO", values: { steps: "0.8, 1.2\n0.95, 1.5" } });
    const edited = await call(couriers.action as Fn, "/app/shipping/couriers", courierForm({ id: "bike-courier", base: "7.25" }));
    expect(edited.status).toBe(302);
    const [after] = (await config()).couriers!;
    expect(after).toMatchObject({ id: "bike-courier", baseMinor: 725, quoteProvider: { code: "DOORDASH_DRIVE" } });
  });

  const corridorForm = (over: Form = {}): Form => ({
    intent: "save-corridor",
    id: "",
    name: "Williamsburg robots",
    nodeId: nodeIds.hub,
    polygon: JSON.stringify({
      type: "FeatureCollection",
      features: [{ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[[-73.975, 40.7], [-73.935, 40.7], [-73.935, 40.735], [-73.975, 40.735], [-73.975, 40.7]]] } }],
    }),
    status: "OPEN",
    closedReason: "",
    "hours.mon": "10:00-19:00",
    "hours.tue": "10:00-19:00",
    "hours.wed": "10:00-19:00",
    "hours.thu": "10:00-19:00",
    "hours.fri": "10:00-19:00",
    "hours.sat": "11:00-17:00",
    "hours.sun": "closed",
    maxPayloadKg: "9",
    maxItemSideCm: "50",
    maxVolumeL: "",
    base: "2.99",
    perKm: "0.60",
    circuityFactor: "1.2",
    speedKmh: "6",
    ...over,
  });

  it("refuses an open ring, bad hours and a closed corridor without a reason", async () => {
    const res = await call(
      couriers.action as Fn,
      "/app/shipping/couriers",
      corridorForm({ polygon: '{"type":"Polygon","coordinates":[[[-73.9,40.7],[-73.8,40.7],[-73.8,40.8],[-73.9,40.8]]]}', "hours.sat": "5pm", status: "CLOSED" }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.polygon).toContain("a ring must end where it starts");
    expect(res.body.errors["hours.sat"]).toBe('Sat hours: "5pm" is not a time range such as 09:00-18:00');
    expect(res.body.errors.closedReason).toContain("Say why it is closed");
    expect((await config()).corridors).toEqual([]);
  });

  it("saves a corridor from a geojson.io export, closes it with a reason and reopens it", async () => {
    expect((await call(couriers.action as Fn, "/app/shipping/couriers", corridorForm())).status).toBe(302);
    const [saved] = (await config()).corridors!;
    expect(saved).toMatchObject({
      id: "williamsburg-robots",
      nodeId: nodeIds.hub,
      status: "OPEN",
      closedReason: null,
      maxPayloadGrams: 9000,
      maxItemSideMm: 500,
      maxVolumeMm3: null,
      baseMinor: 299,
      perKmMinor: 60,
    });
    expect(saved.polygon.type).toBe("Polygon");
    expect(saved.operatingHours).toMatchObject({ sat: [["11:00", "17:00"]], sun: [] });

    const noReason = await call(couriers.action as Fn, "/app/shipping/couriers", { intent: "corridor-status", id: saved.id, status: "CLOSED", closedReason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.closedReason).toContain("Say why it is closed");
    const closed = await call(couriers.action as Fn, "/app/shipping/couriers", { intent: "corridor-status", id: saved.id, status: "CLOSED", closedReason: "snow" });
    expect(closed.status).toBe(302);
    expect((await config()).corridors![0]).toMatchObject({ status: "CLOSED", closedReason: "snow" });
    const list = await call(couriers.loader as Fn, "/app/shipping/couriers");
    expect(list.body.corridors[0]).toMatchObject({ status: "CLOSED", closedReason: "snow", node: "Williamsburg Micro-hub" });
    // In the demo shop's units: 9 kg is 19.84 lb, 500 mm is 19.7 in, 0.60 per km is 0.966 per mile.
    expect(list.body.corridors[0].limits).toBe("up to 19.84 lb, items up to 19.7 in");
    expect(list.body.corridors[0].price).toMatch(/^\$2\.99 \+ \$0\.966 per mile at [\d.]+ mph$/);

    await call(couriers.action as Fn, "/app/shipping/couriers", { intent: "corridor-status", id: saved.id, status: "OPEN" });
    expect((await config()).corridors![0]).toMatchObject({ status: "OPEN", closedReason: null });
    // Another shop's corridor id is a 404, not a change.
    expect((await call(couriers.action as Fn, "/app/shipping/couriers", { intent: "delete-corridor", id: "nope" })).status).toBe(404);
  });
});

describe("node operations", () => {
  it("refuses a date that does not exist; saves holidays and minutes on each node's own row", async () => {
    const page = await call(nodesPage.loader as Fn, "/app/shipping/nodes");
    const hub = page.body.nodes.find((n: { id: string }) => n.id === nodeIds.hub);
    expect(hub.values).toMatchObject({ prepMinutes: "25" }); // the demo seed's
    expect(page.body.problems).toEqual([]);

    const form = (holidays: string): Form => ({
      intent: "save-node-ops",
      [`nodes.${nodeIds.hub}.holidays`]: holidays,
      [`nodes.${nodeIds.hub}.prepMinutes`]: "20",
      [`nodes.${nodeIds.hub}.makeSetupMinutes`]: "0",
      [`nodes.${nodeIds.hub}.makeMinutesPerUnit`]: "0",
      [`nodes.${nodeIds.factory}.holidays`]: "",
      [`nodes.${nodeIds.factory}.prepMinutes`]: "45",
      [`nodes.${nodeIds.factory}.makeSetupMinutes`]: "20",
      [`nodes.${nodeIds.factory}.makeMinutesPerUnit`]: "12.5",
    });
    const before = await db.node.findUniqueOrThrow({ where: { id: nodeIds.hub } });
    const bad = await call(nodesPage.action as Fn, "/app/shipping/nodes", form("2026-12-25, 2026-02-30"));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ [`nodes.${nodeIds.hub}.holidays`]: "“2026-02-30” is not a date as YYYY-MM-DD" });
    expect(await db.node.findUniqueOrThrow({ where: { id: nodeIds.hub } })).toEqual(before);

    const ok = await call(nodesPage.action as Fn, "/app/shipping/nodes", form("2027-01-01\n2026-12-25, 2026-12-25"));
    expect(ok.status).toBe(302);
    const hubRow = await db.node.findUniqueOrThrow({ where: { id: nodeIds.hub } });
    expect(hubRow).toMatchObject({ prepMinutes: 20, holidaysJson: '["2026-12-25","2027-01-01"]', makeSetupMinutes: 0, makeMinutesPerUnit: 0, version: before.version + 1 });
    expect(await db.node.findUniqueOrThrow({ where: { id: nodeIds.factory } })).toMatchObject({ prepMinutes: 45, makeSetupMinutes: 20, makeMinutesPerUnit: 12.5 });
    // The shipping settings hold no node operations.
    expect(JSON.parse((await db.shippingSettings.findUniqueOrThrow({ where: { shopId } })).configJson)).not.toHaveProperty("nodes");
  });

  it("refuses a save from a page opened before another save of the same node, and writes nothing", async () => {
    const opened = await db.node.findUniqueOrThrow({ where: { id: nodeIds.hub } });
    const form = (prep: string): Form => ({
      intent: "save-node-ops",
      [`nodes.${nodeIds.hub}.holidays`]: "",
      [`nodes.${nodeIds.hub}.prepMinutes`]: prep,
      [`nodes.${nodeIds.hub}.makeSetupMinutes`]: "0",
      [`nodes.${nodeIds.hub}.makeMinutesPerUnit`]: "0",
      [`nodes.${nodeIds.hub}.version`]: String(opened.version),
    });
    expect((await call(nodesPage.action as Fn, "/app/shipping/nodes", form("11"))).status).toBe(302);
    const stale = await call(nodesPage.action as Fn, "/app/shipping/nodes", form("99"));
    expect(stale.status).toBe(409);
    expect(stale.body.stale).toContain("changed since you opened it");
    expect(stale.body.values[nodeIds.hub].prepMinutes).toBe("99"); // what was typed comes back to the page
    expect(await db.node.findUniqueOrThrow({ where: { id: nodeIds.hub } })).toMatchObject({ prepMinutes: 11, version: opened.version + 1 });
  });

  it("reports closed days stored in a shape this version does not read on the Node operations page and the overview", async () => {
    await db.node.update({ where: { id: nodeIds.hub }, data: { holidaysJson: '["25/12/2026"]' } });
    try {
      const page = await call(nodesPage.loader as Fn, "/app/shipping/nodes");
      expect(page.body.problems).toEqual([
        expect.objectContaining({ part: "nodeOperations", key: nodeIds.hub, label: "Williamsburg Micro-hub: operations", issues: ["holidays.0: must be a date as YYYY-MM-DD"] }),
      ]);
      // The stored value is shown for correction.
      expect(page.body.nodes.find((n: { id: string }) => n.id === nodeIds.hub).values.holidays).toBe("25/12/2026");
      const overviewPage = await call(overview.loader as Fn, "/app/shipping");
      expect(overviewPage.body.problems.map((p: { key: string }) => p.key)).toEqual([nodeIds.hub]);
    } finally {
      await db.node.update({ where: { id: nodeIds.hub }, data: { holidaysJson: "[]" } });
    }
  });
});

describe("pricing rules and backup rates", () => {
  it("refuses bad rule arguments by field, then saves the rules in the order shown", async () => {
    const bad = await call(pricing.action as Fn, "/app/shipping/pricing", {
      intent: "pricing",
      "pricingRules.0.code": "MARGIN_PERCENT",
      "pricingRules.0.args.percent": "lots",
      "pricingRules.1.code": "FREE_OVER_DYNAMIC_THRESHOLD",
      "pricingRules.1.args.productMarginPercent": "30",
      "pricingRules.1.args.targetMarginPercent": "40",
      "pricingRules.2.code": "NOT_A_RULE",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({
      "pricingRules.0.args.percent": "Percentage must be a number",
      "pricingRules.1.args.targetMarginPercent": "Margin you want to keep must be below gross margin on your goods",
      "pricingRules.2.code": expect.stringContaining("Choose a pricing rule"),
    });
    expect((await config()).pricingRules).toEqual([]);

    const ok = await call(pricing.action as Fn, "/app/shipping/pricing", {
      intent: "pricing",
      "pricingRules.0.code": "MARGIN_PERCENT",
      "pricingRules.0.args.percent": "20",
      "pricingRules.1.code": "FREE_OVER_SUBTOTAL",
      "pricingRules.1.args.minSubtotalMinor": "75.00",
      "pricingRules.1.args.services": "STANDARD",
      "pricingRules.2.code": "ROUND_CHARM",
      "pricingRules.2.args.unitMinor": "1.00",
      "pricingRules.2.args.endingMinor": "0.99",
    });
    expect(ok).toMatchObject({ status: 302, location: "/app/shipping/pricing?saved=pricing" });
    expect((await config()).pricingRules).toEqual([
      { code: "MARGIN_PERCENT", args: { percent: 20, services: null } },
      { code: "FREE_OVER_SUBTOTAL", args: { minSubtotalMinor: 7500, services: ["STANDARD"] } },
      { code: "ROUND_CHARM", args: { unitMinor: 100, endingMinor: 99, services: null } },
    ]);
    const page = await call(pricing.loader as Fn, "/app/shipping/pricing");
    expect(page.body.rules[1]).toEqual({ code: "FREE_OVER_SUBTOTAL", values: { minSubtotalMinor: "75.00", services: ["STANDARD"] } });
  });

  it("refuses a backup rate without a price and a budget out of range; saves good ones", async () => {
    const row = (i: number, over: Record<string, string> = {}) =>
      Object.fromEntries(
        Object.entries({ serviceName: "Standard shipping", serviceCode: `NH:BACKUP:S${i}`, description: "", price: "8.99", freeOver: "", transitDaysMin: "3", transitDaysMax: "7", ...over }).map(([k, v]) => [
          `backup.${i}.${k}`,
          v,
        ]),
      );
    const bad = await call(pricing.action as Fn, "/app/shipping/pricing", { intent: "backup", ...row(0, { price: "" }), ...row(1, { serviceCode: "NH:BACKUP:S0", transitDaysMax: "1" }), quoteBudgetMs: "20" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({
      "backup.0.price": "Price is required",
      "backup.1.transitDaysMax": "Must be at least the fewest days",
      quoteBudgetMs: "Checkout time budget must be at least 50",
    });
    const ok = await call(pricing.action as Fn, "/app/shipping/pricing", { intent: "backup", ...row(0, { freeOver: "75" }), ...row(1, { serviceName: "Express", price: "24.99", transitDaysMin: "1", transitDaysMax: "2" }), quoteBudgetMs: "350" });
    expect(ok.status).toBe(302);
    const shipping = await getShopShipping(shopId);
    expect(shipping.quoteBudgetMs).toBe(350);
    expect(shipping.backupRates).toEqual([
      { serviceName: "Standard shipping", serviceCode: "NH:BACKUP:S0", description: "", priceMinor: 899, freeOverMinor: 7500, transitDaysMin: 3, transitDaysMax: 7 },
      { serviceName: "Express", serviceCode: "NH:BACKUP:S1", description: "", priceMinor: 2499, freeOverMinor: null, transitDaysMin: 1, transitDaysMax: 2 },
    ]);
    await saveBackupRates(shopId, null, [], 400);
  });
});

describe("saves that cannot be lost", () => {
  it("two saves from the same version at once: one wins, the other is told it changed and writes nothing", async () => {
    const { version } = await getShopShipping(shopId);
    const configVersion = (await db.shop.findUniqueOrThrow({ where: { id: shopId } })).configVersion;
    const [a, b] = await Promise.all([
      call(couriers.action as Fn, "/app/shipping/couriers", { ...courierForm({ name: "Tab A courier" }), version: String(version) }),
      call(couriers.action as Fn, "/app/shipping/couriers", { ...courierForm({ name: "Tab B courier" }), version: String(version) }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([302, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.stale).toMatch(/^The courier list changed since you opened it/);
    expect(loser.body.courierValues.name).toBe(a.status === 409 ? "Tab A courier" : "Tab B courier");
    const after = await getShopShipping(shopId);
    expect(after.config.couriers.map((c) => c.name)).toEqual([a.status === 302 ? "Tab A courier" : "Tab B courier"]);
    expect(after.version).toBe(version + 1);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).configVersion).toBe(configVersion + 1);
  });

  it("a page opened before a save of another part is refused too, and a form without a version is refused", async () => {
    const { version } = await getShopShipping(shopId);
    expect((await call(couriers.action as Fn, "/app/shipping/couriers", courierForm())).status).toBe(302);
    const stale = await call(pricing.action as Fn, "/app/shipping/pricing", {
      intent: "pricing",
      version: String(version),
      "pricingRules.0.code": "MARGIN_PERCENT",
      "pricingRules.0.args.percent": "20",
    });
    expect(stale.status).toBe(409);
    expect(stale.body.rules).toEqual([{ code: "MARGIN_PERCENT", values: { percent: "20", services: [] } }]);
    expect((await config()).pricingRules).toEqual([]);
    const none = await call(rateCards.action as Fn, "/app/shipping/rate-cards", { intent: "delete", id: "nope" }, { raw: true });
    expect(none.status).toBe(404);
    const noVersion = await call(couriers.action as Fn, "/app/shipping/couriers", courierForm({ name: "No version" }), { raw: true });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.errors.form).toContain("reload the page");
  });

  it("stores the parsed value: a save writes the schema's output, not the form's text", async () => {
    expect((await call(couriers.action as Fn, "/app/shipping/couriers", courierForm())).status).toBe(302);
    const stored = JSON.parse((await db.shippingSettings.findUniqueOrThrow({ where: { shopId } })).configJson);
    expect(stored.couriers[0]).toMatchObject({ baseMinor: 600, circuityFactor: 1.3, quoteProvider: null });
    expect(stored).toMatchObject({ pickup: { nodeKinds: ["MICRO_HUB", "STORE"] }, promise: { windowMinutes: 60 } });
  });

  it("a stored rate card that no longer reads is reported on its page with what to fix; the rest stays editable and it can be deleted", async () => {
    expect((await call(rateImport.action as Fn, "/app/shipping/rate-cards/import", importForm())).status).toBe(302);
    const row = await db.shippingSettings.findUniqueOrThrow({ where: { shopId } });
    const doc = JSON.parse(row.configJson);
    // An older version stored weights in pounds under another name.
    doc.rateCards.push({ id: "old-card", carrier: "Legacy Co", service: "Ground", currency: "USD", destinationCountries: ["US"], zoning: { by: "distance", bands: [{ upToM: 1000, zone: "1" }] }, zones: [{ zone: "1", transitDaysMin: 1, transitDaysMax: 2 }], weightBandsLb: [] });
    await db.shippingSettings.update({ where: { shopId }, data: { configJson: JSON.stringify(doc), version: { increment: 1 } } });

    const page = await call(rateCards.loader as Fn, "/app/shipping/rate-cards");
    expect(page.body.cards.map((c: { title: string }) => c.title)).toEqual(["Metro Parcel · Ground"]);
    expect(page.body.problems).toEqual([
      { part: "rateCards", key: "old-card", label: "Rate card Legacy Co · Ground", issues: ["weightBands: Invalid input: expected array, received undefined"], fix: expect.stringContaining("Replace it") },
    ]);
    // Another page's save keeps the broken card as it was (and its problem shown).
    expect((await call(couriers.action as Fn, "/app/shipping/couriers", courierForm())).status).toBe(302);
    expect(JSON.parse((await db.shippingSettings.findUniqueOrThrow({ where: { shopId } })).configJson).rateCards[1]).toMatchObject({ id: "old-card", weightBandsLb: [] });
    const overviewPage = await call(overview.loader as Fn, "/app/shipping");
    expect(overviewPage.body.problems.map((p: { key: string }) => p.key)).toEqual(["old-card"]);

    const deleted = await call(rateCards.action as Fn, "/app/shipping/rate-cards", { intent: "delete", id: "old-card" });
    expect(deleted.body).toMatchObject({ deleted: "Rate card Legacy Co · Ground" });
    expect((await getShopShipping(shopId)).problems).toEqual([]);
    expect((await config()).rateCards.map((c) => c.id)).toEqual(["metro-parcel-ground"]);
  });

  it("settings no page edits that no longer read are reported on the overview and put back to the defaults there", async () => {
    await db.shippingSettings.update({ where: { shopId }, data: { configJson: JSON.stringify({ ...BASE_CONFIG, promise: { windowMinutes: "an hour" } }), version: { increment: 1 } } });
    const page = await call(overview.loader as Fn, "/app/shipping");
    expect(page.body.problems).toEqual([expect.objectContaining({ part: "promise", label: "Delivery promise settings", issues: ["windowMinutes: Invalid input: expected number, received string"], resettable: true })]);
    const reset = await call(overview.action as Fn, "/app/shipping?index", { intent: "reset", part: "promise" });
    expect(reset.status).toBe(200);
    expect((await getShopShipping(shopId)).problems).toEqual([]);
    expect((await config()).promise).toEqual({ windowMinutes: 60, roundUpToMinutes: 60, horizonDays: 14 });
  });
});

describe("quote simulator", () => {
  it("names what is missing: an address, a product, a quantity", async () => {
    const res = await call(simulator.action as Fn, "/app/shipping/simulator", {
      country: "US",
      postalCode: "",
      latitude: "40.7",
      longitude: "",
      at: "",
      "lines.0.sku": "NOPE-1",
      "lines.0.quantity": "0",
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({
      longitude: "Give both latitude and longitude, or neither",
      "lines.0.sku": "No product with SKU NOPE-1 in this shop",
      "lines.0.quantity": "Quantity is at least 1",
    });
  });

  it("quotes a Williamsburg ZIP: options with a cost breakdown by component and node, windows in the node's zone, exclusions with reasons", async () => {
    await call(couriers.action as Fn, "/app/shipping/couriers", {
      intent: "save-courier",
      name: "Bike courier",
      nodeIds: [nodeIds.hub],
      base: "6.00",
      perKm: "1.50",
      circuityFactor: "1.3",
      maxRoadDistanceKm: "15",
      maxWeightKg: "20",
      speedKmh: "18",
      pickupMinutes: "15",
    });
    const page = await call(simulator.loader as Fn, "/app/shipping/simulator");
    expect(page.body.products.map((p: { sku: string }) => p.sku)).toContain(stockedSku);

    // Tuesday 24 November 2026, 11:00 in New York: before the hub's same-day cut-off.
    const form = {
      country: "US",
      postalCode: "11211",
      latitude: "",
      longitude: "",
      at: "2026-11-24T11:00",
      "lines.0.sku": stockedSku,
      "lines.0.quantity": "1",
    };
    // The courier just saved invalidated the prepared network: the first quote loads it (and on
    // a busy machine may exceed the checkout budget and answer with backup rates, as checkout
    // would). The second is the steady state a merchant sees.
    await call(simulator.action as Fn, "/app/shipping/simulator", form);
    const res = await call(simulator.action as Fn, "/app/shipping/simulator", form);
    expect(res.status).toBe(200);
    const result = res.body.result;
    expect(result.placed).toBe("postal_code");
    expect(result.fallbackUsed).toBe(false);
    const sameDay = result.options.find((o: { serviceCode: string }) => o.serviceCode === "NH:nyc-bk-hub:SAME_DAY");
    expect(sameDay).toBeDefined();
    expect(sameDay.nodeName).toBe("Williamsburg Micro-hub");
    expect(sameDay.components.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(["handling", "courier_base", "courier_distance"]));
    const sum = sameDay.components.reduce((s: number, c: { amountMinor: number }) => s + c.amountMinor, 0);
    expect(sum).toBe(sameDay.costMinor);
    expect(sameDay.window).toMatch(/^Tue, Nov 24, .* EST$/);
    expect(result.scaleMinor).toBeGreaterThanOrEqual(sameDay.costMinor);
    // Nodes left out say why (East Austin is 2,400 km away; no rate card prices standard delivery).
    expect(result.excluded.length).toBeGreaterThan(0);
    for (const e of result.excluded) expect(e.reasons.length).toBeGreaterThan(0);
    const austin = result.excluded.filter((e: { node: string }) => e.node === "East Austin Micro-hub");
    expect(austin.length).toBeGreaterThan(0);
    expect(austin.flatMap((e: { reasons: { message: string }[] }) => e.reasons.map((r) => r.message)).join(" ")).toMatch(/km away|no stock/);
    await flushQuoteLogs();
  });

  it("lists the options cheapest to the merchant first, whatever the shopper pays", async () => {
    // Same day by bike costs the merchant three times what pickup does; a pricing rule makes it free for the shopper.
    await saveQuoteConfig(shopId, {
      ...BASE_CONFIG,
      couriers: [bikeCourier({ id: "bike", nodeIds: [nodeIds.hub], surge: [] })],
      pricingRules: [{ code: "FREE_OVER_SUBTOTAL", args: { minSubtotalMinor: 0, services: ["SAME_DAY"] } }],
    });
    const form = { country: "US", postalCode: "11211", latitude: "", longitude: "", at: "2026-11-24T11:00", "lines.0.sku": stockedSku, "lines.0.quantity": "1" };
    await call(simulator.action as Fn, "/app/shipping/simulator", form);
    const res = await call(simulator.action as Fn, "/app/shipping/simulator", form);
    const options: { serviceCode: string; costMinor: number; priceMinor: number }[] = res.body.result.options;
    expect(options.length).toBeGreaterThan(1);
    const costs = options.map((o) => o.costMinor);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    const prices = options.map((o) => o.priceMinor);
    expect(prices).not.toEqual([...prices].sort((a, b) => a - b));
    // Ordered by the shopper's price (the old order), the free same-day option would have come first.
    expect(options.map((o) => [o.serviceCode, o.costMinor, o.priceMinor])).toEqual([
      ["NH:nyc-bk-hub:PICKUP", 450, 260],
      ["NH:nyc-bk-hub:SAME_DAY", 1397, 0],
      ["NH:nyc-bk-hub:NEXT_DAY", 1397, 1207],
    ]);
    await flushQuoteLogs();
  });
});
