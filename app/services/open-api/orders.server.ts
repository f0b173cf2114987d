// Open API v1: GET /orders, the shop's order history as Nearhub keeps it (issue 11 item 7), so other
// platforms and the what-if simulator read the same orders the app does: lines, where the order went
// (an H3 cell and postal code, never a street or coordinates), what Nearhub decided for it (planned
// shipments) and what happened (Shopify's fulfilments, when each left its node and was delivered).
import type { Prisma, Shop } from "@prisma/client";
import { latLngToCell } from "h3-js";
import { z } from "zod";
import { db } from "~/db.server";
import { issueSummary } from "~/core/validation/issues";
import { gid } from "../shopify-admin.server";
import { apiRegistry, paginationQuerySchema } from "./schemas";
import { apiError } from "./v1.server";

const money = z.object({ amountMinor: z.number().int(), currency: z.string().length(3) });
const ts = z.string().nullable();
const isoDateTime = (what: string) => z.iso.datetime({ offset: true, error: `${what}: an ISO 8601 date-time such as 2026-11-01T00:00:00Z` });

/** Cells of this resolution unless the caller asks for another (the Insights page's default grid, ~36 km²). */
export const DEFAULT_CELL_RESOLUTION = 6;

export const orderListQuerySchema = paginationQuerySchema
  .extend({
    createdFrom: isoDateTime("createdFrom").optional().describe("Orders placed at or after this time"),
    createdTo: isoDateTime("createdTo").optional().describe("Orders placed before this time"),
    nodeId: z.string().trim().min(1).max(64).optional().describe("Only orders fulfilled (or planned by Nearhub) from this node"),
    cellResolution: z.coerce
      .number({ error: "cellResolution must be a whole number" })
      .int("cellResolution must be a whole number")
      .min(3, "cellResolution must be at least 3")
      .max(9, "cellResolution must be at most 9 (finer cells would locate a street)")
      .default(DEFAULT_CELL_RESOLUTION)
      .describe("H3 resolution of destination.cell"),
  })
  .refine((q) => !q.createdFrom || !q.createdTo || Date.parse(q.createdFrom) < Date.parse(q.createdTo), {
    message: "createdFrom must be before createdTo",
    path: ["createdFrom"],
  });

export const apiOrderSchema = z
  .object({
    id: z.string(),
    shopifyOrderId: z.string().nullable(),
    name: z.string(),
    placedAt: z.string(),
    total: money,
    destination: z.object({
      cell: z.string().nullable().describe("H3 cell index of the destination at cellResolution; null when Shopify had no coordinates"),
      cellResolution: z.number().int(),
      postalCode: z.string().nullable(),
      province: z.string().nullable(),
      country: z.string().nullable(),
    }),
    nodeId: z.string().nullable().describe("The node that fulfils the order, when known"),
    cancelledAt: ts,
    shippingCode: z.string().nullable().describe("The shipping line the shopper chose: a Nearhub rate's service code (NH:…) or another carrier's"),
    lines: z.array(z.object({ sku: z.string().nullable(), known: z.boolean().describe("Whether Nearhub knows the SKU's product"), quantity: z.number().int(), unitPrice: money })),
    routing: z
      .object({
        decisionId: z.string(),
        status: z.string().describe("SUGGESTED | MOVING | MOVED | PARTIAL | FAILED | UNROUTABLE | KEPT"),
        decidedAt: z.string(),
        shipments: z.array(
          z.object({
            nodeId: z.string().nullable(),
            nodeName: z.string(),
            service: z.string(),
            serviceCode: z.string(),
            landedCost: money.describe("Forward cost plus the expected cost of its returns"),
            promisedBy: ts,
            keepsPromise: z.boolean(),
            lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
          }),
        ),
      })
      .nullable()
      .describe("Nearhub's routing decision for the order; null: Nearhub did not route it"),
    shipments: z
      .array(
        z.object({
          id: z.string(),
          nodeId: z.string().nullable(),
          status: z.string().describe("Shopify's fulfilment status: SUCCESS | PENDING | OPEN | CANCELLED | ERROR | FAILURE"),
          deliveryStatus: z.string().nullable().describe("The latest delivery event: IN_TRANSIT | OUT_FOR_DELIVERY | DELIVERED | …"),
          carrier: z.string().nullable(),
          shippedAt: z.string(),
          deliveredAt: ts,
        }),
      )
      .describe("Shopify's fulfilments of the order"),
    deliveredAt: ts.describe("When the last fulfilment was delivered; null while any is not (or nobody reported it)"),
  })
  .register(apiRegistry, { id: "Order" });

export const orderListSchema = z
  .object({ data: z.array(apiOrderSchema), pagination: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }) })
  .register(apiRegistry, { id: "OrderList" });

export type ApiOrder = z.infer<typeof apiOrderSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const orderGid = (shopifyOrderId: string) => gid("Order", shopifyOrderId);

export async function listApiOrders(shop: Shop, request: Request) {
  const parsed = orderListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  const q = parsed.data;
  const where: Prisma.OrderWhereInput = {
    shopId: shop.id,
    ...(q.createdFrom || q.createdTo
      ? { placedAt: { ...(q.createdFrom ? { gte: new Date(q.createdFrom) } : {}), ...(q.createdTo ? { lt: new Date(q.createdTo) } : {}) } }
      : {}),
    ...(q.nodeId ? { OR: [{ nodeId: q.nodeId }, { fulfillments: { some: { nodeId: q.nodeId } } }] } : {}),
    ...(q.cursor ? { id: { gt: q.cursor } } : {}),
  };
  const rows = await db.order.findMany({
    where,
    orderBy: { id: "asc" },
    take: q.limit + 1,
    include: {
      lines: { orderBy: { id: "asc" }, include: { product: { select: { sku: true } } } },
      fulfillments: { orderBy: { shippedAt: "asc" } },
    },
  });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;

  // Nearhub's decisions for the page's orders, by the order's Shopify id (one query, not one per order).
  const gids = page.flatMap((o) => (o.shopifyOrderId ? [orderGid(o.shopifyOrderId)] : []));
  const decisions = gids.length
    ? await db.routingDecision.findMany({
        where: { shopId: shop.id, orderGid: { in: gids } },
        include: { shipments: { orderBy: { position: "asc" }, include: { lines: { orderBy: { position: "asc" } } } } },
      })
    : [];
  const decisionOf = new Map(decisions.map((d) => [d.orderGid, d]));

  const data = page.map((o): ApiOrder => {
    const decision = o.shopifyOrderId ? decisionOf.get(orderGid(o.shopifyOrderId)) : undefined;
    const live = o.fulfillments.filter((f) => f.status !== "CANCELLED" && f.status !== "ERROR" && f.status !== "FAILURE");
    const delivered = live.length > 0 && live.every((f) => f.deliveredAt) ? Math.max(...live.map((f) => f.deliveredAt!.getTime())) : null;
    return {
      id: o.id,
      shopifyOrderId: o.shopifyOrderId,
      name: o.name,
      placedAt: o.placedAt.toISOString(),
      total: { amountMinor: o.totalMinor, currency: o.currency },
      destination: {
        cell: o.destLatitude !== null && o.destLongitude !== null ? latLngToCell(o.destLatitude, o.destLongitude, q.cellResolution) : null,
        cellResolution: q.cellResolution,
        postalCode: o.destPostalCode,
        province: o.destProvince,
        country: o.destCountry,
      },
      nodeId: o.nodeId,
      cancelledAt: iso(o.cancelledAt),
      shippingCode: o.shippingCode,
      lines: o.lines.map((l) => ({ sku: l.sku ?? l.product?.sku ?? null, known: l.productId !== null, quantity: l.quantity, unitPrice: { amountMinor: l.priceMinor, currency: o.currency } })),
      routing: decision
        ? {
            decisionId: decision.id,
            status: decision.status,
            decidedAt: decision.createdAt.toISOString(),
            shipments: decision.shipments.map((s) => ({
              nodeId: s.nodeId,
              nodeName: s.nodeName,
              service: s.service,
              serviceCode: s.serviceCode,
              landedCost: { amountMinor: s.totalMinor, currency: s.currency },
              promisedBy: iso(s.promisedBy),
              keepsPromise: s.keepsPromise,
              lines: s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
            })),
          }
        : null,
      shipments: o.fulfillments.map((f) => ({
        id: f.id,
        nodeId: f.nodeId,
        status: f.status,
        deliveryStatus: f.shipmentStatus,
        carrier: f.courierProvider ?? f.trackingCompany,
        shippedAt: f.shippedAt.toISOString(),
        deliveredAt: iso(f.deliveredAt),
      })),
      deliveredAt: delivered === null ? null : new Date(delivered).toISOString(),
    };
  });
  return { data, pagination: { limit: q.limit, nextCursor: more ? page[page.length - 1].id : null } };
}
