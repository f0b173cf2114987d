// The delivery window a shopper is promised for one shipment, from its landed cost's transit.
import type { LandedCost } from "../costing/types";
import { DAY_MS, MINUTE_MS } from "../geo/localTime";
import type { QuoteConfig } from "./config";
import type { QuoteNode } from "./prepare";
import type { DeliveryWindow } from "./types";

/** `closesAt`: for pickup, when the node closes on the pickup day (the planner's Plan.closesAt). */
export function windowOf(config: QuoteConfig, qn: QuoteNode, plan: { closesAt: number | null }, cost: LandedCost): DeliveryWindow {
  const clock = qn.calendar.clock;
  const t = cost.transit;
  const timezone = clock.zone;
  if (t.mode === "NONE") return { earliestMs: t.earliestArrivalMs, latestMs: plan.closesAt ?? t.latestArrivalMs, timezone };
  if (t.mode === "CARRIER") return { earliestMs: t.earliestArrivalMs, latestMs: t.latestArrivalMs, timezone };
  // Courier and autonomous: a slot after the earliest arrival, its end rounded up in local time.
  const end = t.latestArrivalMs + config.promise.windowMinutes * MINUTE_MS;
  const step = config.promise.roundUpToMinutes;
  const local = clock.local(end);
  const exactMinute = (end + local.offsetMinutes * MINUTE_MS - local.day * DAY_MS) / MINUTE_MS;
  const latestMs = Math.max(end, clock.instant(local.day, Math.min(1440, Math.ceil(exactMinute / step) * step)));
  return { earliestMs: t.earliestArrivalMs, latestMs, timezone };
}

