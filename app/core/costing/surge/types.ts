import type { Weekday } from "../../network/types";

export interface SurgeContext {
  /** Local weekday and minute at the node when the courier is dispatched. */
  weekday: Weekday;
  minuteOfDay: number;
  /** Orders the node has taken today ÷ its daily capacity (0 when quoting a later day). */
  loadRatio: number;
}

export interface SurgeResult {
  multiplier: number;
  detail: string;
}

export type SurgeRule = (ctx: SurgeContext) => SurgeResult | null;
