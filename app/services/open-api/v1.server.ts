// Open API v1: authentication, pagination and the read models behind /api/v1/*.
import type { Shop } from "@prisma/client";
import { databaseProblem, db, isDatabaseUnavailable } from "~/db.server";
import { authenticateApiKey } from "~/services/api-keys.server";
import { toNetworkNode } from "~/services/network.server";
import { issueSummary } from "~/core/validation/issues";
import { paginationQuerySchema, type ApiNode, type ApiProduct } from "./schemas";
import { logger } from "../logger.server";
import { clientAddress, enforceRateLimit } from "../rate-limit.server";

/** What a client is asked to wait while the database is away: the health probe's interval and a reconnect. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * Every /api/v1 loader and action: a database that cannot be reached (stopped, unreachable, its file
 * gone, locked past the write's wait) is a 503 with Retry-After and the reason, at once, never a 500
 * or a hang (issue 17 item 2). Refusals thrown as Responses (400, 401, 404, 429) pass as they are.
 */
export function openApiRoute<A>(handler: (args: A) => Promise<Response>): (args: A) => Promise<Response> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (thrown) {
      if (thrown instanceof Response || !isDatabaseUnavailable(thrown)) throw thrown;
      const problem = databaseProblem(thrown);
      logger.warn({ problem }, "open API: the database is unavailable; answered 503");
      return Response.json(
        { error: `Nearhub's database cannot be reached right now (${problem}), so the request was not carried out. Try again in ${UNAVAILABLE_RETRY_AFTER_S} s.` },
        { status: 503, headers: { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_S), "Cache-Control": "no-store" } },
      );
    }
  };
}

export function apiError(status: number, message: string): Response {
  return Response.json({ error: message }, { status, headers: status === 401 ? { "WWW-Authenticate": "Bearer" } : {} });
}

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
