// When a node is open, in UTC instants, from its weekly opening hours, holidays and same-day
// cut-off in its own time zone. Day plans are computed once per node and local day.
import { dayOfIsoDate, parseLocalTime, weekdayIndexOfDay, type ZoneClock } from "../geo/localTime";
import { WEEKDAYS, type OpeningHours } from "../network/types";

export interface DayPlan {
  day: number;
  holiday: boolean;
  /** Opening intervals as UTC ms, [start, end) pairs in order; empty when closed. */
  intervals: [number, number][];
  /** Same-day cut-off as UTC ms; null when the node has none. */
  cutoffAt: number | null;
}

export interface Opening {
  /** First open instant at or after the asked time. */
  at: number;
  day: number;
  /** End of the interval `at` falls in. */
  closesAt: number;
}

const PLAN_CACHE_LIMIT = 1024;

export class NodeCalendar {
  private readonly weekly: [number, number][][];
  private readonly holidays: Set<number>;
  private readonly cutoffMinute: number | null;
  private readonly plans = new Map<number, DayPlan>();

  constructor(
    readonly clock: ZoneClock,
    hours: OpeningHours,
    holidays: readonly string[],
    sameDayCutoff: string | null,
  ) {
    this.weekly = WEEKDAYS.map((d) => hours[d].map(([a, b]) => [parseLocalTime(a), parseLocalTime(b)] as [number, number]));
    this.holidays = new Set(holidays.map(dayOfIsoDate));
    this.cutoffMinute = sameDayCutoff === null ? null : parseLocalTime(sameDayCutoff);
  }

  plan(day: number): DayPlan {
    let plan = this.plans.get(day);
    if (!plan) {
      if (this.plans.size >= PLAN_CACHE_LIMIT) this.plans.clear();
      const holiday = this.holidays.has(day);
      plan = {
        day,
        holiday,
        intervals: holiday
          ? []
          : this.weekly[weekdayIndexOfDay(day)].map(([a, b]) => [this.clock.instant(day, a), this.clock.instant(day, b)]),
        cutoffAt: this.cutoffMinute === null ? null : this.clock.instant(day, this.cutoffMinute),
      };
      this.plans.set(day, plan);
    }
    return plan;
  }

  /** The first open instant at or after `t`, looking `horizonDays` ahead; null when closed throughout. */
  nextOpening(t: number, horizonDays: number): Opening | null {
    const first = this.clock.local(t).day;
    for (let day = first; day <= first + horizonDays; day++) {
      for (const [start, end] of this.plan(day).intervals) {
        if (t < end) return { at: Math.max(t, start), day, closesAt: end };
      }
    }
    return null;
  }

  /** The first day after `day` with opening hours and no holiday. */
  nextOpenDay(day: number, horizonDays: number): number | null {
    for (let d = day + 1; d <= day + horizonDays; d++) if (this.plan(d).intervals.length > 0) return d;
    return null;
  }
}
