// Checkout and routing agree (issue 12 item 2), on generated networks (test/core/routing/instance.ts:
// 20 nodes over four metros, 60 SKUs from 12 sellers, some made to order) with random scarcity,
// random hours of the day and most shipments per order of 1 to 3:
// - for every rate the quote offers, routing the order with that rate's service code ships exactly
//   the parcels the rate promised (same nodes, same services, same lines, same cost), the promise kept;
// - every cart routing can ship (with no rate chosen) gets at least one live option.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepareNetwork, quotePrepared, type QuoteOption } from "../../../app/core/quoting";
import { prepareRouting, routeOrder, type RoutingDecision, type RoutingNetwork, type RoutingOrder } from "../../../app/core/routing";
import type { CartLine } from "../../../app/core/costing/types";
import { generateInstance } from "../routing/instance";

const promised = (o: QuoteOption) =>
  (o.shipments ?? [{ nodeHandle: o.nodeHandle, service: o.service, lines: null, cost: o.cost }])
    .map((s) => `${s.nodeHandle}/${s.service}/${s.cost.totalMinor}` + (s.lines ? `/${s.lines.map((l) => `${l.productId}×${l.quantity}`).join(",")}` : ""))
    .sort();
const shipped = (d: RoutingDecision, split: boolean) =>
  d.shipments
    .map((s) => `${s.nodeHandle}/${s.service}/${s.cost.totalMinor}` + (split ? `/${s.lines.map((l) => `${l.productId}×${l.quantity}`).join(",")}` : ""))
    .sort();

function cartOf(net: RoutingNetwork, order: RoutingOrder): CartLine[] {
  return order.lines.map((l) => ({ product: net.products[net.productById.get(l.productId)!], quantity: l.quantity }));
}

describe("checkout and routing agree", () => {
  it("every rate offered is what routing ships with its code; every cart routing can ship has a live option", () => {
    let rates = 0;
    let splitRates = 0;
    let routable = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        fc.constantFrom(1, 2, 2, 3),
        fc.integer({ min: 0, max: 14 * 60 }),
        (seed, scarcity, maxShipments, minutesLater) => {
          const inst = generateInstance({ seed, orders: 400 });
          for (const levels of Object.values(inst.snapshot.stock)) {
            for (const k of Object.keys(levels)) levels[k] = Math.floor(levels[k] * scarcity);
          }
          const net = prepareRouting(prepareNetwork(inst.snapshot, inst.quoteConfig), { maxShipments });
          const now = inst.now + minutesLater * 60_000;
          // Carts of one to four generated orders' lines (so several sellers), to the first one's address.
          for (let i = 0, c = 0; c < 15 && i < inst.orders.length; c++) {
            const take = 1 + ((seed + c) % 4);
            const group = inst.orders.slice(i, i + take);
            i += take;
            const qty = new Map<string, number>();
            for (const o of group) for (const l of o.lines) qty.set(l.productId, (qty.get(l.productId) ?? 0) + l.quantity);
            const order: RoutingOrder = {
              ...group[0],
              id: `cart${c}`,
              lines: [...qty].map(([productId, quantity], k) => ({ id: `l${k}`, productId, quantity })),
              placedAt: now - 60_000,
              serviceCode: null,
            };
            const q = quotePrepared(net.quote, { cart: { lines: cartOf(net, order) }, destination: order.destination, now }, net);
            for (const o of q.options) {
              rates++;
              if (o.shipments) splitRates++;
              const d = routeOrder(net, { ...order, serviceCode: o.serviceCode }, { now });
              const why = `${o.serviceCode}: ${d.reasons.join(" | ")}`;
              expect(d.status, why).toBe("ROUTED");
              expect(d.promise.status, why).toBe("KEPT");
              expect(shipped(d, !!o.shipments), why).toEqual(promised(o));
            }
            const free = routeOrder(net, order, { now });
            if (free.status === "ROUTED") {
              routable++;
              expect(q.options.length, `order ${order.id} routes (${free.shipments.map((s) => s.serviceCode).join(" + ")}) but has no live option`).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 60, seed: 12 },
    );
    // The generator does reach split rates and routable carts.
    expect(splitRates).toBeGreaterThan(0);
    expect(rates).toBeGreaterThan(splitRates);
    expect(routable).toBeGreaterThan(0);
  });
});
