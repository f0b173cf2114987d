// What an availability gate is: a small strategy that says whether a node may serve a purpose and,
// when it may not, why, in the reasons vocabulary. Gates are pure and allocate nothing when the
// node passes; reasons (with their sentences) are built only when the node fails and the caller
// asks for them (`out.reasons` not null).
import type { CartLine } from "../../costing/types";
import type { Reason } from "../reasons";

/** The reason codes gates give (a subset of the one vocabulary, core/network/reasons.ts). */
export type GateCode =
  | "DISABLED"
  | "PERMIT_LAPSED"
  | "PERMIT_SUSPENDED"
  | "NOT_A_MAKER"
  | "NOT_RETURN_HUB"
  | "NOT_ACCEPTING_RETURNS"
  | "OVER_CAPACITY"
  | "NO_STOCK"
  | "MAKE_CAPACITY"
  | "HOLIDAY"
  | "CLOSED";
import type { NetworkNode } from "../types";

/** What a node can be asked to do. */
export const PURPOSES = ["SHIP", "MAKE", "PICKUP", "RETURN", "CAMPAIGN"] as const;
export type Purpose = (typeof PURPOSES)[number];

export const PURPOSE_WORDS: Record<Purpose, string> = {
  SHIP: "ship an order",
  MAKE: "make to order",
  PICKUP: "offer pickup",
  RETURN: "receive a return",
  CAMPAIGN: "take part in a campaign",
};

/** A node as the gates read it, prepared once per network (prepareAvailability). */
export interface GateSubject {
  node: NetworkNode;
  /** The node's kind in words ("micro-factory"), for sentences. */
  kindWords: string;
  /** Makes made-to-order products it does not have on the shelf (a micro-factory). */
  makesToOrder: boolean;
  /** One of the shop's return hubs: on its list (returns.hubNodeIds), or without a list a micro-hub or central warehouse. */
  returnHub: boolean;
  /** The shop names its return hubs, so a node off the list is "not one of the shop's return hubs". */
  returnHubsListed: boolean;
  /** Orders taken today (TodayAtNodes: Shopify's and Nearhub's, over the node's local day). */
  ordersToday: number;
  /** Units made to order today. */
  madeToday: number;
  /** dailyCapacity − ordersToday, never below 0. */
  ordersLeft: number;
  /** Purposes a lapsed or suspended permit takes away, with its reason (NetworkSnapshot.permits); null: none. */
  permitHolds: Partial<Record<Purpose, Reason<"PERMIT_LAPSED" | "PERMIT_SUSPENDED">>> | null;
}

/** The node's local day, for gates that need opening hours. */
export interface DayFacts {
  holiday: boolean;
  /** Has opening hours today. */
  open: boolean;
  /** "mon" … "sun". */
  weekday: string;
}

/**
 * What is asked of the node now. Every field is optional: a gate whose input is absent does not
 * apply (returns ask no stock; planning over a year of orders asks no capacity of today).
 */
export interface GateContext {
  /** The lines asked of the node, and what it has on hand of each (same index). */
  demand?: { lines: readonly CartLine[]; onHand: ArrayLike<number> };
  /** Orders the node can still take today. */
  ordersLeft?: number;
  /** Units a micro-factory can still make today; absent: making is not limited. */
  makeLeft?: number;
  day?: DayFacts;
}

/** Where a gate writes: the reasons (null: nobody reads them, stop at the first failure), and the lines it can supply. */
export interface GateRun {
  reasons: Reason<GateCode>[] | null;
  /** Bit i set: line i can be supplied (first 30 lines); the stock gate clears the bits of lines it cannot. */
  supplied: number;
}

export interface Gate {
  /** The purposes this gate applies to. */
  purposes: readonly Purpose[];
  /** True when the node passes; else false, with its reasons pushed to `out.reasons` when that is not null. */
  run(subject: GateSubject, purpose: Purpose, ctx: GateContext, out: GateRun): boolean;
}
