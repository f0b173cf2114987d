// Decisions in words: what was chosen and what it cost, which alternatives lost and why (cost,
// stock or capacity taken by other orders of the batch, a broken promise, the shopper's node left),
// and, for an order nothing can ship, every node's reason.
import { formatDistance } from "../geo/distance";
import { formatMinor } from "../money/money";
import { serviceCodeOf } from "../quoting/serviceCode";
import { fits, give, take } from "./assignment";
import { fullCost, type Option, type OrderContext, type PlannedShipment } from "./candidates";
import type { RoutingNetwork } from "./prepare";
import { describePromise, serviceWords } from "./promise";
import type { LandedCost } from "../costing/types";
import { reason, sentence, SERVICE_WORDS } from "../network/reasons";
import type { Alternative, LossReason, NodeExclusion, RoutingDecision, Shipment } from "./types";

function nodeLabel(net: RoutingNetwork, n: number): string {
  return net.nodes[n].node.name;
}

/** A node's name from its handle (an internal key), for sentences a merchant reads. */
function nameByHandle(net: RoutingNetwork, handle: string): string {
  const n = net.nodeByHandle.get(handle);
  return n === undefined ? handle : nodeLabel(net, n);
}

export function describeResource(net: RoutingNetwork, r: number): { code: "STOCK_TAKEN" | "CAPACITY_TAKEN" | "MAKE_CAPACITY_TAKEN"; what: string; node: number } {
  const P = net.products.length;
  const { capacityBase, makeBase } = net.resources;
  if (r < capacityBase) {
    const node = Math.floor(r / P);
    return { code: "STOCK_TAKEN", what: `${net.products[r % P].sku} at ${nodeLabel(net, node)}`, node };
  }
  if (r < makeBase) return { code: "CAPACITY_TAKEN", what: `capacity of ${nodeLabel(net, r - capacityBase)}`, node: r - capacityBase };
  return { code: "MAKE_CAPACITY_TAKEN", what: `making capacity of ${nodeLabel(net, r - makeBase)}`, node: r - makeBase };
}

/** Why an option cannot have resource `r` at all (the batch started with less than it needs): the availability gate's reason. */
function shortOf(net: RoutingNetwork, r: number, needs: number, has: number): LossReason {
  const d = describeResource(net, r);
  const node = nodeLabel(net, d.node);
  if (d.code === "STOCK_TAKEN") return reason("NO_STOCK", { node, sku: net.products[r % net.products.length].sku, needs, has });
  if (d.code === "CAPACITY_TAKEN") {
    const capacity = net.nodes[d.node].node.dailyCapacity;
    return reason("OVER_CAPACITY", { node, taken: Math.max(0, capacity - has), capacity });
  }
  return reason("MAKE_CAPACITY", { node, sku: null, units: needs, left: has });
}

function optionNodes(net: RoutingNetwork, o: Option): string {
  return o.shipments.map((s) => `${nodeLabel(net, s.node)} ${serviceWords(s.service)}`).join(" + ");
}

function toShipment(net: RoutingNetwork, ctx: OrderContext, s: PlannedShipment, cost: LandedCost): Shipment {
  const node = net.nodes[s.node].node;
  return {
    nodeId: node.id,
    nodeHandle: node.handle,
    nodeName: node.name,
    service: s.service,
    serviceCode: serviceCodeOf(node.handle, s.service),
    lines: s.lines.map((i, k) => ({
      lineId: ctx.lineIds[i],
      productId: ctx.lines[i].product.id,
      sku: ctx.lines[i].product.sku,
      quantity: ctx.lines[i].quantity,
      madeUnits: s.made[k],
    })),
    cost,
    keepsPromise: s.keepsPromise,
  };
}

/** Why `alt` lost to `chosen` (null: the order was left unrouted) given what the batch left over. */
function lossReasons(
  net: RoutingNetwork,
  alt: Option,
  chosen: Option | null,
  residual: Float64Array,
  initial: Float64Array,
): LossReason[] {
  const out: LossReason[] = [];
  const currency = net.currency;
  if (alt.promise === "BROKEN" && chosen?.promise !== "BROKEN") {
    const slow = alt.shipments.filter((s) => !s.keepsPromise).map((s) => `${SERVICE_WORDS[s.service]} from ${net.nodes[s.node].node.handle}`);
    out.push(reason("BROKE_PROMISE", { slow: slow.join(", ") }));
  } else if (alt.promise === "NODE_CHANGED" && alt.promisePenaltyMinor > 0 && chosen?.promise === "KEPT") {
    out.push(reason("LEFT_CHOSEN_NODE", {}));
  }
  if (chosen) give(residual, chosen);
  if (!fits(residual, alt)) {
    for (let k = 0; k < alt.res.length; k++) {
      const r = alt.res[k];
      if (residual[r] >= alt.amt[k] - 1e-9) continue;
      if (initial[r] < alt.amt[k]) {
        out.push(shortOf(net, r, alt.amt[k], initial[r]));
      } else {
        const d = describeResource(net, r);
        out.push(reason(d.code, { what: d.what, left: Math.max(0, residual[r]), needs: alt.amt[k] }));
      }
    }
  }
  if (chosen) take(residual, chosen);
  if (chosen) {
    const delta = alt.landedMinor + alt.splitPenaltyMinor - (chosen.landedMinor + chosen.splitPenaltyMinor);
    if (delta > 0 || out.length === 0) out.push(reason("COST", { deltaMinor: delta, splitPenaltyMinor: alt.splitPenaltyMinor, currency }));
  }
  return out;
}

/** Why node `n` could not keep the promise: its exclusion, or why its own option is slower. */
function whyNot(net: RoutingNetwork, d: DecisionInput, n: number): LossReason[] | undefined {
  const excluded = d.excluded.get(n);
  if (excluded) return excluded;
  if (d.unreachable.includes(n)) return [net.nodes[n].unreachable];
  for (const o of d.options) {
    if (o.shipments.length === 1 && o.shipments[0].node === n && o.shipments[0].missed) return o.shipments[0].missed;
  }
  return undefined;
}

export interface DecisionInput {
  ctx: OrderContext;
  chosen: Option | null;
  /** Options to draw alternatives from (already costed), best first. */
  options: readonly Option[];
  excluded: Map<number, LossReason[]>;
  unreachable: readonly number[];
  /** What the batch left over, and what it started with. */
  residual: Float64Array;
  initial: Float64Array;
  /** A sentence on how the choice was made, put first in the reasons. */
  rule?: string;
}

export function buildDecision(net: RoutingNetwork, d: DecisionInput): RoutingDecision {
  const { ctx, chosen } = d;
  const currency = net.currency;
  const promise = ctx.promise;
  const reasons: string[] = [];
  if (d.rule) reasons.push(d.rule);
  const alternatives: Alternative[] = [];
  const listed = net.config.alternativesListed;
  for (const alt of d.options) {
    if (alternatives.length >= listed) break;
    if (alt === chosen) continue;
    const cost = alt.landedMinor + alt.splitPenaltyMinor;
    alternatives.push({
      nodes: alt.shipments.map((s) => net.nodes[s.node].node.handle),
      services: alt.shipments.map((s) => s.service),
      costMinor: cost,
      deltaMinor: chosen ? cost - (chosen.landedMinor + chosen.splitPenaltyMinor) : 0,
      promise: alt.promise,
      lost: lossReasons(net, alt, chosen, d.residual, d.initial),
    });
  }
  const excluded: NodeExclusion[] = [];
  for (let n = 0, u = 0; n < net.nodes.length; n++) {
    if (d.unreachable[u] === n) {
      excluded.push(net.nodes[n].unreachableExclusion);
      u++;
      continue;
    }
    const rs = d.excluded.get(n);
    if (rs) excluded.push({ nodeId: net.nodes[n].node.id, nodeHandle: net.nodes[n].node.handle, reasons: rs });
  }
  const promiseReasons: string[] = [...promise.notes];

  if (!chosen) {
    if (ctx.unknownProducts.length > 0) {
      reasons.push(`unroutable: ${sentence("UNKNOWN_PRODUCT", { products: ctx.unknownProducts })}`);
    } else if (d.options.length === 0) {
      reasons.push("unroutable: no node can ship this order");
      for (const e of excluded) reasons.push(`${nameByHandle(net, e.nodeHandle)}: ${e.reasons.slice(0, 2).map((r) => r.message).join("; ")}`);
    } else {
      reasons.push("unroutable in this batch: the stock or capacity every option needs went to other orders");
    }
    return {
      orderId: ctx.order.id,
      status: "UNROUTABLE",
      currency,
      shipments: [],
      landedMinor: 0,
      splitPenaltyMinor: 0,
      totalMinor: 0,
      promise: { requested: promise.requested, service: promise.service, nodeId: promise.nodeId, status: null, reasons: promiseReasons },
      alternatives,
      excluded,
      reasons,
    };
  }

  const total = chosen.landedMinor + chosen.splitPenaltyMinor;
  const costs = chosen.shipments.map((s) => fullCost(net, ctx, s));
  if (chosen.shipments.length === 1) {
    const s = chosen.shipments[0];
    reasons.push(
      `${nodeLabel(net, s.node)}, ${serviceWords(s.service)}: ${formatMinor(s.totalMinor, currency)} landed ` +
        `(forward ${formatMinor(s.forwardMinor, currency)} + expected returns ${formatMinor(s.expectedReverseMinor, currency)})` +
        (ctx.distances ? `, ${formatDistance(ctx.distances[s.node])} away` : ""),
    );
  } else {
    reasons.push(
      `split in ${chosen.shipments.length} shipments, as no single node can ship every line while keeping the promise: ` +
        chosen.shipments
          .map((s) => `${nodeLabel(net, s.node)} ${serviceWords(s.service)} (${s.lines.map((i) => ctx.lines[i].product.sku).join(", ")}) ${formatMinor(s.totalMinor, currency)}`)
          .join("; ") +
        `; split penalty ${formatMinor(chosen.splitPenaltyMinor, currency)}`,
    );
  }
  chosen.shipments.forEach((s) => {
    const made = s.made.reduce((a, b) => a + b, 0);
    if (made > 0) reasons.push(`${nodeLabel(net, s.node)} makes ${made} unit${made === 1 ? "" : "s"} to order: ${s.lead.detail}`);
  });
  const next = alternatives[0];
  if (next) reasons.push(`next best: ${next.nodes.map((h) => nameByHandle(net, h)).join(" + ")} (${next.lost.map((l) => l.message).join("; ")})`);

  const requested = promise.requested;
  if (chosen.promise === "KEPT") {
    promiseReasons.push(requested ? `kept the shopper's choice: ${describePromise(promise, (h) => nameByHandle(net, h))}` : `kept the promise: ${serviceWords(promise.service)} or faster`);
  } else if (chosen.promise === "NODE_CHANGED") {
    const why = promise.nodeIndex >= 0 ? whyNot(net, d, promise.nodeIndex) : undefined;
    if (why) {
      promiseReasons.push(`the shopper chose ${describePromise(promise, (h) => nameByHandle(net, h))}, which cannot ship it: ${why.slice(0, 3).map((r) => r.message).join("; ")}`);
    } else if (net.config.promise.keep === "SERVICE") {
      promiseReasons.push(`the shopper chose ${describePromise(promise, (h) => nameByHandle(net, h))}; another node ships it as fast for less (promise kept at service level)`);
    } else {
      const there = d.options.find((o) => o.promise === "KEPT");
      const lost = there ? lossReasons(net, there, chosen, d.residual, d.initial).filter((l) => l.code !== "COST") : [];
      promiseReasons.push(
        `the shopper chose ${describePromise(promise, (h) => nameByHandle(net, h))}, which cannot take it in this batch` + (lost.length ? `: ${lost.map((l) => l.message).join("; ")}` : ""),
      );
    }
    promiseReasons.push(`still ${serviceWords(promise.service)} or faster: ${optionNodes(net, chosen)}`);
  } else {
    const slow = chosen.shipments.filter((s) => !s.keepsPromise);
    promiseReasons.push(
      `promise broken: no node can ship ${serviceWords(promise.service)} or faster any more; ships ${slow.map((s) => `${serviceWords(s.service)} from ${nodeLabel(net, s.node)}`).join(", ")}`,
    );
    const requestedWhy = promise.nodeIndex >= 0 ? whyNot(net, d, promise.nodeIndex) : undefined;
    if (requestedWhy) promiseReasons.push(`${net.nodes[promise.nodeIndex].node.handle}: ${requestedWhy.slice(0, 3).map((r) => r.message).join("; ")}`);
  }

  return {
    orderId: ctx.order.id,
    status: "ROUTED",
    currency,
    shipments: chosen.shipments.map((s, i) => toShipment(net, ctx, s, costs[i])),
    landedMinor: chosen.landedMinor,
    splitPenaltyMinor: chosen.splitPenaltyMinor,
    totalMinor: total,
    promise: { requested, service: promise.service, nodeId: promise.nodeId, status: chosen.promise, reasons: promiseReasons },
    alternatives,
    excluded,
    reasons,
  };
}
