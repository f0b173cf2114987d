// Checkout quotes: every service a shopper can choose for this cart and address, priced by the
// merchant's rules on top of the landed cost, with honest delivery windows, and every node or
// service left out listed with the reason.
import { landedCost } from "../costing/landedCost";
import { leadTimeAt } from "../costing/leadTime";
import { parcelOf, subtotalMinor } from "../costing/parcel";
import { expectedReverseCost } from "../costing/reverse";
import { hasCoordinates, type CartLine, type LandedCost } from "../costing/types";
import { greatCircleM } from "../geo/distance";
import { DAY_MS, MINUTE_MS } from "../geo/localTime";
import type { NetworkSnapshot } from "../network/types";
import type { QuoteConfig } from "./config";
import { describeOption } from "./describe";
import { PLANNERS, type Plan, type PlanContext } from "./plan";
import { prepareNetwork, type QuoteNetwork, type QuoteNode } from "./prepare";
import { applyPricing } from "./pricing";
import { serviceCodeOf } from "./serviceCode";
import { sortOptions } from "./sort";
import type { DeliveryWindow, ExclusionReason, QuoteInput, QuoteRequest, QuoteResult } from "./types";

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

const LISTED_SHORTFALLS = 5;

/** Node-wide reasons to leave a node out: status, stock for every line, capacity. */
function nodeGate(net: QuoteNetwork, qn: QuoteNode, lines: readonly CartLine[]): ExclusionReason[] | null {
  const node = qn.prepared.node;
  if (node.status === "DISABLED") return [{ code: "DISABLED", message: `${node.name} is disabled` }];
  const reasons: ExclusionReason[] = [];
  const stock = net.costing.snapshot.stock[node.id];
  let short = 0;
  for (const line of lines) {
    const p = line.product;
    if (p.madeToOrder && node.kind === "MICRO_FACTORY") continue;
    const has = stock?.[p.id] ?? 0;
    if (has >= line.quantity) continue;
    if (++short <= LISTED_SHORTFALLS) {
      reasons.push({ code: "NO_STOCK", message: `no stock for ${p.sku} (needs ${line.quantity}, has ${has})` });
    }
  }
  if (short > LISTED_SHORTFALLS) {
    reasons.push({ code: "NO_STOCK", message: `and ${short - LISTED_SHORTFALLS} more lines without stock` });
  }
  const load = qn.prepared.ops.currentLoad;
  if (load >= node.dailyCapacity) {
    reasons.push({ code: "OVER_CAPACITY", message: `at capacity: ${load} of ${node.dailyCapacity} orders today` });
  }
  return reasons.length > 0 ? reasons : null;
}

export function quotePrepared(net: QuoteNetwork, req: QuoteRequest): QuoteResult {
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
    const gate = nodeGate(net, qn, lines);
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
        const reasons = costed.reasons.map((message): ExclusionReason => ({ code: "NOT_PRICED", message }));
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
  sortOptions(result.options);
  return result;
}

function windowOf(config: QuoteConfig, qn: QuoteNode, plan: Plan & { ok: true }, cost: LandedCost): DeliveryWindow {
  const clock = qn.calendar.clock;
  const t = cost.transit;
  const timezone = clock.zone;
  if (t.mode === "NONE") return { earliestMs: t.earliestArrivalMs, latestMs: plan.closesAt ?? t.latestArrivalMs, timezone };
  if (t.mode === "CARRIER") return { earliestMs: t.earliestArrivalMs, latestMs: t.latestArrivalMs, timezone };
  // Courier and autonomous: a slot after the earliest arrival, its end rounded up in local time.
  const end = t.latestArrivalMs + config.promise.windowMinutes * MINUTE_MS;
  const step = config.promise.roundUpToMinutes;
  const local = clock.local(end);
  const exactMinute = (end + local.offsetMinutes * MINUTE_MS - local.day * DAY_MS) / MINUTE_MS;
  const latestMs = Math.max(end, clock.instant(local.day, Math.min(1440, Math.ceil(exactMinute / step) * step)));
  return { earliestMs: t.earliestArrivalMs, latestMs, timezone };
}

