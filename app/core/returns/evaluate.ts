// Applies a return policy to a return request: per line, the ordered rules are tried until one
// matches (every condition holds and its outcome applies), else the default outcome. Every rule
// tried says why it matched or not, so the same result drives the decision, the stored reasons
// and the admin's "test a rule against a sample return" panel.
import { DAY_MS } from "../geo/localTime";
import type { ConditionResult, LineFacts } from "./conditions/types";
import { chooseDestination, type DestinationContext } from "./destination";
import { reason, type Reason } from "../network/reasons";
import { itemComesBackAfter, type LineOutcome, type OutcomeResult } from "./outcomes/types";
import type { CompiledReturnRule, ReturnPolicy } from "./policy";
import type { DestinationDecision, ReturnLine, ReturnRequest } from "./types";

export interface ReturnContext extends DestinationContext {
  /** UTC ms; injected so a decision can be replayed. */
  now: number;
}

export interface ConditionTrace extends ConditionResult {
  code: string;
  label: string;
}

export interface RuleTrace {
  index: number;
  id: string;
  name: string;
  matched: boolean;
  /** Every condition of the rule, met or not (none for a disabled rule). */
  conditions: ConditionTrace[];
  why: string;
}

export interface LineEvaluation {
  lineId: string;
  sku: string;
  quantity: number;
  outcome: LineOutcome;
  /**
   * Why the item stays with the customer although the rule's outcome would bring it back: every
   * hub loses money on it, or none can take it (policy destination.shipBackAtALoss off). Null otherwise.
   */
  keptBecause: Reason<"RETURN_LOSES_MONEY" | "NO_RETURN_HUB"> | null;
  /** The rule that decided; null when the default outcome applied. */
  rule: { index: number; id: string; name: string } | null;
  /** The rules tried, in order, up to the one that decided. */
  trace: RuleTrace[];
  /** Where the item goes (when it comes back), or the figures KEEP_ITEM weighed; null otherwise. */
  destination: DestinationDecision | null;
}

export interface ReturnEvaluation {
  returnId: string;
  currency: string;
  evaluatedAt: number;
  /** APPROVE: no line declined; DECLINE: every line declined; PARTIAL: some. */
  decision: "APPROVE" | "DECLINE" | "PARTIAL";
  lines: LineEvaluation[];
  refundMinor: number;
  storeCreditMinor: number;
}

export function evaluateReturn(policy: ReturnPolicy, request: ReturnRequest, context: ReturnContext): ReturnEvaluation {
  return summarizeReturn(
    request,
    request.lines.map((line) => evaluateReturnLine(policy, request, line, context)),
    context,
  );
}

/**
 * One line of `request`: what evaluateReturn does for each line, on its own, so that a caller can
 * evaluate a long return a slice of lines at a time (each line costs the same: rules × hubs) and
 * then summarizeReturn the lines.
 */
export function evaluateReturnLine(policy: ReturnPolicy, request: ReturnRequest, line: ReturnLine, context: ReturnContext): LineEvaluation {
  const daysSinceDelivery =
    request.deliveredAt === null ? null : Math.max(0, Math.floor((context.now - request.deliveredAt) / DAY_MS));
  return evaluateLine(policy, { request, line, currency: context.costing.currency, daysSinceDelivery }, context);
}

/** The return's decision and totals from its evaluated lines. */
export function summarizeReturn(request: ReturnRequest, lines: LineEvaluation[], context: ReturnContext): ReturnEvaluation {
  const declined = lines.filter((l) => l.outcome.code === "DECLINE").length;
  let refundMinor = 0;
  let storeCreditMinor = 0;
  for (const l of lines) {
    refundMinor += l.outcome.refundMinor;
    storeCreditMinor += l.outcome.storeCreditMinor;
  }
  return {
    returnId: request.returnId,
    currency: context.costing.currency,
    evaluatedAt: context.now,
    decision: declined === 0 ? "APPROVE" : declined === lines.length ? "DECLINE" : "PARTIAL",
    lines,
    refundMinor,
    storeCreditMinor,
  };
}

function evaluateLine(policy: ReturnPolicy, facts: LineFacts, context: ReturnContext): LineEvaluation {
  const line: ReturnLine = facts.line;
  let destination: DestinationDecision | undefined;
  const outcomeFacts = {
    line,
    currency: facts.currency,
    paidMinor: line.unitPriceMinor * line.quantity,
    destination: () =>
      (destination ??= chooseDestination(policy, { product: line.product, from: facts.request.from, condition: line.condition }, context)),
  };
  const trace: RuleTrace[] = [];
  const decided = (ruled: LineOutcome, rule: CompiledReturnRule | null): LineEvaluation => {
    let outcome = ruled;
    let dest = outcome.itemComesBack ? outcomeFacts.destination() : (destination ?? null);
    let keptBecause: LineEvaluation["keptBecause"] = null;
    const loss = outcome.itemComesBack && dest ? lossEverywhere(dest, facts.currency, line) : null;
    if (loss && dest) {
      // Never shipped back at a loss without saying so.
      dest = { ...dest, reasons: dest.hub ? [...dest.reasons, loss.message] : dest.reasons };
      if (keepable(outcome) && !policy.config.destination.shipBackAtALoss) {
        keptBecause = loss;
        outcome = keptInstead(outcome, line, loss);
      }
    }
    return {
      lineId: line.lineId,
      sku: line.product.sku,
      quantity: line.quantity,
      outcome,
      keptBecause,
      rule: rule && { index: rule.index, id: rule.id, name: rule.name },
      trace,
      destination: dest,
    };
  };

  for (const rule of policy.rules) {
    const entry = { index: rule.index, id: rule.id, name: rule.name };
    if (!rule.enabled) {
      trace.push({ ...entry, matched: false, conditions: [], why: "disabled" });
      continue;
    }
    const conditions = rule.when.map((c): ConditionTrace => ({ code: c.code, label: c.label, ...c.run(facts) }));
    const failed = conditions.filter((c) => !c.met);
    if (failed.length > 0) {
      trace.push({ ...entry, matched: false, conditions, why: failed.map((c) => c.detail).join("; ") });
      continue;
    }
    const result: OutcomeResult = rule.then.run(outcomeFacts);
    const held = conditions.length > 0 ? conditions.map((c) => c.detail).join("; ") : "no conditions: every line";
    if (!result.applies) {
      trace.push({ ...entry, matched: false, conditions, why: `${held}; but “${rule.then.label.toLowerCase()}” does not apply: ${result.detail}` });
      continue;
    }
    trace.push({ ...entry, matched: true, conditions, why: `${held} → ${result.outcome.detail}` });
    return decided(result.outcome, rule);
  }
  const fallback = policy.defaultOutcome.run(outcomeFacts);
  // The policy schema refuses a default outcome that can decline to apply (KEEP_ITEM).
  if (!fallback.applies) throw new Error(`default outcome ${policy.defaultOutcome.code} did not apply: ${fallback.detail}`);
  return decided(fallback.outcome, null);
}

/** Why bringing the item back would lose money everywhere (or cannot happen); null when some hub recovers its costs. */
function lossEverywhere(d: DestinationDecision, currency: string, line: ReturnLine): Reason<"RETURN_LOSES_MONEY" | "NO_RETURN_HUB"> | null {
  if (!d.hub) return reason("NO_RETURN_HUB", { sku: line.product.sku });
  let best = d.considered[0];
  for (const h of d.considered) if (h.netRecoveryMinor > best.netRecoveryMinor) best = h;
  return best.netRecoveryMinor < 0 ? reason("RETURN_LOSES_MONEY", { hub: best.name, lossMinor: -best.netRecoveryMinor, currency }) : null;
}

/** Outcomes that pay money for the item: the customer can keep it and be paid the same. An exchange needs the item back. */
function keepable(outcome: LineOutcome): boolean {
  return outcome.code === "REFUND" || outcome.code === "STORE_CREDIT";
}

/** The rule's refund or store credit, and the customer keeps the item (ends as KEPT, with no hub). */
function keptInstead(outcome: LineOutcome, line: ReturnLine, why: Reason): LineOutcome {
  return {
    code: "KEEP_ITEM",
    label: "Keep the item",
    itemComesBack: itemComesBackAfter("KEEP_ITEM"),
    refundMinor: outcome.refundMinor,
    storeCreditMinor: outcome.storeCreditMinor,
    declineReason: null,
    customerMessage: `Keep the ${line.product.title}: there is no need to send it back.`,
    detail: `${outcome.detail}, and the customer keeps ${line.product.sku}: ${why.message} (the return settings can bring such items back anyway)`,
  };
}
