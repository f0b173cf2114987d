// A Brooklyn hub's campaign inputs: the fixture network's Williamsburg hub (test/core/fixtures),
// a year of past orders around it (mostly Williamsburg and Greenpoint, a tail to Bushwick, Park Slope
// and Long Island City, from a seeded generator so every run sees the same points), and its shelf.
import { reason } from "../../../app/core/network/reasons";
import { RADIUS_LIMITS, type DemandPoint, type HubStockLine, type PlanInput } from "../../../app/core/promotions";
import { local, NY, nycNodes } from "../fixtures";

/** mulberry32: a small seeded generator, so the demand is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Neighbourhood centres and their share of the hub's past orders. */
export const NEIGHBOURHOODS = [
  { name: "North Williamsburg", latitude: 40.719, longitude: -73.957, share: 0.35, spreadDeg: 0.004 },
  { name: "South Williamsburg", latitude: 40.708, longitude: -73.958, share: 0.2, spreadDeg: 0.004 },
  { name: "East Williamsburg", latitude: 40.714, longitude: -73.94, share: 0.15, spreadDeg: 0.004 },
  { name: "Greenpoint", latitude: 40.73, longitude: -73.954, share: 0.15, spreadDeg: 0.004 },
  { name: "Bushwick", latitude: 40.6958, longitude: -73.9171, share: 0.07, spreadDeg: 0.004 },
  { name: "Park Slope", latitude: 40.671, longitude: -73.9814, share: 0.05, spreadDeg: 0.004 },
  { name: "Long Island City", latitude: 40.7447, longitude: -73.9485, share: 0.03, spreadDeg: 0.003 },
] as const;

export function brooklynDemand(count = 400, seed = 15): DemandPoint[] {
  const rand = seeded(seed);
  const start = local("2025-12-01T09:00");
  const points: DemandPoint[] = [];
  for (let i = 0; i < count; i++) {
    let pick = rand();
    let hood: (typeof NEIGHBOURHOODS)[number] = NEIGHBOURHOODS[0];
    for (const n of NEIGHBOURHOODS) {
      hood = n;
      if ((pick -= n.share) < 0) break;
    }
    points.push({
      // ~100 m rounding, as the synced order history keeps them
      latitude: Math.round((hood.latitude + (rand() - 0.5) * 2 * hood.spreadDeg) * 1000) / 1000,
      longitude: Math.round((hood.longitude + (rand() - 0.5) * 2 * hood.spreadDeg) * 1000) / 1000,
      placedAt: start + Math.floor(rand() * 365) * 86_400_000,
      totalMinor: 3000 + Math.floor(rand() * 9000),
    });
  }
  return points;
}

export function brooklynStock(): HubStockLine[] {
  return [
    { productId: "mug", sku: "MUG-01", title: "Stoneware mug", onHand: 40, restockedReturns: 0, priceMinor: 2400, dailyDemand: 2.5 },
    { productId: "print", sku: "PRINT-A2", title: "A2 print in a tube", onHand: 12, restockedReturns: 0, priceMinor: 4500, dailyDemand: 0.8 },
    { productId: "hoodie", sku: "HOOD-M", title: "Hoodie", onHand: 9, restockedReturns: 4, priceMinor: 6800, dailyDemand: 1.2 },
    // Two on the shelf and selling a unit a day: an ad would sell what is not there.
    { productId: "vase", sku: "VASE-ANA", title: "Ana's vase", onHand: 2, restockedReturns: 0, priceMinor: 9500, dailyDemand: 1 },
  ];
}

/** A Friday morning in December, Meta, the merchant's figures left to the planner. */
export function brooklynInput(over: Partial<PlanInput> = {}): PlanInput {
  const hub = nycNodes().brooklyn;
  return {
    hub,
    availability: { available: true, reasons: [] },
    now: local("2026-12-04T10:00"),
    shopTimezone: NY,
    currency: "USD",
    sameDayReachM: 6000,
    demand: brooklynDemand(),
    stock: brooklynStock(),
    platform: "META",
    limits: RADIUS_LIMITS.META,
    minDailyBudgetMinor: 500,
    target: {},
    landedCostPerOrderMinor: 1150,
    averageOrderMinor: 6200,
    campaignKey: "winter-2026",
    ...over,
  };
}

export const disabledReason = () => reason("DISABLED", { node: "Brooklyn hub" });
