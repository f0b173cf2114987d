// Open API v1: authentication, pagination and the read models behind /api/v1/*.
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { authenticateApiKey } from "~/services/api-keys.server";
import { toNetworkNode } from "~/services/network.server";
import { issueSummary } from "~/core/validation/issues";
import { paginationQuerySchema, type ApiNode, type ApiProduct } from "./schemas";
import { clientAddress, enforceRateLimit } from "../rate-limit.server";

export function apiError(status: number, message: string): Response {
  return Response.json({ error: message }, { status, headers: status === 401 ? { "WWW-Authenticate": "Bearer" } : {} });
}

/** The shop behind the request's API key; throws a 401 Response otherwise. */
/** The shop of the request's API key; 401 without a valid one, 429 over a rate limit (rate-limit.server.ts). */
export async function requireApiShop(request: Request): Promise<Shop> {
  await enforceRateLimit("apiAddress", clientAddress(request));
  const result = await authenticateApiKey(request.headers.get("authorization"));
  if (!result) throw apiError(401, "A valid API key is required: Authorization: Bearer <key>");
  await enforceRateLimit("apiKey", result.keyId);
  return result.shop;
}

export function parsePagination(request: Request) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = paginationQuerySchema.safeParse(params);
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  return parsed.data;
}

function page<T extends { id: string }>(rows: T[], limit: number) {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return { data, pagination: { limit, nextCursor: more ? data[data.length - 1].id : null } };
}

/** Keyset pagination by id: stable while rows are added, cheap at any depth. */
function keyset(cursor: string | undefined) {
  return cursor ? { id: { gt: cursor } } : {};
}

export async function listApiNodes(shop: Shop, query: { limit: number; cursor?: string }) {
  const rows = await db.node.findMany({
    where: { shopId: shop.id, ...keyset(query.cursor) },
    orderBy: { id: "asc" },
    take: query.limit + 1,
  });
  const { data, pagination } = page(rows, query.limit);
  return {
    data: data.map((row): ApiNode => {
      const n = toNetworkNode(row);
      return {
        id: n.id,
        handle: n.handle,
        name: n.name,
        kind: n.kind,
        status: n.status,
        address: {
          address1: row.address1,
          city: row.city,
          province: row.province,
          postalCode: row.postalCode,
          country: row.country,
        },
        location: { latitude: n.latitude, longitude: n.longitude },
        timezone: n.timezone,
        shopifyLocationId: n.shopifyLocationId,
        serviceArea: n.serviceArea,
        openingHours: n.openingHours,
        sameDayCutoff: n.sameDayCutoff,
        dailyCapacity: n.dailyCapacity,
        handlingCost: { amountMinor: n.handlingCostMinor, currency: shop.currency },
        pickupCost: { amountMinor: n.pickupCostMinor, currency: shop.currency },
      };
    }),
    pagination,
  };
}

export async function listApiProducts(shop: Shop, query: { limit: number; cursor?: string }) {
  const rows = await db.product.findMany({
    where: { shopId: shop.id, ...keyset(query.cursor) },
    orderBy: { id: "asc" },
    take: query.limit + 1,
    include: {
      stockLevels: {
        where: { shopId: shop.id },
        select: { available: true, node: { select: { id: true, handle: true } } },
        orderBy: { node: { handle: "asc" } },
      },
    },
  });
  const { data, pagination } = page(rows, query.limit);
  return {
    data: data.map(
      (p): ApiProduct => ({
        id: p.id,
        sku: p.sku,
        title: p.title,
        sellerId: p.sellerId,
        category: p.category,
        weightGrams: p.weightGrams,
        dimensionsMm: { length: p.lengthMm, width: p.widthMm, height: p.heightMm },
        value: { amountMinor: p.valueMinor, currency: shop.currency },
        returnRateBps: p.returnRateBps,
        madeToOrder: p.madeToOrder,
        stock: p.stockLevels.map((s) => ({ nodeId: s.node.id, nodeHandle: s.node.handle, available: s.available })),
      }),
    ),
    pagination,
  };
}
