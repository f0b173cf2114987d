// A generated routing instance for benchmarks and tests: 20 nodes around four US metros (New York,
// Chicago, Los Angeles, Austin) plus three regional warehouses, 60 SKUs from 12 sellers (some made
// to order), a day of orders with a long tail across the country, and stock and capacity sized to be
// scarce: hubs hold a city's fast movers for less than a day of its demand and take fewer orders than
// their city places, warehouses hold only a little more of each SKU than the day asks for, spread
// unevenly, micro-factories make a limited number of units a day.
// Everything comes from a seeded PRNG (prisma/seed/random.ts): the same seed gives the same instance.
import { mulberry32, weightedIndex, type Rng } from "../../../prisma/seed/random";
import type { QuoteConfigInput } from "../../../app/core/quoting/config";
import type { RoutingConfigInput } from "../../../app/core/routing/config";
import type { RoutingOrder } from "../../../app/core/routing/types";
import type { NetworkNode, NetworkSnapshot, NodeKind, ProductProfile } from "../../../app/core/network/types";
import { bikeCourier, groundCard, hours, local, makeNode, makeProduct, robotCorridor } from "../fixtures";

interface MetroSpec {
  key: string;
  zone: string;
  lat: number;
  lng: number;
  /** Spread of addresses around the centre, degrees of latitude (about 111 km each). */
  spread: number;
  share: number;
}

const METROS: MetroSpec[] = [
  { key: "NYC", zone: "America/New_York", lat: 40.735, lng: -73.97, spread: 0.06, share: 0.32 },
  { key: "LA", zone: "America/Los_Angeles", lat: 34.05, lng: -118.3, spread: 0.09, share: 0.22 },
  { key: "CHI", zone: "America/Chicago", lat: 41.88, lng: -87.66, spread: 0.07, share: 0.16 },
  { key: "ATX", zone: "America/Chicago", lat: 30.27, lng: -97.74, spread: 0.06, share: 0.1 },
];

/** The long tail: other US cities (lat, lng), a fifth of the orders. */
const TAIL: [number, number][] = [
  [42.36, -71.06], [47.61, -122.33], [39.74, -104.99], [25.76, -80.19], [33.75, -84.39], [33.45, -112.07],
  [39.95, -75.17], [44.98, -93.27], [45.52, -122.68], [42.33, -83.05], [29.76, -95.37], [36.17, -86.78],
  [38.91, -77.04], [35.23, -80.84], [32.72, -117.16], [40.76, -111.89], [39.1, -94.58], [43.05, -87.91],
];

interface NodeSpec {
  id: string;
  kind: NodeKind;
  metro: string | null;
  zone: string;
  lat: number;
  lng: number;
  radiusM: number | null;
  capacity: number;
  handling: number;
  pickup: number;
  sellerId?: string;
}

const NODE_SPECS: NodeSpec[] = [
  { id: "nj-secaucus-dc", kind: "CENTRAL_WAREHOUSE", metro: "NYC", zone: "America/New_York", lat: 40.7895, lng: -74.0565, radiusM: null, capacity: 2200, handling: 150, pickup: 40 },
  { id: "nyc-bk-hub", kind: "MICRO_HUB", metro: "NYC", zone: "America/New_York", lat: 40.7142, lng: -73.9614, radiusM: 7000, capacity: 320, handling: 120, pickup: 0 },
  { id: "nyc-mn-hub", kind: "MICRO_HUB", metro: "NYC", zone: "America/New_York", lat: 40.7465, lng: -74.0014, radiusM: 6500, capacity: 320, handling: 130, pickup: 0 },
  { id: "nyc-qn-hub", kind: "MICRO_HUB", metro: "NYC", zone: "America/New_York", lat: 40.7644, lng: -73.9235, radiusM: 6000, capacity: 220, handling: 120, pickup: 0 },
  { id: "nyc-navy-yard", kind: "MICRO_FACTORY", metro: "NYC", zone: "America/New_York", lat: 40.7003, lng: -73.9717, radiusM: 9000, capacity: 140, handling: 200, pickup: 0 },
  { id: "chi-joliet-dc", kind: "CENTRAL_WAREHOUSE", metro: "CHI", zone: "America/Chicago", lat: 41.525, lng: -88.0817, radiusM: null, capacity: 1500, handling: 140, pickup: 40 },
  { id: "chi-loop-hub", kind: "MICRO_HUB", metro: "CHI", zone: "America/Chicago", lat: 41.8781, lng: -87.6298, radiusM: 8000, capacity: 240, handling: 120, pickup: 0 },
  { id: "chi-wicker-hub", kind: "MICRO_HUB", metro: "CHI", zone: "America/Chicago", lat: 41.9088, lng: -87.6796, radiusM: 6000, capacity: 160, handling: 120, pickup: 0 },
  { id: "chi-pilsen-factory", kind: "MICRO_FACTORY", metro: "CHI", zone: "America/Chicago", lat: 41.8565, lng: -87.656, radiusM: 9000, capacity: 90, handling: 200, pickup: 0 },
  { id: "la-ontario-dc", kind: "CENTRAL_WAREHOUSE", metro: "LA", zone: "America/Los_Angeles", lat: 34.0633, lng: -117.6509, radiusM: null, capacity: 1800, handling: 140, pickup: 40 },
  { id: "la-dtla-hub", kind: "MICRO_HUB", metro: "LA", zone: "America/Los_Angeles", lat: 34.0407, lng: -118.2468, radiusM: 9000, capacity: 280, handling: 120, pickup: 0 },
  { id: "la-santa-monica-hub", kind: "MICRO_HUB", metro: "LA", zone: "America/Los_Angeles", lat: 34.0195, lng: -118.4912, radiusM: 8000, capacity: 180, handling: 130, pickup: 0 },
  { id: "la-pasadena-hub", kind: "MICRO_HUB", metro: "LA", zone: "America/Los_Angeles", lat: 34.1478, lng: -118.1445, radiusM: 8000, capacity: 140, handling: 120, pickup: 0 },
  { id: "la-vernon-factory", kind: "MICRO_FACTORY", metro: "LA", zone: "America/Los_Angeles", lat: 34.0039, lng: -118.2301, radiusM: 12000, capacity: 110, handling: 200, pickup: 0 },
  { id: "atx-east-hub", kind: "MICRO_HUB", metro: "ATX", zone: "America/Chicago", lat: 30.264, lng: -97.717, radiusM: 10000, capacity: 200, handling: 120, pickup: 0 },
  { id: "atx-soco-store", kind: "STORE", metro: "ATX", zone: "America/Chicago", lat: 30.249, lng: -97.75, radiusM: 5000, capacity: 60, handling: 150, pickup: 0 },
  { id: "atx-studio", kind: "SELLER_STUDIO", metro: "ATX", zone: "America/Chicago", lat: 30.3, lng: -97.7, radiusM: 6000, capacity: 40, handling: 100, pickup: 0, sellerId: "s11" },
  { id: "mem-dc", kind: "CENTRAL_WAREHOUSE", metro: null, zone: "America/Chicago", lat: 35.1495, lng: -90.049, radiusM: null, capacity: 2600, handling: 110, pickup: 30 },
  { id: "dfw-dc", kind: "CENTRAL_WAREHOUSE", metro: null, zone: "America/Chicago", lat: 32.8998, lng: -97.0403, radiusM: null, capacity: 1600, handling: 120, pickup: 30 },
  { id: "reno-dc", kind: "CENTRAL_WAREHOUSE", metro: null, zone: "America/Los_Angeles", lat: 39.5296, lng: -119.8138, radiusM: null, capacity: 1400, handling: 120, pickup: 30 },
];

export interface RoutingInstance {
  snapshot: NetworkSnapshot;
  quoteConfig: QuoteConfigInput;
  routingConfig: RoutingConfigInput;
  orders: RoutingOrder[];
  /** The routing instant: 07:00 in New York on a Tuesday, before any cut-off. */
  now: number;
}

export interface InstanceOptions {
  seed?: number;
  orders?: number;
}

function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function generateInstance(opts: InstanceOptions = {}): RoutingInstance {
  const rng = mulberry32(opts.seed ?? 20251125);
  const orderCount = opts.orders ?? 10_000;
  const now = local("2025-06-10T07:00");

  const nodes: NetworkNode[] = NODE_SPECS.map((s) => {
    const hub = s.kind !== "CENTRAL_WAREHOUSE";
    return makeNode({
      id: s.id,
      handle: s.id,
      name: s.id,
      kind: s.kind,
      latitude: s.lat,
      longitude: s.lng,
      timezone: s.zone,
      serviceArea: { radiusM: s.radiusM, polygon: null },
      openingHours: s.kind === "MICRO_FACTORY" ? hours("08:00", "20:00", ["mon", "tue", "wed", "thu", "fri"]) : hub ? hours("08:00", "21:00") : hours("06:00", "22:00", ["mon", "tue", "wed", "thu", "fri", "sat"]),
      sameDayCutoff: s.kind === "MICRO_FACTORY" ? "13:00" : hub ? "16:00" : null,
      dailyCapacity: s.capacity,
      handlingCostMinor: s.handling,
      pickupCostMinor: s.pickup,
      sellerId: s.sellerId ?? null,
    });
  });

  // 60 SKUs from 12 sellers; every fifth is made to order (prints, tees, lamps).
  const products: ProductProfile[] = [];
  for (let i = 0; i < 60; i++) {
    const mto = i % 5 === 2;
    const weight = mto ? 250 + Math.floor(rng.next() * 900) : 150 + Math.floor(rng.next() * 2800);
    products.push(
      makeProduct({
        id: `p${i}`,
        sku: `SKU-${String(i).padStart(2, "0")}`,
        title: `Product ${i}`,
        sellerId: `s${i % 12}`,
        weightGrams: weight,
        lengthMm: 100 + Math.floor(rng.next() * 350),
        widthMm: 80 + Math.floor(rng.next() * 200),
        heightMm: 40 + Math.floor(rng.next() * 150),
        valueMinor: 1500 + Math.floor(rng.next() * 12000),
        returnRateBps: 200 + Math.floor(rng.next() * 1600),
        madeToOrder: mto,
      }),
    );
  }
  // Popularity: Zipf-like, shuffled so made-to-order SKUs are spread over the ranking.
  const popularity = products.map((_, i) => 1 / Math.pow(1 + ((i * 37) % 60), 0.9));

  const orders: RoutingOrder[] = [];
  const metroWeights = [...METROS.map((m) => m.share), 1 - METROS.reduce((s, m) => s + m.share, 0)];
  const demand = new Map<string, Float64Array>(); // metro key (or "US") → units per SKU
  for (const k of [...METROS.map((m) => m.key), "US"]) demand.set(k, new Float64Array(products.length));
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  for (let i = 0; i < orderCount; i++) {
    const m = weightedIndex(rng, metroWeights);
    const metro = m < METROS.length ? METROS[m] : null;
    const [clat, clng] = metro ? [metro.lat, metro.lng] : TAIL[Math.floor(rng.next() * TAIL.length)];
    const spread = metro ? metro.spread : 0.08;
    const latitude = clat + gaussian(rng) * spread * 0.6;
    const longitude = clng + (gaussian(rng) * spread * 0.6) / Math.cos((clat * Math.PI) / 180);
    const lineCount = weightedIndex(rng, [60, 28, 12]) + 1;
    const lines: RoutingOrder["lines"] = [];
    const used = new Set<number>();
    while (lines.length < lineCount) {
      const p = weightedIndex(rng, popularity);
      if (used.has(p)) continue;
      used.add(p);
      const quantity = weightedIndex(rng, [85, 12, 3]) + 1;
      lines.push({ id: `o${i}-l${lines.length}`, productId: products[p].id, quantity });
      demand.get(metro?.key ?? "US")![p] += quantity;
    }
    // What the shopper chose at checkout: a local same-day or next-day rate from the nearest hub
    // whose area covers the address, a standard rate from the nearest warehouse, or another rate.
    let serviceCode: string | null = null;
    const r = rng.next();
    const nearest = (pred: (s: NodeSpec) => boolean) => {
      let best: NodeSpec | null = null;
      let bestD = Infinity;
      for (const s of NODE_SPECS) {
        if (!pred(s)) continue;
        const d = Math.hypot(s.lat - latitude, (s.lng - longitude) * Math.cos((latitude * Math.PI) / 180)) * 111_000;
        if (s.radiusM !== null && d > s.radiusM) continue;
        if (d < bestD) {
          best = s;
          bestD = d;
        }
      }
      return best;
    };
    if (metro && r < 0.5) {
      const hub = nearest((s) => s.kind === "MICRO_HUB");
      if (hub) serviceCode = `NH:${hub.id}:${r < 0.3 ? "SAME_DAY" : "NEXT_DAY"}`;
    } else if (r < 0.75) {
      const dc = nearest((s) => s.kind === "CENTRAL_WAREHOUSE");
      if (dc) serviceCode = `NH:${dc.id}:STANDARD`;
    }
    orders.push({
      id: `o${i}`,
      placedAt: now - Math.floor(rng.next() * 20 * 3_600_000),
      destination: { latitude, longitude, postalCode: null, country: "US" },
      lines,
      serviceCode,
    });
  }

  // Stock: scarce where it matters. As in a shop that does not oversell, the warehouses together
  // hold a little more of each SKU than the day's orders ask for, but spread unevenly, so no single
  // warehouse can serve everyone; hubs hold their city's fast movers for part of a day; studios hold
  // their seller's SKUs; micro-factories keep a few made-to-order units and make the rest.
  const stock: NetworkSnapshot["stock"] = {};
  for (const n of nodes) stock[n.id] = {};
  const total = new Float64Array(products.length);
  for (const d of demand.values()) d.forEach((u, p) => (total[p] += u));
  const warehouses = NODE_SPECS.filter((x) => x.kind === "CENTRAL_WAREHOUSE");
  products.forEach((p, i) => {
    const shares = warehouses.map(() => (rng.next() < 0.25 ? 0 : 0.2 + rng.next()));
    if (!shares.some((x) => x > 0)) shares[0] = 1;
    const sum = shares.reduce((a, b) => a + b, 0);
    const units = Math.ceil(total[i] * (1.02 + rng.next() * 0.1));
    warehouses.forEach((w, k) => {
      if (shares[k] > 0) stock[w.id][p.id] = Math.ceil((units * shares[k]) / sum);
    });
  });
  for (const n of nodes) {
    const spec = NODE_SPECS[nodeIndex.get(n.id)!];
    const s = stock[n.id];
    if (spec.kind === "CENTRAL_WAREHOUSE") continue;
    if (spec.kind === "MICRO_FACTORY") {
      products.forEach((p, i) => {
        if (p.madeToOrder) s[p.id] = Math.floor(demand.get(spec.metro!)![i] * 0.1 * rng.next());
      });
      continue;
    }
    const local = demand.get(spec.metro!)!;
    const hubsHere = NODE_SPECS.filter((x) => x.metro === spec.metro && (x.kind === "MICRO_HUB" || x.kind === "STORE")).length;
    const ranked = products.map((_, i) => i).sort((a, b) => local[b] - local[a]);
    if (spec.kind === "SELLER_STUDIO") {
      products.forEach((p, i) => {
        if (p.sellerId === spec.sellerId) s[p.id] = Math.floor(local[i] * 0.8);
      });
      continue;
    }
    for (const i of ranked.slice(0, spec.kind === "STORE" ? 12 : 25)) s[products[i].id] = Math.floor((local[i] / hubsHere) * (0.3 + rng.next() * 0.6));
  }

  const quoteConfig: QuoteConfigInput = {
    rateCards: [groundCard()],
    couriers: [
      bikeCourier(),
      { id: "van", name: "Van courier", baseMinor: 900, perKmMinor: 90, circuityFactor: 1.35, maxRoadDistanceM: 60_000, maxWeightGrams: 30_000, speedKmh: 35, pickupMinutes: 30, surge: [] },
    ],
    corridors: [robotCorridor({ nodeId: "nyc-bk-hub" })],
    nodes: Object.fromEntries(
      nodes.map((n) => [n.id, n.kind === "MICRO_FACTORY" ? { prepMinutes: 30, makeSetupMinutes: 30, makeMinutesPerUnit: 6 } : { prepMinutes: n.kind === "CENTRAL_WAREHOUSE" ? 120 : 30 }]),
    ),
    returns: { hubNodeIds: null, fallbackUnitCostMinor: 900 },
  };
  const routingConfig: RoutingConfigInput = {};
  return { snapshot: { shopId: "shop_bench", currency: "USD", nodes, products, stock }, quoteConfig, routingConfig, orders, now };
}
