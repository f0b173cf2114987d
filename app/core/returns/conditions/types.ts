import type { ReturnLine, ReturnRequest } from "../types";

/** What a condition looks at: one line of a return, evaluated at an injected instant. */
export interface LineFacts {
  request: ReturnRequest;
  line: ReturnLine;
  currency: string;
  /** Whole days from delivery to now; null when the delivery date is unknown. */
  daysSinceDelivery: number | null;
}

export interface ConditionResult {
  met: boolean;
  /** Why it holds or not, in words a merchant reads in the rule tester. */
  detail: string;
}

export type ReturnCondition = (facts: LineFacts) => ConditionResult;

/** "between 10.00 USD and 50.00 USD", "at least 31", "at most 30". */
export function describeRange(min: number | null, max: number | null, show: (v: number) => string): string {
  if (min !== null && max !== null) return `between ${show(min)} and ${show(max)}`;
  return min !== null ? `at least ${show(min)}` : `at most ${show(max ?? 0)}`;
}
