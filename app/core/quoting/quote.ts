// Checkout quotes: every service a shopper can choose for this cart and address, priced by the
// merchant's rules on top of the landed cost, with honest delivery windows, and every node or
// service left out listed with the reason.
import { landedCost } from "../costing/landedCost";
import { leadTimeAt } from "../costing/leadTime";
import { parcelOf, subtotalMinor } from "../costing/parcel";
import { expectedReverseCost } from "../costing/reverse";
import { hasCoordinates, type CartLine, type ServiceKind } from "../costing/types";
import { greatCircleM } from "../geo/distance";
import type { NetworkSnapshot } from "../network/types";
import { prepareRouting, type RoutingNetwork } from "../routing/prepare";
import { describeOption } from "./describe";
import { PLANNERS, type PlanContext } from "./plan";
import { checkAvailability, isAvailable, type GateContext } from "../network/availability";
import { reason } from "../network/reasons";
import { makeUnitsLeft, prepareNetwork, type QuoteNetwork, type QuoteNode } from "./prepare";
import { applyPricing } from "./pricing";
import { serviceCodeOf } from "./serviceCode";
import { sortOptions } from "./sort";
import { SPLIT_SERVICES, splitOptions } from "./split";
import type { ExclusionReason, QuoteInput, QuoteRequest, QuoteResult } from "./types";
import { windowOf } from "./window";

const prepared = new WeakMap<NetworkSnapshot, WeakMap<object, QuoteNetwork>>();

/** Quotes from a snapshot and config, preparing them once per (snapshot, config) pair of objects. */
export function quoteOptions(input: QuoteInput): QuoteResult {
  let byConfig = prepared.get(input.snapshot);
  if (!byConfig) {
    byConfig = new WeakMap();
    prepared.set(input.snapshot, byConfig);
  }
  let net = byConfig.get(input.config);
  if (!net) {
    net = prepareNetwork(input.snapshot, input.config);
    byConfig.set(input.config, net);
  }
  return quotePrepared(net, input);
}

// What the gate is asked, reused for every node (quoting is synchronous): the cart's lines and the
// units the node has of each, what it can still take and make today.
const demand: { lines: readonly CartLine[]; onHand: Float64Array } = { lines: [], onHand: new Float64Array(16) };
const gateCtx: GateContext = { demand, ordersLeft: 0, makeLeft: undefined };

/** Node-wide reasons to leave a node out, from the availability gate: status, capacity left today, stock (or making) for every line. */
function nodeGate(net: QuoteNetwork, qn: QuoteNode, lines: readonly CartLine[], now: number): ExclusionReason[] | null {
  const node = qn.prepared.node;
  const gate = qn.prepared.gate;
  if (demand.onHand.length < lines.length) demand.onHand = new Float64Array(lines.length * 2);
  const stock = net.costing.snapshot.stock[node.id];
  for (let i = 0; i < lines.length; i++) demand.onHand[i] = stock?.[lines[i].product.id] ?? 0;
  demand.lines = lines;
  gateCtx.ordersLeft = gate.ordersLeft;
  gateCtx.makeLeft = qn.purpose === "MAKE" ? makeUnitsLeft(qn, now) : undefined;
  if (isAvailable(gate, qn.purpose, gateCtx)) return null;
  // SHIP and MAKE gates give only exclusion codes (status, capacity, stock, making).
  return checkAvailability(gate, qn.purpose, gateCtx).reasons as ExclusionReason[];
}

const defaultRouting = new WeakMap<QuoteNetwork, RoutingNetwork>();

/** Routing's default settings over this network (2 shipments at most, 5.00 per extra parcel): for callers without the shop's. */
function routingFor(net: QuoteNetwork): RoutingNetwork {
  let r = defaultRouting.get(net);
  if (!r) {
    r = prepareRouting(net, {});
    defaultRouting.set(net, r);
  }
  return r;
}

/**
 * `routing`: the shop's routing network over `net` (its split penalty and most shipments per
 * order); without it, routing's defaults. Carts no single node can ship whole with a service are
 * quoted as split rates (quoting/split.ts).
 */
export function quotePrepared(net: QuoteNetwork, req: QuoteRequest, routing?: RoutingNetwork): QuoteResult {
  const now = typeof req.now === "number" ? req.now : req.now.getTime();
  const currency = net.costing.currency;
  const result: QuoteResult = { currency, quotedAt: now, options: [], excluded: [], reasons: [] };
  const lines = req.cart.lines;
  if (lines.length === 0) {
    result.reasons.push("the cart is empty: nothing to quote");
    return result;
  }
  const destination = req.destination;
  const located = hasCoordinates(destination);
  if (!located) {
    result.reasons.push("the address has no coordinates: only pickup and services priced by postal code are quoted");
  }
  const parcel = parcelOf(lines);
  const subtotal = subtotalMinor(lines);
  const reverse = expectedReverseCost(net.costing, lines, destination);

  for (const qn of net.nodes) {
    if (qn.services.length === 0) continue;
    const node = qn.prepared.node;
    const gate = nodeGate(net, qn, lines, now);
    if (gate) {
      result.excluded.push({ nodeId: node.id, nodeHandle: node.handle, service: null, reasons: gate });
      continue;
    }
    const lead = leadTimeAt(qn.prepared, lines, net.costing.snapshot.stock);
    const ctx: PlanContext = {
      qn,
      config: net.config,
      now,
      today: qn.calendar.clock.local(now).day,
      destination,
      distanceM: located ? greatCircleM(node.latitude, node.longitude, destination.latitude, destination.longitude) : null,
      parcel,
      lead,
    };
    for (const service of qn.services) {
      const plan = PLANNERS[service](ctx);
      if (!plan.ok) {
        result.excluded.push({ nodeId: node.id, nodeHandle: node.handle, service, reasons: plan.reasons });
        continue;
      }
      const costed = landedCost(net.costing, {
        nodeId: node.id,
        service,
        lines,
        destination,
        dispatchAt: plan.dispatchAt,
        loadRatio: plan.loadRatio,
        parcel,
        reverse,
        leadTime: lead,
        quotedCourierFees: req.quotedCourierFees,
        quotedAt: now,
      });
      if (!costed.ok) {
        const reasons = costed.reasons.map((detail): ExclusionReason => reason("NOT_PRICED", { detail }));
        result.excluded.push({ nodeId: node.id, nodeHandle: node.handle, service, reasons });
        continue;
      }
      const cost = costed.cost;
      const pricing = applyPricing(net.pricing, {
        service,
        currency,
        forwardCostMinor: cost.forwardMinor,
        landedCostMinor: cost.totalMinor,
        subtotalMinor: subtotal,
      });
      const option = {
        serviceCode: serviceCodeOf(node.handle, service),
        service,
        nodeId: node.id,
        nodeHandle: node.handle,
        nodeName: node.name,
        currency,
        priceMinor: pricing.priceMinor,
        cost,
        pricing: pricing.steps,
        window: windowOf(net.config, qn, plan, cost),
        description: "",
        reasons: plan.reasons,
      };
      option.description = describeOption(option, now);
      result.options.push(option);
    }
  }
  // No single node ships the whole cart with some service because stock, making or capacity is
  // spread over nodes: quote those services from several nodes, as routing would ship them.
  // (A node left out only as disabled or full takes no part of a split either.)
  if (lines.length >= 2 && result.excluded.some((e) => e.service === null && e.reasons.some((r) => r.code === "NO_STOCK" || r.code === "MAKE_CAPACITY"))) {
    const offered = new Set<ServiceKind>(result.options.map((o) => o.service));
    const services = SPLIT_SERVICES.filter((s) => !offered.has(s) && net.nodes.some((qn) => qn.services.includes(s)));
    const rnet = routing && routing.quote === net ? routing : routingFor(net);
    const split = splitOptions(net, rnet, { lines, destination, now, subtotalMinor: subtotal, services });
    for (const o of split.options) result.options.push(o);
    for (const r of split.reasons) result.reasons.push(r);
  }
  sortOptions(result.options);
  return result;
}

