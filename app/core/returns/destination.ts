// Where a returned line goes: every node is either considered, with what the item would recover
// there, or excluded with the reason. BEST_RECOVERY picks the hub with the highest expected net
// recovery per unit:
//   value × P(resale within horizon there) × (1 − refurbishment loss) − holding − return leg − handling
// where value is the product's typical selling price and holding is value × holding cost per day ×
// days to resale (capped at the horizon). NEAREST picks the closest eligible hub.
import type { CostingNetwork } from "../costing/network";
import { returnLegTo } from "../costing/reverse";
import { hasCoordinates, type Destination } from "../costing/types";
import { formatDistance } from "../geo/distance";
import { formatMinor } from "../money/money";
import { checkAvailability } from "../network/availability";
import { reason, sentence, type Reason } from "../network/reasons";
import type { ProductProfile } from "../network/types";
import { handlingAt, type ReturnPolicy } from "./policy";
import { resaleOdds } from "./recovery";
import type { DestinationDecision, ExcludedHub, ExclusionCode, HubAssessment, ItemCondition, SalesPerDay } from "./types";

export interface DestinationInput {
  product: ProductProfile;
  from: Destination;
  condition: ItemCondition | null;
}

export interface DestinationContext {
  /** The shop's network prepared for costing (prepareCosting, or prepareNetwork(...).costing). */
  costing: CostingNetwork;
  /** Recent local sales per day; a hub or product missing here has no demand. */
  salesPerDay?: SalesPerDay;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;
const days = (d: number | null) => (d === null ? "no local sales" : `~${d < 10 ? d.toFixed(1) : Math.round(d)} days`);
const perDay = (n: number) => `${Number(n.toFixed(2))}/day`;

export function chooseDestination(policy: ReturnPolicy, input: DestinationInput, context: DestinationContext): DestinationDecision {
  const net = context.costing;
  const settings = policy.config.destination;
  const { product, from, condition } = input;
  const currency = net.currency;
  const fmt = (m: number) => formatMinor(m, currency);
  const lossBps = settings.refurbishmentLossBps[condition ?? "UNREPORTED"];
  const considered: HubAssessment[] = [];
  const excluded: ExcludedHub[] = [];

  for (const hub of net.nodes) {
    const node = hub.node;
    const exclude = (r: Reason<ExclusionCode>) => excluded.push({ nodeId: node.id, name: node.name, code: r.code, message: r.message });
    const gate = checkAvailability(hub.gate, "RETURN", {}, net.availability.gates);
    if (!gate.available) {
      // The RETURN gates give only these codes (status, return hub, accepts returns).
      for (const r of gate.reasons) exclude(r as Reason<ExclusionCode>);
      continue;
    }
    const leg = returnLegTo(hub, product, from);
    if (!leg.ok) {
      exclude(reason("OUT_OF_REACH", { detail: leg.reason }));
      continue;
    }
    const rawSales = context.salesPerDay?.[node.id]?.[product.id] ?? 0;
    const salesPerDay = Number.isFinite(rawSales) && rawSales > 0 ? rawSales : 0;
    const onHand = Math.max(0, net.snapshot.stock[node.id]?.[product.id] ?? 0);
    const odds = resaleOdds(salesPerDay, onHand, settings.horizonDays);
    const value = product.valueMinor;
    const grossRecoveryMinor = Math.round(value * odds.probability * (1 - lossBps / 10_000));
    const heldDays = Math.min(odds.expectedDays ?? settings.horizonDays, settings.horizonDays);
    const holdingMinor = Math.round((value * settings.holdingCostBpsPerDay * heldDays) / 10_000);
    const handlingMinor = handlingAt(policy, node);
    const netRecoveryMinor = grossRecoveryMinor - holdingMinor - leg.costMinor - handlingMinor;
    const stockOut = onHand === 0 && salesPerDay > 0;
    const demand = stockOut
      ? `stock-out: 0 on hand while ${perDay(salesPerDay)} sell nearby`
      : salesPerDay > 0
        ? `${onHand} on hand, ${perDay(salesPerDay)} sell nearby`
        : "no recent sales nearby";
    considered.push({
      nodeId: node.id,
      name: node.name,
      distanceM: leg.distanceM,
      reverseCostMinor: leg.costMinor,
      via: leg.via,
      handlingMinor,
      salesPerDay,
      onHand,
      stockOut,
      resaleProbability: odds.probability,
      expectedDaysToResale: odds.expectedDays,
      grossRecoveryMinor,
      holdingMinor,
      netRecoveryMinor,
      detail:
        `${demand}; resale within ${settings.horizonDays} days ${pct(odds.probability)}, ${days(odds.expectedDays)}; ` +
        `${fmt(value)} × ${pct(odds.probability)} × (1 − ${pct(lossBps / 10_000)} refurbishment) = ${fmt(grossRecoveryMinor)}, ` +
        `− holding ${fmt(holdingMinor)} − return leg ${fmt(leg.costMinor)} (${leg.via}) − handling ${fmt(handlingMinor)} = ${fmt(netRecoveryMinor)}`,
    });
  }

  const located = hasCoordinates(from);
  const nearest = settings.mode === "NEAREST";
  considered.sort(nearest && located ? byDistance : nearest ? byReverseCost : byRecovery);
  const [winner, runnerUp] = considered;
  const reasons: string[] = [];
  if (!winner) {
    reasons.push(sentence("NO_RETURN_HUB", { sku: product.sku }));
  } else if (nearest) {
    if (!located) reasons.push("the address has no coordinates: the nearest hub is taken to be the one with the cheapest return leg");
    const d = (h: HubAssessment) => (located && h.distanceM !== null ? formatDistance(h.distanceM) : `return leg ${fmt(h.reverseCostMinor)}`);
    reasons.push(`${winner.name} is the nearest return hub (${d(winner)}${runnerUp ? `; next ${runnerUp.name}, ${d(runnerUp)}` : ""})`);
  } else if (!runnerUp) {
    reasons.push(`${winner.name} is the only return hub that can take it: ${fmt(winner.netRecoveryMinor)} net per unit`);
  } else {
    reasons.push(
      `${winner.name} recovers the most: ${fmt(winner.netRecoveryMinor)} net per unit vs ${fmt(runnerUp.netRecoveryMinor)} at ${runnerUp.name}`,
    );
    if (winner.stockOut && !runnerUp.stockOut) reasons.push(`${winner.name} is out of ${product.sku} while ${perDay(winner.salesPerDay)} sell nearby`);
    if (winner.expectedDaysToResale !== runnerUp.expectedDaysToResale) {
      reasons.push(`resale ${days(winner.expectedDaysToResale)} vs ${days(runnerUp.expectedDaysToResale)} at ${runnerUp.name}`);
    }
    if (winner.reverseCostMinor > runnerUp.reverseCostMinor) {
      reasons.push(`its return leg costs ${fmt(winner.reverseCostMinor - runnerUp.reverseCostMinor)} more than ${runnerUp.name}'s, and it still recovers more`);
    }
  }
  return { mode: settings.mode, hub: winner ?? null, considered, excluded, reasons };
}

const byId = (a: HubAssessment, b: HubAssessment) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0);

function byReverseCost(a: HubAssessment, b: HubAssessment): number {
  return a.reverseCostMinor - b.reverseCostMinor || byId(a, b);
}

function byDistance(a: HubAssessment, b: HubAssessment): number {
  return (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity) || byReverseCost(a, b);
}

function byRecovery(a: HubAssessment, b: HubAssessment): number {
  return (
    b.netRecoveryMinor - a.netRecoveryMinor ||
    (a.expectedDaysToResale ?? Infinity) - (b.expectedDaysToResale ?? Infinity) ||
    byDistance(a, b)
  );
}
