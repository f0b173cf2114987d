import { z } from "zod";
import { reason } from "../../network/reasons";
import { defineStrategy } from "../../rules/registry";
import { shrinkBudget, type Guardrail } from "./types";

const lines = (stockBySku: Record<string, number>) =>
  Object.entries(stockBySku)
    .map(([sku, units]) => ({ sku, units: Math.max(0, units) }))
    .sort((a, b) => a.units - b.units || (a.sku < b.sku ? -1 : 1));

/** Pause when no advertised product has `minUnits` left at the hub: there is nothing to sell same-day. */
export const lowStock = defineStrategy({
  code: "LOW_STOCK",
  label: "Pause when no advertised product has enough units left at the hub",
  args: z.object({ minUnits: z.number().int().min(1).max(10_000).describe("Units an advertised product needs at the hub") }),
  build: ({ minUnits }): Guardrail => (s) => {
    const all = lines(s.stockBySku);
    const ok = all.filter((l) => l.units >= minUnits);
    if (ok.length > 0) return { action: "RUN", reason: reason("CAMPAIGN_STOCK_OK", { lines: ok.length, minUnits }) };
    return { action: "PAUSE", reason: reason("CAMPAIGN_LOW_STOCK", { short: all.slice(0, 4), minUnits }) };
  },
});

/**
 * Shrink the budget as the advertised products thin out: the budget follows the share of healthy
 * stock (each product counts up to `healthyUnits`), rounded down to steps of `stepPercent` so a
 * sale or two does not change the budget each time (Meta takes at most 4 budget changes per ad
 * set an hour), never under the account minimum.
 */
export const stockThin = defineStrategy({
  code: "STOCK_THIN",
  label: "Shrink the budget as advertised stock thins out",
  args: z.object({
    healthyUnits: z.number().int().min(1).max(10_000).describe("Units per product at which the full budget runs"),
    stepPercent: z.number().int().min(1).max(100).default(20).describe("The budget moves in steps of this share of the plan"),
  }),
  build: ({ healthyUnits, stepPercent }): Guardrail => (s) => {
    const all = lines(s.stockBySku);
    if (all.length === 0) return { action: "RUN", reason: null };
    const short = all.filter((l) => l.units < healthyUnits);
    if (short.length === 0) return { action: "RUN", reason: null };
    const held = all.reduce((sum, l) => sum + Math.min(l.units, healthyUnits), 0);
    const step = stepPercent / 100;
    const factor = Math.floor(held / (healthyUnits * all.length) / step + 1e-9) * step;
    const budgetMinor = shrinkBudget(s.dailyBudgetMinor, s.minDailyBudgetMinor, factor);
    return {
      action: "SHRINK",
      factor,
      reason: reason("CAMPAIGN_STOCK_THIN", {
        short: short.slice(0, 4),
        of: all.length,
        healthyUnits,
        percent: Math.round(factor * 100),
        budgetMinor,
        currency: s.currency,
        atMinimum: budgetMinor > Math.floor(s.dailyBudgetMinor * factor),
      }),
    };
  },
});
