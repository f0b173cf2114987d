// Resale velocity: when an order sells a SKU that a return put back on a hub's shelf, the oldest
// such restocked unit (restocked before the order was placed) is closed as resold at the order's
// price, so receipt→resale is measured. Which hub sold it: the node the order was routed to or
// fulfilled from when the caller knows it (routing decision, fulfillment location), else the hub
// whose Shopify location the order names, else any hub holding a restocked unit of that SKU.
// recordResalesFromRouting reads the routing decisions (RoutingDecision.assignmentJson shipments:
// node + SKU) so an order routed to the hub closes the return without any other hook.
//
// Called inside the orders/create webhook's transaction (idempotent: the order's id is the key).
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";
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

const assignmentSchema = z.object({
  shipments: z
    .array(z.object({ nodeId: z.string(), lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() }).passthrough()) }).passthrough())
    .default([]),
});

/**
 * The routing decisions as the resale signal: every order routed to a node after a unit of the
 * same SKU was restocked there closes that return as resold (at the order's line price when the
 * order is stored, else the product's value). Run by the returns job; idempotent (per order and
 * line), so it can scan the same decisions again after a restart.
 */
export async function recordResalesFromRouting(shopId?: string): Promise<ResaleRecorded[]> {
  const restocked = await db.returnLine.findMany({
    where: { status: "RESTOCKED", ...(shopId ? { shopId } : {}) },
    select: { shopId: true, sku: true, hubId: true, restockedAt: true },
  });
  const byShop = new Map<string, { since: number; keys: Set<string> }>();
  for (const l of restocked) {
    if (!l.sku || !l.hubId) continue;
    const entry = byShop.get(l.shopId) ?? { since: Infinity, keys: new Set<string>() };
    entry.since = Math.min(entry.since, l.restockedAt?.getTime() ?? 0);
    entry.keys.add(`${l.hubId}|${l.sku}`);
    byShop.set(l.shopId, entry);
  }
  const recorded: ResaleRecorded[] = [];
  for (const [sid, { since, keys }] of byShop) {
    const decisions = await db.routingDecision.findMany({
      where: { shopId: sid, createdAt: { gte: new Date(since) }, status: { notIn: ["FAILED", "UNROUTABLE"] } },
      orderBy: { createdAt: "asc" },
      take: 500,
    });
    for (const d of decisions) {
      await yieldToEventLoop(); // the returns job runs in the web process: one order at a time
      const parsed = assignmentSchema.safeParse(JSON.parse(d.assignmentJson));
      if (!parsed.success) continue;
      const order = await db.order.findFirst({ where: { shopId: sid, shopifyOrderId: d.orderGid }, include: { lines: { include: { product: { select: { sku: true } } } } } });
      for (const shipment of parsed.data.shipments) {
        const lines = shipment.lines.filter((l) => keys.has(`${shipment.nodeId}|${l.sku}`));
        if (lines.length === 0) continue;
        const priced = await Promise.all(
          lines.map(async (l) => {
            const paid = order?.lines.find((ol) => ol.product.sku === l.sku)?.priceMinor;
            const value = paid ?? (await db.product.findFirst({ where: { shopId: sid, sku: l.sku }, select: { valueMinor: true } }))?.valueMinor ?? 0;
            return { sku: l.sku, quantity: l.quantity, priceMinor: value };
          }),
        );
        const got = await recordResale({ id: sid }, { orderId: d.orderGid, placedAt: order?.placedAt ?? d.createdAt, nodeId: shipment.nodeId, lines: priced });
        recorded.push(...got);
      }
    }
  }
  return recorded;
}
