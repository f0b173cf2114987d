// Resale velocity: when an order sells a SKU that a return put back on a hub's shelf, the oldest
// such restocked unit (restocked before the order was placed) is closed as resold at the order's
// price, so receipt→resale is measured. Which hub sold it: the node the order was routed to or
// fulfilled from when the caller knows it (routing decision, fulfillment location), else the hub
// whose Shopify location the order names, else any hub holding a restocked unit of that SKU.
// recordResalesFromRouting reads the routing decisions' shipment rows (RoutingShipmentLine of a
// RoutingShipment: node + SKU) so an order routed to the hub closes the return without any other hook.
//
// Called inside the orders/create webhook's transaction (idempotent: the order's id is the key).
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { findInBatches } from "../batch.server";
import { yieldToEventLoop } from "../event-loop.server";
import { logger } from "../logger.server";
import type { Tx } from "../webhooks.server";
import { afterChange } from "./effects.server";
import { applyReturnEventTx, IllegalTransitionError } from "./repository.server";

export interface SoldOrder {
  /** gid://shopify/Order/… or the order's name: the idempotency key. */
  orderId: string;
  placedAt: Date;
  lines: { sku: string | null; quantity: number; priceMinor: number }[];
  /** The Nearhub node that fulfils it, when known. */
  nodeId?: string | null;
  /** The Shopify location the order names (gid or number), when any. */
  locationId?: string | null;
}

export interface ResaleRecorded {
  returnId: string;
  lineId: string;
  eventIds: string[];
}

export async function recordSalesForResale(tx: Tx, shop: Pick<Shop, "id">, order: SoldOrder): Promise<ResaleRecorded[]> {
  let nodeId = order.nodeId ?? null;
  if (!nodeId && order.locationId) {
    const tail = String(order.locationId).split("/").pop();
    const node = await tx.node.findFirst({ where: { shopId: shop.id, shopifyLocationId: { in: [String(order.locationId), `gid://shopify/Location/${tail}`] } } });
    nodeId = node?.id ?? null;
  }
  const recorded: ResaleRecorded[] = [];
  for (const sold of order.lines) {
    if (!sold.sku) continue;
    let units = sold.quantity;
    // The units restocked first are sold first.
    const candidates = await tx.returnLine.findMany({
      where: { shopId: shop.id, sku: sold.sku, status: "RESTOCKED", ...(nodeId ? { hubId: nodeId } : {}) },
      orderBy: [{ restockedAt: "asc" }, { id: "asc" }],
    });
    for (const line of candidates) {
      if (units < line.quantity) break;
      if (line.restockedAt === null || line.restockedAt > order.placedAt) continue;
      try {
        const r = await applyReturnEventTx(
          tx,
          shop.id,
          line.returnId,
          { type: "RESELL", priceMinor: sold.priceMinor * line.quantity, orderId: order.orderId },
          { idempotencyKey: `resale:${order.orderId}:${line.id}`, now: order.placedAt.getTime(), lineIds: [line.id], source: "orders/create" },
        );
        if (!r.duplicate) recorded.push({ returnId: line.returnId, lineId: line.id, eventIds: r.eventIds });
        units -= line.quantity;
      } catch (error) {
        if (!(error instanceof IllegalTransitionError)) throw error;
        logger.warn({ returnId: line.returnId, err: error.message }, "resale not recorded");
      }
    }
  }
  return recorded;
}

/** Outside a webhook: its own transaction, then the (database-only) effects marked done. */
export async function recordResale(shop: Pick<Shop, "id">, order: SoldOrder): Promise<ResaleRecorded[]> {
  const recorded = await db.$transaction((tx) => recordSalesForResale(tx, shop, order));
  await afterChange(recorded.flatMap((r) => r.eventIds));
  return recorded;
}

/** Lines of routing decisions read per statement (a busy shop's year of decisions is scanned in pages). */
const RESALE_PAGE = 500;

/**
 * The routing decisions as the resale signal: every order routed to a node after a unit of the
 * same SKU was restocked there closes that return as resold (at the order's line price when the
 * order is stored, else the product's value). Read from the decisions' shipment rows
 * (RoutingShipmentLine of a RoutingShipment at the hub). Run by the returns job; idempotent (per
 * order and line), so it can scan the same decisions again after a restart.
 */
export async function recordResalesFromRouting(shopId?: string): Promise<ResaleRecorded[]> {
  const restocked = await db.returnLine.findMany({
    where: { status: "RESTOCKED", ...(shopId ? { shopId } : {}) },
    select: { shopId: true, sku: true, hubId: true, restockedAt: true },
  });
  const byShop = new Map<string, { since: number; keys: Set<string>; skus: Set<string>; hubs: Set<string> }>();
  for (const l of restocked) {
    if (!l.sku || !l.hubId) continue;
    const entry = byShop.get(l.shopId) ?? { since: Infinity, keys: new Set<string>(), skus: new Set<string>(), hubs: new Set<string>() };
    entry.since = Math.min(entry.since, l.restockedAt?.getTime() ?? 0);
    entry.keys.add(`${l.hubId}|${l.sku}`);
    entry.skus.add(l.sku);
    entry.hubs.add(l.hubId);
    byShop.set(l.shopId, entry);
  }
  const recorded: ResaleRecorded[] = [];
  for (const [sid, { since, keys, skus, hubs }] of byShop) {
    // Lines shipped from a hub holding a restocked unit, of a SKU restocked somewhere, since the first restock.
    const lines = (
      await findInBatches(
        skus,
        (batch) =>
          db.routingShipmentLine.findMany({
            where: {
              shopId: sid,
              sku: { in: batch },
              shipment: { nodeId: { in: [...hubs] }, decision: { shopId: sid, createdAt: { gte: new Date(since) }, status: { notIn: ["FAILED", "UNROUTABLE"] } } },
            },
            select: { sku: true, quantity: true, shipment: { select: { id: true, nodeId: true, decision: { select: { orderGid: true, createdAt: true } } } } },
            orderBy: [{ shipment: { decision: { createdAt: "asc" } } }, { shipmentId: "asc" }, { position: "asc" }],
            take: RESALE_PAGE,
          }),
        { perValue: 1 },
      )
    ).filter((l) => l.shipment.nodeId && keys.has(`${l.shipment.nodeId}|${l.sku}`));
    // One resale per shipment, decisions oldest first.
    const shipments = new Map<string, { nodeId: string; orderGid: string; decidedAt: Date; lines: { sku: string; quantity: number }[] }>();
    for (const l of lines.sort((a, b) => a.shipment.decision.createdAt.getTime() - b.shipment.decision.createdAt.getTime())) {
      const s = shipments.get(l.shipment.id) ?? { nodeId: l.shipment.nodeId!, orderGid: l.shipment.decision.orderGid, decidedAt: l.shipment.decision.createdAt, lines: [] };
      s.lines.push({ sku: l.sku, quantity: l.quantity });
      shipments.set(l.shipment.id, s);
    }
    for (const shipment of shipments.values()) {
      await yieldToEventLoop(); // the returns job runs in the web process: one order at a time
      const order = await db.order.findFirst({ where: { shopId: sid, shopifyOrderId: shipment.orderGid }, include: { lines: { include: { product: { select: { sku: true } } } } } });
      const priced = await Promise.all(
        shipment.lines.map(async (l) => {
          const paid = order?.lines.find((ol) => (ol.sku ?? ol.product?.sku) === l.sku)?.priceMinor;
          const value = paid ?? (await db.product.findFirst({ where: { shopId: sid, sku: l.sku }, select: { valueMinor: true } }))?.valueMinor ?? 0;
          return { sku: l.sku, quantity: l.quantity, priceMinor: value };
        }),
      );
      const got = await recordResale({ id: sid }, { orderId: shipment.orderGid, placedAt: order?.placedAt ?? shipment.decidedAt, nodeId: shipment.nodeId, lines: priced });
      recorded.push(...got);
    }
  }
  return recorded;
}
