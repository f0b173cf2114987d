// A hub's own delivery rounds as a way of delivering a local order (issue 16 item 1, ADR 0038): its
// riders, cargo bikes or vans, or a subscription courier, drive each wave of the day's orders in
// routes, so one more stop costs what core/rounds' expectedCostPerStop says for the hub's density,
// the destination's distance and the hour, not a whole on-demand trip. The cost engine prices a
// SAME_DAY or NEXT_DAY leg from a hub with rounds both ways (its on-demand couriers too) and keeps
// the cheaper, so quotes, routing and insights see the same economics.
//
// Density: the hub's local orders a day, counted from the order history by the services
// (NetworkSnapshot.localDemand: the last 28 days), or the merchant's forecast until there is history,
// spread over the hub's service area. Each figure is memoised per hub, kilometre of distance and
// hour of dispatch: it depends on no single order.
import { z } from "zod";
import { formatDistance, roadDistanceM } from "../geo/distance";
import { formatMinor } from "../money/money";
import { expectedCostPerStop, fleetSchema, type ExpectedCost, type Fleet, type RoundsHub } from "../rounds";
import type { NetworkNode, ServiceArea } from "../network/types";
import type { CourierLegResult } from "./courier";
import type { Parcel } from "./parcel";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time such as 14:00");

export const roundsConfigSchema = z.object({
  id: z.string().min(1),
  /** The hub whose rounds these are. */
  nodeId: z.string().min(1),
  fleet: fleetSchema,
  /** Local cut-offs of the day's waves; default: the node's same-day cut-off. */
  cutoffs: z
    .array(hhmm)
    .min(1)
    .refine((xs) => xs.every((x, i) => i === 0 || x > xs[i - 1]), { message: "cut-offs must be in increasing order" })
    .nullable()
    .default(null),
  dispatchAfterMinutes: z.number().int().nonnegative().default(30),
  /** Local orders a day expected before there is history to count (a new hub). */
  forecastOrdersPerDay: z.number().nonnegative().default(0),
  /** Days of history needed before the counted figure replaces the forecast. */
  minHistoryDays: z.number().int().positive().default(14),
});
export type RoundsConfig = z.output<typeof roundsConfigSchema>;
export type RoundsConfigInput = z.input<typeof roundsConfigSchema>;

/** Local orders a day a hub delivered, counted from the order history (services). */
export interface LocalDemand {
  ordersPerDay: number;
  /** Days of history the figure was counted over. */
  days: number;
}

export interface PreparedRounds {
  config: RoundsConfig;
  fleet: Fleet;
  hub: RoundsHub;
  ordersPerDay: number;
  /** Where ordersPerDay came from, in words. */
  source: string;
  areaKm2: number;
  maxGreatCircleM: number;
  byKey: Map<number, ExpectedCost>;
}

const DEFAULT_AREA_RADIUS_M = 5_000;

function areaKm2Of(area: ServiceArea): { km2: number; radiusM: number } {
  if (area.radiusM) return { km2: (Math.PI * area.radiusM * area.radiusM) / 1e6, radiusM: area.radiusM };
  const ring = area.polygon?.coordinates[0];
  if (ring && ring.length >= 4) {
    // Planar area of the ring around its first point (small areas: metres per degree at that latitude).
    const lat0 = (ring[0][1] * Math.PI) / 180;
    const mx = 111_320 * Math.cos(lat0);
    const my = 110_540;
    let twice = 0;
    let far = 0;
    for (let i = 0; i < ring.length - 1; i++) {
      const [x1, y1] = [(ring[i][0] - ring[0][0]) * mx, (ring[i][1] - ring[0][1]) * my];
      const [x2, y2] = [(ring[i + 1][0] - ring[0][0]) * mx, (ring[i + 1][1] - ring[0][1]) * my];
      twice += x1 * y2 - x2 * y1;
      far = Math.max(far, Math.hypot(x1, y1));
    }
    return { km2: Math.abs(twice) / 2 / 1e6, radiusM: far };
  }
  return { km2: (Math.PI * DEFAULT_AREA_RADIUS_M ** 2) / 1e6, radiusM: DEFAULT_AREA_RADIUS_M };
}

/** The hub's rounds ready to price, or null when it has no cut-off to gather waves by or no way to drive them. */
export function prepareRounds(node: NetworkNode, config: RoundsConfig, demand: LocalDemand | undefined, currency: string, warnings: string[]): PreparedRounds | null {
  const cutoffs = config.cutoffs ?? (node.sameDayCutoff ? [node.sameDayCutoff] : null);
  if (!cutoffs) {
    warnings.push(`rounds of ${node.name}: no cut-off to gather waves by (set the node's same-day cut-off or the rounds' cut-offs): ignored`);
    return null;
  }
  if (config.fleet.currency !== currency) {
    warnings.push(`rounds of ${node.name} are in ${config.fleet.currency}, the shop sells in ${currency}: ignored`);
    return null;
  }
  if (config.fleet.vehicles.every((v) => v.count === 0) && !config.fleet.subscription) {
    warnings.push(`rounds of ${node.name}: no vehicle and no subscription courier: ignored`);
    return null;
  }
  const counted = demand && demand.days >= config.minHistoryDays;
  const ordersPerDay = counted ? demand.ordersPerDay : config.forecastOrdersPerDay;
  const source = counted
    ? `${Number(demand.ordersPerDay.toFixed(1))} local orders a day over the last ${demand.days} days`
    : `a forecast of ${config.forecastOrdersPerDay} local orders a day${demand ? ` (${demand.days} days of history, ${config.minHistoryDays} needed)` : ""}`;
  const area = areaKm2Of(node.serviceArea);
  return {
    config,
    fleet: config.fleet,
    hub: { id: node.id, name: node.name, latitude: node.latitude, longitude: node.longitude, timeZone: node.timezone, cutoffs, dispatchAfterMinutes: config.dispatchAfterMinutes },
    ordersPerDay,
    source,
    areaKm2: Math.max(0.05, area.km2),
    maxGreatCircleM: area.radiusM,
    byKey: new Map(),
  };
}

/** The expected cost of a stop this far from the hub at this local minute of dispatch (memoised per km and hour). */
function expectedFor(r: PreparedRounds, greatCircleM: number, minuteOfDay: number): ExpectedCost {
  const km = Math.max(1, Math.round(greatCircleM / 1000));
  const hour = Math.floor(minuteOfDay / 60);
  const key = km * 24 + hour;
  let e = r.byKey.get(key);
  if (!e) {
    e = expectedCostPerStop(r.hub, r.fleet, {
      stopsPerHour: r.ordersPerDay / 24,
      areaKm2: r.areaKm2,
      lineHaulM: km * 1000,
      atMinute: hour * 60,
    });
    r.byKey.set(key, e);
  }
  return e;
}

function refusal(r: PreparedRounds, greatCircleM: number, parcel: Parcel): string | null {
  if (greatCircleM > r.maxGreatCircleM * 1.05) return `${r.hub.name}'s rounds: ${formatDistance(greatCircleM)} is outside the area they deliver (${formatDistance(r.maxGreatCircleM)})`;
  const caps = [...r.fleet.vehicles.filter((v) => v.count > 0), ...(r.fleet.subscription ? [r.fleet.subscription] : [])].map((o) => o.capacityGrams);
  if (caps.every((c) => c !== null && c < parcel.weightGrams)) return `${r.hub.name}'s rounds: ${parcel.weightGrams} g is more than any of its vehicles carries`;
  return null;
}

/** A stop on the hub's next round, priced at the expected cost per stop, with its reasons. */
export function roundsLeg(r: PreparedRounds, greatCircleM: number, parcel: Parcel, minuteOfDay: number): CourierLegResult {
  const refused = refusal(r, greatCircleM, parcel);
  if (refused) return { ok: false, reason: refused };
  const e = expectedFor(r, greatCircleM, minuteOfDay);
  if (!e.ok || e.perStopMinor === null) return { ok: false, reason: `${r.hub.name}'s rounds: ${e.reasons[0]}` };
  const best = e.options.find((o) => o.optionId === e.optionId)!;
  const roadM = roadDistanceM(greatCircleM, 1.3);
  return {
    ok: true,
    leg: {
      amountMinor: e.perStopMinor,
      components: [
        {
          code: "rounds_stop",
          label: `${r.hub.name} delivery round (${best.optionName})`,
          amountMinor: e.perStopMinor,
          detail: `expected cost of a stop, ${formatMinor(e.perStopMinor, e.currency)}, at ${r.source}`,
        },
      ],
      roadM,
      // A stop is reached, on average, half-way through its round.
      minutes: Math.ceil(best.minutes / Math.max(1, best.routes) / 2),
      reasons: [`${r.hub.name}'s rounds: ${e.reasons[0]} (${r.source})`],
    },
  };
}

/** roundsLeg's amount without its words; null exactly when roundsLeg refuses. */
export function roundsPriceMinor(r: PreparedRounds, greatCircleM: number, parcel: Parcel, minuteOfDay: number): number | null {
  if (refusal(r, greatCircleM, parcel)) return null;
  return expectedFor(r, greatCircleM, minuteOfDay).perStopMinor;
}
