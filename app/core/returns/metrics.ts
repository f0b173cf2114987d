// Resale velocity and recovery of returns, from their timestamps and figures, per hub or per
// product. The population is every return that was approved (declined and undecided requests
// never enter reverse logistics).
import { DAY_MS } from "../geo/localTime";
import type { ReturnState } from "./lifecycle";

export interface ReturnMetrics {
  /** Hub id (where it was received, else where it was sent; "unassigned" without either) or product id. */
  key: string;
  returns: number;
  inspected: number;
  inspectedOnTime: number;
  resold: number;
  /** Mean days from receipt to inspection, over inspected returns; null when none. */
  receiptToInspectionDays: number | null;
  /** Mean days from receipt to resale, over resold returns; null when none. */
  receiptToResaleDays: number | null;
  refundedMinor: number;
  recoveredMinor: number;
  /** recovered ÷ refunded; null when nothing was refunded. */
  recoveryRate: number | null;
  reverseCostMinor: number;
  /** Reverse cost ÷ returns, rounded. */
  reverseCostPerReturnMinor: number;
}

export function returnMetrics(returns: readonly ReturnState[], groupBy: "hub" | "product"): ReturnMetrics[] {
  const groups = new Map<string, ReturnState[]>();
  for (const r of returns) {
    if (r.at.approved === undefined) continue;
    const key = groupBy === "hub" ? (r.hubId ?? "unassigned") : r.productId;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => summarise(key, list));
}

function meanDays(spans: number[]): number | null {
  if (spans.length === 0) return null;
  let sum = 0;
  for (const s of spans) sum += s;
  return sum / spans.length / DAY_MS;
}

function summarise(key: string, list: ReturnState[]): ReturnMetrics {
  const toInspection: number[] = [];
  const toResale: number[] = [];
  let inspectedOnTime = 0;
  let refundedMinor = 0;
  let recoveredMinor = 0;
  let reverseCostMinor = 0;
  for (const r of list) {
    const { received, inspected, resold } = r.at;
    if (received !== undefined && inspected !== undefined) {
      toInspection.push(inspected - received);
      if (r.inspectionDeadlineAt !== null && inspected <= r.inspectionDeadlineAt) inspectedOnTime++;
    }
    if (received !== undefined && resold !== undefined) toResale.push(resold - received);
    refundedMinor += r.refundedMinor;
    recoveredMinor += r.recoveredMinor;
    reverseCostMinor += r.reverseCostMinor;
  }
  return {
    key,
    returns: list.length,
    inspected: toInspection.length,
    inspectedOnTime,
    resold: toResale.length,
    receiptToInspectionDays: meanDays(toInspection),
    receiptToResaleDays: meanDays(toResale),
    refundedMinor,
    recoveredMinor,
    recoveryRate: refundedMinor > 0 ? recoveredMinor / refundedMinor : null,
    reverseCostMinor,
    reverseCostPerReturnMinor: Math.round(reverseCostMinor / list.length),
  };
}
