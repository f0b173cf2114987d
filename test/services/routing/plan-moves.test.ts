// planMoves: from a routing decision to the fulfillmentOrderMove calls that carry it out. A whole
// fulfillment order going to one node moves whole; one whose lines go to several nodes has its
// parts moved out first (keyed by destination), then what remains; lines already at their node
// stay; a node without a Shopify location is reported, never guessed.
import { describe, expect, it } from "vitest";
import type { RoutingDecision, Shipment } from "~/core/routing";
import type { ShopifyRoutingInput } from "~/services/routing/decide.server";
import { planMoves } from "~/services/routing/execute.server";
import type { RoutingSnapshot } from "~/services/routing/snapshot.server";

const LOC = { wh: "gid://shopify/Location/1", bk: "gid://shopify/Location/2", mn: "gid://shopify/Location/3" };
const rs = {
  snap: { net: { costing: { snapshot: { nodes: [
    { id: "n-wh", shopifyLocationId: LOC.wh },
    { id: "n-bk", shopifyLocationId: LOC.bk },
    { id: "n-mn", shopifyLocationId: LOC.mn },
    { id: "n-studio", shopifyLocationId: null },
  ] } } } },
} as unknown as RoutingSnapshot;

const fo = (id: string, at: string, lines: [string, number][]) => ({
  id,
  status: "OPEN",
  requestStatus: "UNSUBMITTED",
  assignedLocation: { location: { id: at } },
  supportedActions: [{ action: "MOVE" }],
  lineItems: { nodes: lines.map(([lid, q]) => ({ id: lid, remainingQuantity: q, totalQuantity: q, lineItem: { id: `li-${lid}`, sku: "S", variant: null } })) },
});
const input = (fos: ReturnType<typeof fo>[]) => ({ movable: fos }) as unknown as ShopifyRoutingInput;
const shipment = (nodeId: string, handle: string, lineIds: string[]) => ({ nodeId, nodeHandle: handle, lines: lineIds.map((lineId) => ({ lineId, quantity: 1 })) }) as unknown as Shipment;
const decision = (shipments: Shipment[]) => ({ status: "ROUTED", shipments }) as unknown as RoutingDecision;

describe("planMoves", () => {
  it("moves a whole fulfillment order to its node without naming lines", () => {
    const { moves, problems } = planMoves(rs, input([fo("fo-1", LOC.wh, [["a", 1], ["b", 2]])]), decision([shipment("n-bk", "bk", ["a", "b"])]));
    expect(problems).toEqual([]);
    expect(moves).toEqual([{ key: "fo-1", fulfillmentOrderGid: "fo-1", fromLocationGid: LOC.wh, toLocationGid: LOC.bk, nodeHandle: "bk", lineItems: null }]);
  });

  it("moves out the lines bound elsewhere and leaves the rest in place", () => {
    const { moves } = planMoves(rs, input([fo("fo-1", LOC.wh, [["a", 1], ["b", 2]])]), decision([shipment("n-wh", "wh", ["a"]), shipment("n-mn", "mn", ["b"])]));
    expect(moves).toEqual([{ key: `fo-1#${LOC.mn}`, fulfillmentOrderGid: "fo-1", fromLocationGid: LOC.wh, toLocationGid: LOC.mn, nodeHandle: "mn", lineItems: [{ id: "b", quantity: 2 }] }]);
  });

  it("splits a fulfillment order whose lines go to two other nodes into two line-level moves", () => {
    const { moves } = planMoves(rs, input([fo("fo-1", LOC.wh, [["a", 1], ["b", 1]])]), decision([shipment("n-bk", "bk", ["a"]), shipment("n-mn", "mn", ["b"])]));
    expect(moves.map((m) => [m.key, m.toLocationGid, m.lineItems])).toEqual([
      [`fo-1#${LOC.bk}`, LOC.bk, [{ id: "a", quantity: 1 }]],
      [`fo-1#${LOC.mn}`, LOC.mn, [{ id: "b", quantity: 1 }]],
    ]);
  });

  it("plans nothing for lines already at their node, or for an unroutable decision", () => {
    expect(planMoves(rs, input([fo("fo-1", LOC.bk, [["a", 1]])]), decision([shipment("n-bk", "bk", ["a"])])).moves).toEqual([]);
    expect(planMoves(rs, input([fo("fo-1", LOC.bk, [["a", 1]])]), { status: "UNROUTABLE", shipments: [] } as unknown as RoutingDecision).moves).toEqual([]);
  });

  it("reports a chosen node without a Shopify location and leaves its lines where they are", () => {
    const { moves, problems } = planMoves(rs, input([fo("fo-1", LOC.wh, [["a", 1]])]), decision([shipment("n-studio", "studio", ["a"])]));
    expect(moves).toEqual([]);
    expect(problems).toEqual(["studio has no Shopify location: its lines stay where Shopify put them (link the node to a location in Network)"]);
  });
});
