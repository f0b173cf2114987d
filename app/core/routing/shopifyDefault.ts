// Shopify's default order routing, for comparison: orders are taken one by one in sequence, each
// goes to the fewest locations that have its items in stock (minimise splits), and among those to
// the closest (ship from the closest location; "keep within the destination market" is moot
// inside one country). Stock and capacity are consumed as it goes, with no look-ahead.
//
// To compare like with like it sees the same network as Nearhub: disabled nodes, stock, capacity
// and micro-factory making are respected; a location that cannot deliver to the address at all
// (no service area, rate card or corridor reaches it) is skipped, as Shopify skips locations
// without a shipping profile for the address. Each shipment is then priced by core/costing with the
// node's cheapest service that keeps the promise (else its cheapest service), so the totals are
// directly comparable with routeBatch's.
import { fits, take } from "./assignment";
import { batchClock, bestShipment, makeOption, nodeReaches, orderContext, supplyMask, type Option, type OrderOptions, type PlannedShipment } from "./candidates";
import { formatDistance } from "../geo/distance";
import { finish } from "./batch";
import { availabilityAt, type RoutingNetwork } from "./prepare";
import type { BatchResult, BatchStats, LossReason, RoutingOrder } from "./types";

/** Most locations one order is split over; beyond it the order is reported unroutable. */
const MAX_LOCATIONS = 3;

export function routeShopifyDefault(
  net: RoutingNetwork,
  orders: readonly RoutingOrder[],
  opts: { now: number; availability?: Float64Array },
): BatchResult {
  const clock = batchClock(net, opts.now);
  const initial = opts.availability ? Float64Array.from(opts.availability) : availabilityAt(net, opts.now);
  const residual = Float64Array.from(initial);
  const N = net.nodes.length;
  const all: OrderOptions[] = [];
  const chosen: (Option | null)[] = [];
  const rules: string[] = [];
  let costed = 0;

  orders.forEach((order, index) => {
    const ctx = orderContext(net, order, index);
    const excluded = new Map<number, LossReason[]>();
    const unreachable: number[] = [];
    const L = ctx.lines.length;
    let pick: Option | null = null;
    let rule = "Shopify default rule: no location has the items";
    if (ctx.unknownProducts.length === 0 && L > 0 && L <= 30) {
      const full = (1 << L) - 1;
      const masks = new Int32Array(N);
      for (let n = 0; n < N; n++) {
        if (net.nodes[n].active && !nodeReaches(net, ctx, n)) {
          unreachable.push(n);
          continue;
        }
        const s = supplyMask(net, ctx, n, residual);
        masks[n] = s.mask;
        if (s.mask !== full && s.reasons.length > 0) excluded.set(n, s.reasons);
      }
      const d = ctx.distances;
      const byDistance = Array.from({ length: N }, (_, n) => n)
        .filter((n) => masks[n] !== 0)
        .sort((a, b) => (d ? d[a] - d[b] : 0) || a - b);
      const distanceOf = (n: number) => (d ? d[n] : 0);
      for (let k = 1; k <= Math.min(L, MAX_LOCATIONS) && !pick; k++) {
        const covers: number[][] = [];
        collect(byDistance, k, 0, [], 0, full, masks, covers);
        covers.sort((a, b) => sum(a, distanceOf) - sum(b, distanceOf) || a.join(",").localeCompare(b.join(",")));
        for (const cover of covers) {
          const shipments: PlannedShipment[] = [];
          let ok = true;
          for (const n of cover) {
            // Each line from the closest location of the set that has it.
            const lines: number[] = [];
            for (let i = 0; i < L; i++) {
              if ((masks[n] & (1 << i)) === 0) continue;
              const nearer = cover.find((m) => (masks[m] & (1 << i)) !== 0);
              if (nearer === n) lines.push(i);
            }
            if (lines.length === 0) {
              ok = false;
              break;
            }
            const r = bestShipment(net, clock, ctx, n, lines, residual);
            costed += r.costed;
            if (!r.ok) {
              if (!excluded.has(n)) excluded.set(n, r.reasons);
              ok = false;
              break;
            }
            shipments.push(r.shipment);
          }
          if (!ok) continue;
          const option = makeOption(net, ctx, shipments);
          if (!fits(residual, option)) continue;
          pick = option;
          const where = cover.map((n) => `${net.nodes[n].node.name}${d ? ` (${formatDistance(d[n])})` : ""}`).join(" + ");
          rule = `Shopify default rule: fewest locations (${k}), then the closest with stock: ${where}`;
          break;
        }
      }
    }
    if (pick) take(residual, pick);
    all.push({ ctx, options: pick ? [pick] : [], excluded, unreachable, costed: 0 });
    chosen.push(pick);
    rules.push(rule);
  });

  const stats: BatchStats = {
    orders: orders.length,
    routed: 0,
    unroutable: 0,
    optionsCosted: costed,
    decidedDirectly: orders.length,
    contended: 0,
    variables: 0,
    constraints: 0,
    method: "SHOPIFY_DEFAULT",
    methodReason: "Shopify's default rule: fewest locations, then the closest, greedy in order sequence",
    solverStatus: null,
    repaired: 0,
    improvementMoves: 0,
  };
  return finish(net, stats, all, all.map((oo) => oo.options), chosen, residual, initial, (o) => rules[o]);
}

function sum(nodes: number[], f: (n: number) => number): number {
  let s = 0;
  for (const n of nodes) s += f(n);
  return s;
}

/** Sets of k nodes (from `pool`, in its order) whose masks cover `full`. */
function collect(pool: number[], k: number, start: number, acc: number[], union: number, full: number, masks: Int32Array, out: number[][]): void {
  if (acc.length === k) {
    if (union === full) out.push(acc.slice());
    return;
  }
  for (let i = start; i <= pool.length - (k - acc.length); i++) {
    acc.push(pool[i]);
    collect(pool, k, i + 1, acc, union | masks[pool[i]], full, masks, out);
    acc.pop();
  }
}
