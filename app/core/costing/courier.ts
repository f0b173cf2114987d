// Local courier leg: base + per km on a road distance estimated from the great-circle distance,
// times the surge multipliers that apply at dispatch.
import { z } from "zod";
import { formatDistance, roadDistanceM } from "../geo/distance";
import { minorSchema } from "../money/money";
import { ruleRefSchema, type CompiledRule } from "./registry";
import type { Parcel } from "./parcel";
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
): CourierLegResult {
  const cfg = c.config;
  const roadM = roadDistanceM(greatCircleM, cfg.circuityFactor);
  const blocked = courierLimit(cfg, roadM, parcel);
  if (blocked) return { ok: false, reason: blocked };
  const distanceMinor = distanceCharge(cfg, roadM);
  const components: CostComponent[] = [
    { code: "courier_base", label: `${cfg.name} base fare`, amountMinor: cfg.baseMinor, detail: "per delivery" },
    {
      code: "courier_distance",
      label: `${cfg.name} distance`,
      amountMinor: distanceMinor,
      detail: `${formatDistance(roadM)} road (${formatDistance(greatCircleM)} × ${cfg.circuityFactor} circuity) at ${cfg.perKmMinor}/km`,
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
  const minutes = cfg.pickupMinutes + Math.ceil((roadM / 1000 / cfg.speedKmh) * 60);
  return { ok: true, leg: { amountMinor, components, roadM, minutes, reasons } };
}

function courierLimit(cfg: CourierConfig, roadM: number, parcel: Parcel): string | null {
  if (cfg.maxRoadDistanceM != null && roadM > cfg.maxRoadDistanceM) {
    return `${cfg.name}: ${formatDistance(roadM)} by road is beyond its ${formatDistance(cfg.maxRoadDistanceM)} limit`;
  }
  if (cfg.maxWeightGrams != null && parcel.weightGrams > cfg.maxWeightGrams) {
    return `${cfg.name}: ${parcel.weightGrams} g is over its ${cfg.maxWeightGrams} g limit`;
  }
  return null;
}

function distanceCharge(cfg: CourierConfig, roadM: number): number {
  return Math.round((cfg.perKmMinor * roadM) / 1000);
}

/** Courier price without surge or breakdown, for return collections; null when over a limit. */
export function courierPriceMinor(c: CompiledCourier, greatCircleM: number, parcel: Parcel): number | null {
  const roadM = roadDistanceM(greatCircleM, c.config.circuityFactor);
  if (courierLimit(c.config, roadM, parcel)) return null;
  return c.config.baseMinor + distanceCharge(c.config, roadM);
}
