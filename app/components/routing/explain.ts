// Merchant words for routing explanations. Reason codes read through the core's one vocabulary
// (app/core/network/reasons.ts): a badge shows the code's title, never the code.
import { reasonTitle } from "~/core/network/reasons";

export function lossLabel(code: string): { label: string; tone: "critical" | "warning" | "info" | undefined } {
  const t = reasonTitle(code);
  return { label: t.title, tone: t.tone ?? undefined };
}

export const SERVICE_WORDS: Record<string, string> = {
  SAME_DAY: "same day",
  NEXT_DAY: "next day",
  STANDARD: "standard carrier",
  AUTONOMOUS: "robot corridor",
  PICKUP: "pickup",
};

export const PROMISE_WORDS: Record<string, string> = {
  KEPT: "kept",
  NODE_CHANGED: "kept, from another node",
  BROKEN: "broken",
};
