// Local courier leg: base + per km on a road distance estimated from the great-circle distance,
// times the surge multipliers that apply at dispatch; or, for an on-demand courier whose fees are
// quoted ahead (quoteProvider), the provider's fresh quote when there is one.
import { z } from "zod";
import { formatRatePerDistance, METRIC } from "../format/format";
import { formatDistance, roadDistanceM } from "../geo/distance";
import { formatLocalTime, type ZoneClock } from "../geo/localTime";
import { minorSchema } from "../money/money";
import { ruleRefSchema, type CompiledRule } from "../rules/registry";
import type { Parcel } from "./parcel";
import type { QuotedCourierFee } from "./quotedFees";
import type { SurgeContext, SurgeRule } from "./surge/types";
import type { CostComponent } from "./types";

export const courierSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Nodes the courier collects from; null: every node. */
  nodeIds: z.array(z.string()).nullable().default(null),
  baseMinor: minorSchema,
  perKmMinor: minorSchema,
  /** Road distance ÷ great-circle distance. */
  circuityFactor: z.number().min(1).max(3).default(1.3),
  maxRoadDistanceM: z.number().positive().nullable().default(null),
  maxWeightGrams: z.number().int().positive().nullable().default(null),
  speedKmh: z.number().positive().default(20),
  /** Minutes for a courier to arrive at the node once dispatched. */
  pickupMinutes: z.number().int().nonnegative().default(15),
  surge: z.array(ruleRefSchema).default([]),
  /**
   * On-demand provider whose quotes, fetched ahead, replace base + per km when fresh, as
   * { code, args } resolved by app/services/couriers/registry.ts (e.g. { code: "DOORDASH_DRIVE",
   * args: { contactPhone: "+12125550100" } }). base + per km remain the estimate without a quote.
   */
  quoteProvider: ruleRefSchema.nullable().default(null),
});
export type CourierConfig = z.output<typeof courierSchema>;
export type CourierConfigInput = z.input<typeof courierSchema>;

export interface CompiledCourier {
  config: CourierConfig;
  surge: CompiledRule<SurgeRule>[];
}

export interface CourierLeg {
  amountMinor: number;
  components: CostComponent[];
  roadM: number;
  minutes: number;
  reasons: string[];
}

export type CourierLegResult = { ok: true; leg: CourierLeg } | { ok: false; reason: string };

/** `surge` null prices without surge (returns collected on the courier's schedule). */
export function courierLeg(
  c: CompiledCourier,
  greatCircleM: number,
  parcel: Parcel,
  surge: SurgeContext | null,
  currency: string,
): CourierLegResult {
  const cfg = c.config;
  const roadM = roadDistanceM(greatCircleM, cfg.circuityFactor);
  const blocked = courierLimit(cfg, roadM, parcel);
  if (blocked) return { ok: false, reason: blocked };
  const distanceMinor = distanceCharge(cfg, roadM);
  const components: CostComponent[] = [
    {
      code: "courier_base",
      label: `${cfg.name} base fare`,
      amountMinor: cfg.baseMinor,
      detail: cfg.quoteProvider ? "per delivery, estimated from rate: no fresh quote" : "per delivery",
    },
    {
      code: "courier_distance",
      label: `${cfg.name} distance`,
      amountMinor: distanceMinor,
      detail: `${formatDistance(roadM)} road (${formatDistance(greatCircleM)} × ${cfg.circuityFactor} circuity) at ${formatRatePerDistance(cfg.perKmMinor, { currency, ...METRIC })}`,
    },
  ];
  const reasons: string[] = [];
  let multiplier = 1;
  if (surge) {
    const details: string[] = [];
    for (const rule of c.surge) {
      const hit = rule.run(surge);
      if (hit) {
        multiplier *= hit.multiplier;
        details.push(hit.detail);
      }
    }
    if (multiplier > 1) {
      components.push({
        code: "courier_surge",
        label: `${cfg.name} surge`,
        amountMinor: Math.round((cfg.baseMinor + distanceMinor) * (multiplier - 1)),
        detail: details.join("; "),
      });
      reasons.push(`courier surge ×${Number(multiplier.toFixed(3))}: ${details.join("; ")}`);
    }
  }
  let amountMinor = 0;
  for (const comp of components) amountMinor += comp.amountMinor;
  return { ok: true, leg: { amountMinor, components, roadM, minutes: legMinutes(cfg, roadM), reasons } };
}

function legMinutes(cfg: CourierConfig, roadM: number): number {
  return cfg.pickupMinutes + Math.ceil((roadM / 1000 / cfg.speedKmh) * 60);
}

/**
 * The leg priced by a provider's quote instead of the rate: the quoted fee is the whole courier
 * charge (the provider's own dynamic pricing is in it, so no surge on top). The courier's distance
 * and weight limits still apply; transit minutes stay the rate's estimate. Times are shown in the
 * node's zone.
 */
export function quotedCourierLeg(
  c: CompiledCourier,
  greatCircleM: number,
  parcel: Parcel,
  fee: QuotedCourierFee,
  clock: ZoneClock,
  where: string,
): CourierLegResult {
  const cfg = c.config;
  const roadM = roadDistanceM(greatCircleM, cfg.circuityFactor);
  const blocked = courierLimit(cfg, roadM, parcel);
  if (blocked) return { ok: false, reason: blocked };
  const hhmm = (ms: number) => formatLocalTime(clock.local(ms).minuteOfDay);
  const detail = `${fee.providerLabel} quote (fetched ${hhmm(fee.fetchedAt)}, valid until ${hhmm(fee.expiresAt)})`;
  return {
    ok: true,
    leg: {
      amountMinor: fee.feeMinor,
      components: [{ code: "courier_quote", label: `${cfg.name} delivery fee`, amountMinor: fee.feeMinor, detail }],
      roadM,
      minutes: legMinutes(cfg, roadM),
      reasons: [`${cfg.name}: ${detail} for ${where}, instead of the rate estimate`],
    },
  };
}

const tooFar = (cfg: CourierConfig, roadM: number) => cfg.maxRoadDistanceM != null && roadM > cfg.maxRoadDistanceM;
const tooHeavy = (cfg: CourierConfig, parcel: Parcel) => cfg.maxWeightGrams != null && parcel.weightGrams > cfg.maxWeightGrams;

function courierLimit(cfg: CourierConfig, roadM: number, parcel: Parcel): string | null {
  if (tooFar(cfg, roadM)) return `${cfg.name}: ${formatDistance(roadM)} by road is beyond its ${formatDistance(cfg.maxRoadDistanceM!)} limit`;
  if (tooHeavy(cfg, parcel)) return `${cfg.name}: ${parcel.weightGrams} g is over its ${cfg.maxWeightGrams} g limit`;
  return null;
}

function distanceCharge(cfg: CourierConfig, roadM: number): number {
  return Math.round((cfg.perKmMinor * roadM) / 1000);
}

/**
 * The same total as courierLeg without building the breakdown; null when over a limit. `surge`
 * null prices without surge (returns collected on the courier's schedule).
 */
export function courierPriceMinor(c: CompiledCourier, greatCircleM: number, parcel: Parcel, surge: SurgeContext | null = null): number | null {
  const cfg = c.config;
  const roadM = roadDistanceM(greatCircleM, cfg.circuityFactor);
  if (tooFar(cfg, roadM) || tooHeavy(cfg, parcel)) return null;
  const fare = cfg.baseMinor + distanceCharge(cfg, roadM);
  if (!surge) return fare;
  let multiplier = 1;
  for (const rule of c.surge) multiplier *= rule.run(surge)?.multiplier ?? 1;
  return multiplier > 1 ? fare + Math.round(fare * (multiplier - 1)) : fare;
}

/** Whether the courier's distance and weight limits let it take the parcel (courierLimit without the words). */
export function courierTakes(c: CompiledCourier, greatCircleM: number, parcel: Parcel): boolean {
  return !tooFar(c.config, roadDistanceM(greatCircleM, c.config.circuityFactor)) && !tooHeavy(c.config, parcel);
}
