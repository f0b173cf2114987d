import { z } from "zod";
import type { DeclineReason, DestinationDecision, ReturnLine } from "../types";

export const OUTCOME_CODES = ["REFUND", "EXCHANGE", "STORE_CREDIT", "KEEP_ITEM", "DONATE", "RECYCLE", "DECLINE"] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

/** Outcomes after which nothing travels back to a hub: the customer keeps the item (or passes it on), or the return is declined. */
const ITEM_STAYS: readonly OutcomeCode[] = ["KEEP_ITEM", "DONATE", "RECYCLE", "DECLINE"];

/** Whether the item travels back to a hub after this outcome (LineOutcome.itemComesBack, by code). */
export function itemComesBackAfter(code: OutcomeCode): boolean {
  return !ITEM_STAYS.includes(code);
}

/** What happens to one returned line. */
export interface LineOutcome {
  code: OutcomeCode;
  label: string;
  /** The item travels back to a hub (and gets a destination). */
  itemComesBack: boolean;
  /** Money back to the original payment method, minor units. */
  refundMinor: number;
  /** Store credit issued, minor units. */
  storeCreditMinor: number;
  /** DECLINE: Shopify's decline reason. */
  declineReason: DeclineReason | null;
  /** Shown to the customer (the decline note, donation or recycling instructions); null when none. */
  customerMessage: string | null;
  detail: string;
}

export interface OutcomeFacts {
  line: ReturnLine;
  currency: string;
  /** Price paid × quantity. */
  paidMinor: number;
  /** Where the item would go and what it would recover there; computed once, on first call. */
  destination: () => DestinationDecision;
}

/** An outcome may refuse to apply (KEEP_ITEM when bringing the item back pays); the rule then does not match. */
export type OutcomeResult = { applies: true; outcome: LineOutcome } | { applies: false; detail: string };

export type ReturnOutcome = (facts: OutcomeFacts) => OutcomeResult;

/** How a customer who does not send the item back is paid. */
export const resolutionSchema = z
  .enum(["REFUND", "STORE_CREDIT"])
  .default("REFUND")
  .describe("Refund to the original payment, or store credit");
export type Resolution = z.output<typeof resolutionSchema>;

export function paidAs(resolution: Resolution, paidMinor: number): { refundMinor: number; storeCreditMinor: number } {
  return resolution === "REFUND" ? { refundMinor: paidMinor, storeCreditMinor: 0 } : { refundMinor: 0, storeCreditMinor: paidMinor };
}

export const percentSchema = z.number().min(0).max(100);

type Applied = Omit<LineOutcome, "declineReason" | "customerMessage"> & Partial<Pick<LineOutcome, "declineReason" | "customerMessage">>;

export function applied(outcome: Applied): OutcomeResult {
  return { applies: true, outcome: { declineReason: null, customerMessage: null, ...outcome } };
}
