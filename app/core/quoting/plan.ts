// Whether and when a node can serve an order with a service: eligibility and dispatch time,
// read in the node's time zone. Costing comes after, at the dispatch instant found here.
import { corridorBlock, corridorCovers } from "../costing/corridor";
import type { LeadTime } from "../costing/types";
import type { Parcel } from "../costing/parcel";
import type { Destination, ServiceKind } from "../costing/types";
import { formatDistance } from "../geo/distance";
import { formatLocalTime, weekdayOfDay, type ZoneClock } from "../geo/localTime";
import { describeServiceArea, serviceAreaContains } from "../geo/serviceArea";
import type { QuoteConfig } from "./config";
import type { QuoteNode } from "./prepare";
import { reason, type ReasonArgs } from "../network/reasons";
import type { ExclusionCode, ExclusionReason } from "./types";

export interface PlanContext {
  qn: QuoteNode;
  config: QuoteConfig;
  now: number;
  /** Local day number of `now` at the node. */
  today: number;
  destination: Destination;
  /** Great-circle metres node → address; null without coordinates. */
  distanceM: number | null;
  parcel: Parcel;
  lead: LeadTime;
}

export type Plan =
  | {
      ok: true;
      dispatchAt: number;
      /** Load ratio for surge: today's load for today's dispatches, 0 for later days. */
      loadRatio: number;
      /** PICKUP: when the node closes on the pickup day. */
      closesAt: number | null;
      reasons: string[];
    }
  | { ok: false; reasons: ExclusionReason[] };

/** A service left out, for one reason of the vocabulary. */
const no = <C extends ExclusionCode>(code: C, args: ReasonArgs<C>): Plan => ({ ok: false, reasons: [reason(code, args)] });

function localHhmm(clock: ZoneClock, ms: number): string {
  return formatLocalTime(clock.local(ms).minuteOfDay);
}

function located(ctx: PlanContext): ctx is PlanContext & { distanceM: number } {
  return ctx.distanceM !== null;
}

function inArea(ctx: PlanContext & { distanceM: number }): Plan | string {
  const area = ctx.qn.prepared.area!;
  const d = ctx.destination;
  const where = describeServiceArea(area);
  if (!serviceAreaContains(area, ctx.distanceM, d.latitude!, d.longitude!)) {
    return no("OUTSIDE_SERVICE_AREA", { distanceM: ctx.distanceM, area: where });
  }
  return `address ${formatDistance(ctx.distanceM)} away, ${where}`;
}

/** Today's dispatch: open today, no holiday, before the cut-off, ready before closing. */
function dispatchToday(ctx: PlanContext, reasons: string[]): Plan {
  const { calendar } = ctx.qn;
  const clock = calendar.clock;
  const plan = calendar.plan(ctx.today);
  if (plan.holiday) return no("HOLIDAY", {});
  if (plan.intervals.length === 0) return no("CLOSED", { weekday: weekdayOfDay(ctx.today) });
  if (plan.cutoffAt !== null) {
    if (ctx.now >= plan.cutoffAt) {
      return no("PAST_CUTOFF", { orderedAt: localHhmm(clock, ctx.now), cutoff: localHhmm(clock, plan.cutoffAt), zone: clock.zone });
    }
    reasons.push(`before the ${localHhmm(clock, plan.cutoffAt)} cut-off (${clock.zone})`);
  }
  const ready = ctx.now + ctx.lead.minutes * 60_000;
  const open = calendar.nextOpening(ready, 0);
  if (open === null || open.day !== ctx.today) {
    return no("LEAD_TIME", { readyAt: localHhmm(clock, ready), lead: ctx.lead.detail });
  }
  reasons.push(`leaves at ${localHhmm(clock, open.at)} local`);
  return { ok: true, dispatchAt: open.at, loadRatio: ctx.qn.prepared.loadRatio, closesAt: null, reasons };
}

function sameDay(ctx: PlanContext): Plan {
  // A lapsed courier permit (core/permits) stops couriers leaving the node: carriers and pickup still apply.
  const held = ctx.qn.prepared.courierHold;
  if (held) return { ok: false, reasons: [held] };
  if (!located(ctx)) return no("NO_LOCATION", { service: "SAME_DAY" });
  const area = inArea(ctx);
  if (typeof area !== "string") return area;
  return dispatchToday(ctx, [area]);
}

function nextDay(ctx: PlanContext): Plan {
  const held = ctx.qn.prepared.courierHold;
  if (held) return { ok: false, reasons: [held] };
  if (!located(ctx)) return no("NO_LOCATION", { service: "NEXT_DAY" });
  const area = inArea(ctx);
  if (typeof area !== "string") return area;
  const { calendar } = ctx.qn;
  const horizon = ctx.config.promise.horizonDays;
  const day = calendar.nextOpenDay(ctx.today, horizon);
  if (day === null) return no("CLOSED", { horizonDays: horizon });
  const ready = Math.max(ctx.now + ctx.lead.minutes * 60_000, calendar.plan(day).intervals[0][0]);
  const open = calendar.nextOpening(ready, horizon);
  if (open === null || open.day !== day) {
    return no("LEAD_TIME", { lead: ctx.lead.detail, weekday: weekdayOfDay(day) });
  }
  return {
    ok: true,
    dispatchAt: open.at,
    loadRatio: 0,
    closesAt: null,
    reasons: [area, `leaves ${weekdayOfDay(day)} at ${localHhmm(calendar.clock, open.at)} local`],
  };
}

function standard(ctx: PlanContext): Plan {
  const { calendar } = ctx.qn;
  const clock = calendar.clock;
  const horizon = ctx.config.promise.horizonDays;
  const reasons: string[] = [];
  let open = calendar.nextOpening(ctx.now + ctx.lead.minutes * 60_000, horizon);
  const cutoffAt = calendar.plan(ctx.today).cutoffAt;
  if (open !== null && open.day === ctx.today && cutoffAt !== null && ctx.now >= cutoffAt) {
    reasons.push(`after the ${localHhmm(clock, cutoffAt)} cut-off: ships the next opening day`);
    const day = calendar.nextOpenDay(ctx.today, horizon);
    open = day === null ? null : calendar.nextOpening(calendar.plan(day).intervals[0][0], horizon);
  }
  if (open === null) return no("CLOSED", { horizonDays: horizon });
  reasons.push(`ships ${weekdayOfDay(open.day)} from ${localHhmm(clock, open.at)} local`);
  return { ok: true, dispatchAt: open.at, loadRatio: 0, closesAt: null, reasons };
}

function autonomous(ctx: PlanContext): Plan {
  if (!located(ctx)) return no("NO_LOCATION", { service: "AUTONOMOUS" });
  const d = ctx.destination;
  const covering = ctx.qn.prepared.corridors.filter((c) => corridorCovers(c, d.latitude!, d.longitude!));
  if (covering.length === 0) return no("OUTSIDE_SERVICE_AREA", { corridors: true });
  // Corridors a lapsed permit closed say so whatever the hour (core/permits): not "past the cut-off".
  if (covering.every((c) => c.permitHold !== null)) {
    return { ok: false, reasons: covering.map((c) => reason("CORRIDOR_UNAVAILABLE", { corridor: c.corridor.name, why: c.permitHold! })) };
  }
  const today = dispatchToday(ctx, []);
  if (!today.ok) return today;
  const at = ctx.qn.calendar.clock.local(today.dispatchAt);
  const blocked: ExclusionReason[] = [];
  for (const c of covering) {
    const why = corridorBlock(c, ctx.parcel, at);
    if (why === null) {
      today.reasons.unshift(`inside autonomous corridor ${c.corridor.name}`);
      return today;
    }
    blocked.push(reason("CORRIDOR_UNAVAILABLE", { corridor: c.corridor.name, why }));
  }
  return { ok: false, reasons: blocked };
}

function pickup(ctx: PlanContext): Plan {
  const max = ctx.config.pickup.maxDistanceM;
  if (ctx.distanceM !== null && max !== null && ctx.distanceM > max) {
    return no("OUTSIDE_SERVICE_AREA", { distanceM: ctx.distanceM, pickupWithinM: max });
  }
  const { calendar } = ctx.qn;
  const horizonDays = ctx.config.promise.horizonDays;
  const minWindowMs = ctx.config.pickup.minWindowMinutes * 60_000;
  // The first opening, once the order is ready, that leaves the shopper time to come (not the last
  // minutes before closing); later openings within the horizon otherwise.
  let open = calendar.nextOpening(ctx.now + ctx.lead.minutes * 60_000, horizonDays);
  while (open !== null && open.closesAt - open.at < minWindowMs && open.day < ctx.today + horizonDays) {
    open = calendar.nextOpening(open.closesAt, ctx.today + horizonDays - open.day);
  }
  if (open === null || open.closesAt - open.at < minWindowMs) return no("CLOSED", { horizonDays });
  return {
    ok: true,
    dispatchAt: open.at,
    loadRatio: 0,
    closesAt: open.closesAt,
    reasons: [`ready ${weekdayOfDay(open.day)} at ${localHhmm(calendar.clock, open.at)} local`],
  };
}

export const PLANNERS: Record<ServiceKind, (ctx: PlanContext) => Plan> = {
  SAME_DAY: sameDay,
  NEXT_DAY: nextDay,
  STANDARD: standard,
  AUTONOMOUS: autonomous,
  PICKUP: pickup,
};
