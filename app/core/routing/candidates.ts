// The options of one order: which node (or nodes) could ship which lines, with which service, at
// what landed cost, using which stock and capacity. Single-node assignments are costed first;
// splits only when no single node can ship the whole order while keeping its promise, with at most
// `maxShipments` nodes drawn from the `splitCandidateNodes` nodes that supply the most lines.
// Every node that cannot serve says why. Costs come from core/costing (landedPrice for every option,
// landedCost's full breakdown for the chosen ones), eligibility and dispatch time from core/quoting's
// planners, so routing prices an order exactly as checkout did.
import { landedCost, landedPrice, type CostRequest, type LandedPrice } from "../costing/landedCost";
import { leadTimeAt } from "../costing/leadTime";
import type { LeadTime } from "../costing/types";
import { parcelOf } from "../costing/parcel";
import { describeReverseLine, expectedReverseCost, type ReverseEstimate } from "../costing/reverse";
import { corridorCovers } from "../costing/corridor";
import { hasCoordinates, type CartLine, type LandedCost, type ServiceKind } from "../costing/types";
import { greatCircleM } from "../geo/distance";
import { checkAvailability, type GateContext } from "../network/availability";
import { prefixedReason, reason, SERVICE_WORDS } from "../network/reasons";
import type { StockByNode } from "../network/types";
import { PLANNERS, type PlanContext } from "../quoting/plan";
import type { RoutingNetwork } from "./prepare";
import {
  consideredService,
  keepsService,
  preferredService,
  promisePenalty,
  promiseStatusOf,
  resolvePromise,
  type ResolvedPromise,
} from "./promise";
import type { LossReason, PromiseStatus, RoutingOrder } from "./types";

export interface OrderContext {
  /** Position in the batch. */
  index: number;
  order: RoutingOrder;
  lines: CartLine[];
  /** Product index per line. */
  productIdx: number[];
  lineIds: (string | null)[];
  promise: ResolvedPromise;
  /** Expected returns of the whole order (they do not depend on the shipping node). */
  reverse: ReverseEstimate;
  /** Index into reverse.lines per order line, -1 when the line has no return rate. */
  reverseLineOf: number[];
  /** Great-circle metres to each node; null without coordinates. */
  distances: Float64Array | null;
  /** Lines naming products the network does not know: the order cannot be routed. */
  unknownProducts: string[];
}

export interface PlannedShipment {
  node: number;
  service: ServiceKind;
  /** Order line indexes. */
  lines: number[];
  /** Units made to order, per entry of `lines` (shared, read-only zeros where nothing is made). */
  made: readonly number[];
  /** The landed cost's totals; the full breakdown is rebuilt for the shipments that are chosen (fullCost). */
  totalMinor: number;
  forwardMinor: number;
  expectedReverseMinor: number;
  /** What the landed cost was computed with, to rebuild it exactly. */
  dispatchAt: number;
  loadRatio: number;
  lead: LeadTime;
  keepsPromise: boolean;
  /** For a shipment slower than promised: why this node could not keep the promise. */
  missed: LossReason[] | null;
}

export interface Option {
  /** Its nodes and services as one number, to tell two options of an order apart (or the same). */
  sig: number;
  shipments: PlannedShipment[];
  landedMinor: number;
  splitPenaltyMinor: number;
  promise: PromiseStatus;
  promisePenaltyMinor: number;
  /** landed + split penalty + promise penalty: what the optimisation minimises. */
  objective: number;
  /** Resource ids (see RoutingNetwork.resources) and the amounts this option consumes. */
  res: number[];
  amt: number[];
}

export interface OrderOptions {
  ctx: OrderContext;
  /** Every option costed, best objective first. */
  options: Option[];
  /** Why each node in reach could not ship the whole order on its own (absent: it could). */
  excluded: Map<number, LossReason[]>;
  /** Nodes no service of which reaches the address (their reason is RoutingNode.unreachable). */
  unreachable: number[];
  /** landedCost calls made. */
  costed: number;
}

/** Per-batch facts that do not depend on the order. */
export interface BatchClock {
  now: number;
  /** Local day number of `now` at each node. */
  today: Int32Array;
}

export function batchClock(net: RoutingNetwork, now: number): BatchClock {
  const today = new Int32Array(net.nodes.length);
  for (const n of net.nodes) today[n.index] = n.qn.calendar.clock.local(now).day;
  return { now, today };
}

export function orderContext(net: RoutingNetwork, order: RoutingOrder, index: number): OrderContext {
  // Built with map, not push: a context lives as long as the batch, and pushed arrays keep spare room.
  const unknownProducts = order.lines.filter((l) => !net.productById.has(l.productId)).map((l) => l.productId);
  const known = unknownProducts.length === 0 ? order.lines : order.lines.filter((l) => net.productById.has(l.productId));
  const productIdx = known.map((l) => net.productById.get(l.productId)!);
  const lines = known.map((l, i): CartLine => {
    const product = net.products[productIdx[i]];
    return l.unitPriceMinor === undefined ? { product, quantity: l.quantity } : { product, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor };
  });
  const lineIds = known.map((l) => l.id ?? null);
  return contextOf(net, index, order, lines, productIdx, lineIds, unknownProducts, resolvePromise(net, order.serviceCode));
}

/**
 * A checkout cart as an order (quoting/split.ts): its lines exactly as quoted (the products the
 * quote was given), priced under `promise`. A product the network does not know leaves it unroutable.
 */
export function cartContext(net: RoutingNetwork, lines: readonly CartLine[], destination: RoutingOrder["destination"], promise: ResolvedPromise, now: number): OrderContext {
  const unknownProducts = lines.filter((l) => !net.productById.has(l.product.id)).map((l) => l.product.id);
  const known = unknownProducts.length === 0 ? lines.slice() : lines.filter((l) => net.productById.has(l.product.id));
  const order: RoutingOrder = {
    id: "cart",
    placedAt: now,
    destination,
    lines: known.map((l) => (l.unitPriceMinor === undefined ? { productId: l.product.id, quantity: l.quantity } : { productId: l.product.id, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })),
    serviceCode: null,
  };
  const productIdx = known.map((l) => net.productById.get(l.product.id)!);
  return contextOf(net, 0, order, known, productIdx, known.map(() => null), unknownProducts, promise);
}

function contextOf(
  net: RoutingNetwork,
  index: number,
  order: RoutingOrder,
  lines: CartLine[],
  productIdx: number[],
  lineIds: (string | null)[],
  unknownProducts: string[],
  promise: ResolvedPromise,
): OrderContext {
  const dest = order.destination;
  let distances: Float64Array | null = null;
  if (hasCoordinates(dest)) {
    distances = new Float64Array(net.nodes.length);
    for (const n of net.nodes) distances[n.index] = greatCircleM(n.node.latitude, n.node.longitude, dest.latitude, dest.longitude);
  }
  const reverse = expectedReverseCost(net.quote.costing, lines, dest);
  let r = 0;
  const reverseLineOf = lines.map((l) => (l.product.returnRateBps > 0 ? r++ : -1));
  return { index, order, lines, productIdx, lineIds, promise, reverse, reverseLineOf, distances, unknownProducts };
}

function reverseFor(ctx: OrderContext, lineIdx: readonly number[], currency: string): ReverseEstimate {
  if (lineIdx.length === ctx.lines.length) return ctx.reverse;
  const lines = [];
  let amount = 0;
  for (const i of lineIdx) {
    const r = ctx.reverseLineOf[i];
    if (r < 0) continue;
    const rl = ctx.reverse.lines[r];
    lines.push(rl);
    amount += rl.expectedUnits * rl.unitCostMinor;
  }
  const detail =
    lines.length === 0
      ? "no line of this shipment has a return rate"
      : lines.map((l) => describeReverseLine(l, currency)).join("; ");
  return { amountMinor: Math.round(amount), lines, detail, reasons: ctx.reverse.reasons };
}

/**
 * Whether `service` from node `n` can possibly reach the address, decided without building any
 * reason (the planner says why in detail when it can): a circle-only area the address is outside
 * of, or no corridor covering it, rules the service out.
 */
export function serviceReaches(net: RoutingNetwork, ctx: OrderContext, n: number, service: ServiceKind): boolean {
  const rn = net.nodes[n];
  const d = ctx.distances ? ctx.distances[n] : null;
  switch (service) {
    case "STANDARD":
    case "PICKUP":
      return true;
    case "SAME_DAY":
    case "NEXT_DAY":
      return d === null || rn.radiusOnlyM === null || d <= rn.radiusOnlyM;
    case "AUTONOMOUS": {
      const dest = ctx.order.destination;
      if (d === null || !hasCoordinates(dest)) return true;
      return rn.qn.prepared.corridors.some((c) => corridorCovers(c, dest.latitude, dest.longitude));
    }
  }
}

/** Whether any service the order may use from node `n` reaches its address. */
export function nodeReaches(net: RoutingNetwork, ctx: OrderContext, n: number): boolean {
  for (const s of net.nodes[n].services) if (consideredService(ctx.promise, s) && serviceReaches(net, ctx, n, s)) return true;
  return false;
}

const ZEROS: (readonly number[])[] = [];
function zeros(n: number): readonly number[] {
  return (ZEROS[n] ??= Object.freeze(new Array<number>(n).fill(0)));
}

type ShipmentResult = { ok: true; shipment: PlannedShipment } | { ok: false; reasons: LossReason[] };

// What the availability gate is asked for node n, reused for every node (routing is synchronous).
const demand: { lines: readonly CartLine[]; onHand: Float64Array } = { lines: [], onHand: new Float64Array(32) };
const gateCtx: GateContext = { demand, ordersLeft: 0, makeLeft: undefined };

/**
 * Which of the order's lines node `n` can supply from `avail` (as a bitmask over lines, up to 30),
 * and why not, from the availability gate (status, capacity left today, stock or making). A node
 * the gate rules out before its stock supplies none.
 */
export function supplyMask(net: RoutingNetwork, ctx: OrderContext, n: number, avail: Float64Array): { mask: number; reasons: LossReason[] } {
  const rn = net.nodes[n];
  const { capacityBase, makeBase } = net.resources;
  const P = net.products.length;
  const lines = ctx.lines;
  if (demand.onHand.length < lines.length) demand.onHand = new Float64Array(lines.length * 2);
  for (let i = 0; i < lines.length; i++) demand.onHand[i] = avail[n * P + ctx.productIdx[i]];
  demand.lines = lines;
  gateCtx.ordersLeft = avail[capacityBase + n];
  gateCtx.makeLeft = rn.factory ? avail[makeBase + n] : undefined;
  const r = checkAvailability(rn.gate, rn.purpose, gateCtx);
  // SHIP and MAKE gates give only loss codes (status, capacity, stock, making).
  return { mask: r.supplied, reasons: r.reasons as LossReason[] };
}

/**
 * The cheapest way node `n` can ship `lineIdx`: a service that keeps the promise if it has one,
 * else its cheapest service at all (flagged). Stock is assumed checked (supplyMask).
 */
export function bestShipment(
  net: RoutingNetwork,
  clock: BatchClock,
  ctx: OrderContext,
  n: number,
  lineIdx: number[],
  avail: Float64Array,
): ShipmentResult & { costed: number } {
  const rn = net.nodes[n];
  const node = rn.node;
  const P = net.products.length;
  const all = lineIdx.length === ctx.lines.length;
  const lines = all ? ctx.lines : lineIdx.map((i) => ctx.lines[i]);
  let made: readonly number[] = zeros(lineIdx.length);
  let stockView: StockByNode = net.quote.costing.snapshot.stock;
  if (rn.factory) {
    const shelf: Record<string, number> = {};
    const making: number[] = [];
    for (const i of lineIdx) {
      const line = ctx.lines[i];
      const onHand = avail[n * P + ctx.productIdx[i]];
      making.push(line.product.madeToOrder ? Math.max(0, line.quantity - onHand) : 0);
      shelf[line.product.id] = onHand;
    }
    made = making;
    stockView = { [node.id]: shelf };
  }
  if (rn.services.length === 0) {
    return { ok: false, costed: 0, reasons: [reason("NO_SERVICE", { node: node.name, none: true })] };
  }
  const lead = leadTimeAt(rn.qn.prepared, lines, stockView);
  const parcel = parcelOf(lines);
  const reverse = reverseFor(ctx, lineIdx, net.currency);
  const planCtx: PlanContext = {
    qn: rn.qn,
    config: net.quote.config,
    now: clock.now,
    today: clock.today[n],
    destination: ctx.order.destination,
    distanceM: ctx.distances ? ctx.distances[n] : null,
    parcel,
    lead,
  };
  const failures: LossReason[] = [];
  const prefer = preferredService(ctx.promise, n);
  let missed: LossReason[] | null = null;
  let costed = 0;
  let best: LandedPrice | null = null;
  let bestService: ServiceKind = "STANDARD";
  let bestDispatchAt = 0;
  let bestLoadRatio = 0;
  // Services that keep the promise first; the others only when none of those works here.
  for (let pass = 0; pass < 2; pass++) {
    const keeping = pass === 0;
    for (const service of rn.services) {
      if (!consideredService(ctx.promise, service) || keepsService(ctx.promise, n, service) !== keeping) continue;
      if (!serviceReaches(net, ctx, n, service)) {
        if (!failures.includes(rn.unreachable)) failures.push(rn.unreachable);
        continue;
      }
      const plan = PLANNERS[service](planCtx);
      if (!plan.ok) {
        for (const r of plan.reasons) failures.push(prefixedReason(SERVICE_WORDS[service], r));
        continue;
      }
      costed++;
      const req: CostRequest = {
        nodeId: node.id,
        service,
        lines,
        destination: ctx.order.destination,
        dispatchAt: plan.dispatchAt,
        loadRatio: plan.loadRatio,
        parcel,
        reverse,
        leadTime: lead,
      };
      // Totals only: the breakdown is rebuilt for the chosen shipments (fullCost).
      let price: LandedPrice | null = landedPrice(net.quote.costing, req);
      if (price === null) {
        // Refused: the breakdown says why (the totals path has no words).
        const r = landedCost(net.quote.costing, req);
        if (!r.ok) {
          for (const m of r.reasons) failures.push(reason("NOT_PRICED", { detail: `${SERVICE_WORDS[service]}: ${m}` }));
          continue;
        }
        price = r.cost;
      }
      // The service the shopper chose here wins while it works; otherwise the cheapest that keeps the promise.
      const better =
        best === null ||
        (service === prefer && bestService !== prefer) ||
        (bestService !== prefer && price.totalMinor < best.totalMinor);
      if (better) {
        best = price;
        bestService = service;
        bestDispatchAt = plan.dispatchAt;
        bestLoadRatio = plan.loadRatio;
      }
    }
    if (best) {
      return {
        ok: true,
        costed,
        shipment: {
          node: n,
          service: bestService,
          lines: lineIdx,
          made,
          totalMinor: best.totalMinor,
          forwardMinor: best.forwardMinor,
          expectedReverseMinor: best.expectedReverseMinor,
          dispatchAt: bestDispatchAt,
          loadRatio: bestLoadRatio,
          lead,
          keepsPromise: keeping,
          missed,
        },
      };
    }
    if (keeping) {
      missed = failures.length > 0 ? failures.slice() : [reason("NO_SERVICE", { node: node.name, promised: ctx.promise.service })];
    }
  }
  if (failures.length === 0) {
    failures.push(reason("NO_SERVICE", { node: node.name }));
  }
  return { ok: false, costed, reasons: failures };
}

/** The full landed cost of a planned shipment (components and reasons), as it was costed. */
export function fullCost(net: RoutingNetwork, ctx: OrderContext, s: PlannedShipment): LandedCost {
  const lines = s.lines.length === ctx.lines.length ? ctx.lines : s.lines.map((i) => ctx.lines[i]);
  const r = landedCost(net.quote.costing, {
    nodeId: net.nodes[s.node].node.id,
    service: s.service,
    lines,
    destination: ctx.order.destination,
    dispatchAt: s.dispatchAt,
    loadRatio: s.loadRatio,
    parcel: parcelOf(lines),
    reverse: reverseFor(ctx, s.lines, net.currency),
    leadTime: s.lead,
  });
  if (!r.ok) throw new Error(`shipment from ${net.nodes[s.node].node.handle} no longer prices: ${r.reasons.join("; ")}`);
  return r.cost;
}

// Scratch for makeOption: an option keeps exact-size copies (it lives as long as the batch).
const scratchRes: number[] = [];
const scratchAmt: number[] = [];

function addUse(r: number, a: number): void {
  if (a <= 0) return;
  const at = scratchRes.indexOf(r);
  if (at >= 0) scratchAmt[at] += a;
  else {
    scratchRes.push(r);
    scratchAmt.push(a);
  }
}

const SERVICE_INDEX: Record<ServiceKind, number> = { SAME_DAY: 0, NEXT_DAY: 1, STANDARD: 2, AUTONOMOUS: 3, PICKUP: 4 };

export function makeOption(net: RoutingNetwork, ctx: OrderContext, shipments: PlannedShipment[]): Option {
  const P = net.products.length;
  const { capacityBase, makeBase } = net.resources;
  scratchRes.length = 0;
  scratchAmt.length = 0;
  let landed = 0;
  let sig = 0;
  for (const s of shipments) {
    landed += s.totalMinor;
    sig = sig * 8192 + s.node * 8 + SERVICE_INDEX[s.service];
    addUse(capacityBase + s.node, 1);
    for (let k = 0; k < s.lines.length; k++) {
      const i = s.lines[k];
      const made = s.made[k];
      addUse(s.node * P + ctx.productIdx[i], ctx.lines[i].quantity - made);
      addUse(makeBase + s.node, made);
    }
  }
  const splitPenaltyMinor = (shipments.length - 1) * net.config.splitPenaltyMinor;
  const promise = promiseStatusOf(ctx.promise, shipments);
  const promisePenaltyMinor = promisePenalty(net, promise);
  return {
    sig,
    shipments,
    landedMinor: landed,
    splitPenaltyMinor,
    promise,
    promisePenaltyMinor,
    objective: landed + splitPenaltyMinor + promisePenaltyMinor,
    res: scratchRes.slice(),
    amt: scratchAmt.slice(),
  };
}

export function compareOptions(a: Option, b: Option): number {
  return a.objective - b.objective || a.shipments.length - b.shipments.length || a.sig - b.sig;
}

function popcount(x: number): number {
  let c = 0;
  while (x) {
    x &= x - 1;
    c++;
  }
  return c;
}

function combinations(items: number[], k: number, visit: (combo: number[]) => void, start = 0, acc: number[] = []): void {
  if (acc.length === k) {
    visit(acc.slice());
    return;
  }
  for (let i = start; i <= items.length - (k - acc.length); i++) {
    acc.push(items[i]);
    combinations(items, k, visit, i + 1, acc);
    acc.pop();
  }
}

export interface OptionsMode {
  /**
   * Cost every node set (all supplying nodes, every split up to maxShipments, every way to give the
   * lines to the set's nodes): the whole instance, for bounds in benchmarks and tests. Slow.
   */
  exhaustive?: boolean;
}

/** Every option of one order against `avail`, best first, with the reasons nodes were left out. */
export function optionsForOrder(
  net: RoutingNetwork,
  clock: BatchClock,
  ctx: OrderContext,
  avail: Float64Array,
  mode: OptionsMode = {},
): OrderOptions {
  const N = net.nodes.length;
  const L = ctx.lines.length;
  const excluded = new Map<number, LossReason[]>();
  const unreachable: number[] = [];
  const options: Option[] = [];
  let costed = 0;
  if (ctx.unknownProducts.length > 0 || L === 0) return { ctx, options, excluded, unreachable, costed };
  const full = L >= 30 ? -1 : (1 << L) - 1;
  const masks = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    if (net.nodes[n].active && !nodeReaches(net, ctx, n)) {
      unreachable.push(n);
      continue;
    }
    const s = supplyMask(net, ctx, n, avail);
    masks[n] = s.mask;
    if (s.mask !== full || L > 30) {
      if (s.reasons.length > 0) excluded.set(n, s.reasons);
      else if (L > 30) excluded.set(n, [reason("TOO_MANY_LINES", { max: 30 })]);
    }
  }
  const allLines = Array.from({ length: L }, (_, i) => i);
  const shipmentCache = new Map<number, ShipmentResult | null>();
  const shipment = (n: number, mask: number, lineIdx: number[]): ShipmentResult => {
    const key = mask * 64 + n;
    let r = shipmentCache.get(key);
    if (!r) {
      const res = bestShipment(net, clock, ctx, n, lineIdx, avail);
      costed += res.costed;
      r = res;
      shipmentCache.set(key, r);
    }
    return r;
  };
  for (let n = 0; n < N; n++) {
    if (masks[n] !== full || L > 30) continue;
    const r = shipment(n, full, allLines);
    if (r.ok) options.push(makeOption(net, ctx, [r.shipment]));
    else excluded.set(n, r.reasons);
  }
  const canSplit = net.config.maxShipments >= 2 && L >= 2 && L <= 30;
  // A split rate chosen at checkout: its split is costed even when one node could ship everything
  // (at another node, a change of node), and the search goes on to as many shipments as it names.
  const plan = ctx.promise.planNodes;
  const needSplit = mode.exhaustive || plan !== null || !options.some((o) => o.promise !== "BROKEN");
  const minShipments = plan !== null ? Math.min(plan.length, net.config.maxShipments) : 2;
  if (canSplit && needSplit) {
    const supplying: number[] = [];
    for (let n = 0; n < N; n++) if (masks[n] !== 0) supplying.push(n);
    const d = ctx.distances;
    supplying.sort((a, b) => popcount(masks[b]) - popcount(masks[a]) || (d ? d[a] - d[b] : 0) || a - b);
    const pool = mode.exhaustive ? supplying : supplying.slice(0, net.config.splitCandidateNodes);
    for (let k = 2; k <= net.config.maxShipments; k++) {
      const before = options.length;
      combinations(pool, k, (combo) => {
        let union = 0;
        for (const n of combo) union |= masks[n];
        if (union !== full) return;
        if (mode.exhaustive) {
          for (const assignment of allAssignments(combo, masks, L)) addSplit(assignment);
        } else {
          // Each line from the first node of the set (most lines, then nearest) that has it.
          addSplit(allLines.map((i) => combo.find((n) => (masks[n] & (1 << i)) !== 0)!));
        }
      });
      if (options.length > before && !mode.exhaustive && k >= minShipments) break;
    }
  }
  options.sort(compareOptions);
  return { ctx, options, excluded, unreachable, costed };

  function addSplit(nodeOfLine: number[]): void {
    const byNode = new Map<number, number[]>();
    for (let i = 0; i < L; i++) {
      const n = nodeOfLine[i];
      const list = byNode.get(n);
      if (list) list.push(i);
      else byNode.set(n, [i]);
    }
    if (byNode.size < 2) return;
    const shipments: PlannedShipment[] = [];
    for (const [n, lineIdx] of byNode) {
      let mask = 0;
      for (const i of lineIdx) mask |= 1 << i;
      const r = shipment(n, mask, lineIdx);
      if (!r.ok) return;
      shipments.push(r.shipment);
    }
    shipments.sort((a, b) => a.node - b.node);
    options.push(makeOption(net, ctx, shipments));
  }
}

/** Every way to give each line to a node of `combo` that supplies it, every node getting one line or more. */
function allAssignments(combo: number[], masks: Int32Array, L: number): number[][] {
  const out: number[][] = [];
  const acc: number[] = [];
  const walk = (i: number) => {
    if (i === L) {
      if (combo.every((n) => acc.includes(n))) out.push(acc.slice());
      return;
    }
    for (const n of combo) {
      if ((masks[n] & (1 << i)) === 0) continue;
      acc.push(n);
      walk(i + 1);
      acc.pop();
    }
  };
  walk(0);
  return out;
}
