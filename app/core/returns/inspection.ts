// The inspection clock: a received return must be inspected before its deadline (48 h after
// receipt unless the hub says otherwise). `inspectionStatus` tells hub staff where each return
// stands; `escalationsDue` says whom to alert, and is idempotent: given the keys already sent
// (stored by the service), it never repeats a level, nor sends a lower level after a higher one,
// whatever restarts happen in between.
import { MINUTE_MS } from "../geo/localTime";
import { DEFAULT_ESCALATIONS, type EscalationLevel } from "./config";
import type { ReturnState } from "./lifecycle";

const HOUR_MS = 60 * MINUTE_MS;

export type InspectionStatus =
  | { status: "not_received" }
  | { status: "on_time" | "due_soon" | "overdue"; deadlineAt: number; /** Negative when overdue. */ minutesLeft: number }
  | { status: "inspected"; deadlineAt: number; onTime: boolean; /** 0 when on time. */ minutesLate: number };

export function inspectionStatus(state: ReturnState, now: number, dueSoonHours = 12): InspectionStatus {
  const deadlineAt = state.inspectionDeadlineAt;
  if (state.at.received === undefined || deadlineAt === null) return { status: "not_received" };
  const inspectedAt = state.at.inspected;
  if (inspectedAt !== undefined) {
    const minutesLate = Math.max(0, Math.ceil((inspectedAt - deadlineAt) / MINUTE_MS));
    return { status: "inspected", deadlineAt, onTime: inspectedAt <= deadlineAt, minutesLate };
  }
  const leftMs = deadlineAt - now;
  const minutesLeft = Math.floor(leftMs / MINUTE_MS);
  if (leftMs < 0) return { status: "overdue", deadlineAt, minutesLeft };
  return { status: leftMs <= dueSoonHours * HOUR_MS ? "due_soon" : "on_time", deadlineAt, minutesLeft };
}

export interface Escalation {
  /** Store it once sent; pass it back in `alreadySent`. */
  key: string;
  returnId: string;
  lineId: string;
  hubId: string | null;
  /** 1-based index into the escalation levels. */
  level: number;
  notify: EscalationLevel["notify"];
  deadlineAt: number;
  message: string;
}

export function escalationKey(state: Pick<ReturnState, "returnId" | "lineId">, level: number): string {
  return `${state.returnId}/${state.lineId}/escalation-${level}`;
}

/**
 * For every received, uninspected return, the highest escalation level it has reached, unless
 * that level or a higher one was already sent.
 */
export function escalationsDue(
  returns: readonly ReturnState[],
  now: number,
  alreadySent: ReadonlySet<string> | readonly string[],
  levels: readonly EscalationLevel[] = DEFAULT_ESCALATIONS,
): Escalation[] {
  const sent = alreadySent instanceof Set ? alreadySent : new Set(alreadySent);
  const due: Escalation[] = [];
  for (const r of returns) {
    const deadlineAt = r.inspectionDeadlineAt;
    if (r.status !== "received" || deadlineAt === null) continue;
    let reached = 0;
    levels.forEach((l, i) => {
      if (now >= deadlineAt + l.afterDeadlineHours * HOUR_MS) reached = i + 1;
    });
    if (reached === 0) continue;
    let sentUpTo = 0;
    for (let level = levels.length; level >= 1; level--) {
      if (sent.has(escalationKey(r, level))) {
        sentUpTo = level;
        break;
      }
    }
    if (reached <= sentUpTo) continue;
    const hours = Math.round((now - deadlineAt) / HOUR_MS);
    const when = hours === 0 ? "due now" : hours < 0 ? `due in ${-hours} h` : `overdue by ${hours} h`;
    due.push({
      key: escalationKey(r, reached),
      returnId: r.returnId,
      lineId: r.lineId,
      hubId: r.hubId,
      level: reached,
      notify: levels[reached - 1].notify,
      deadlineAt,
      message: `Inspection of return ${r.returnId}/${r.lineId}${r.hubId ? ` at ${r.hubId}` : ""} is ${when} (deadline ${new Date(deadlineAt).toISOString()})`,
    });
  }
  return due;
}
