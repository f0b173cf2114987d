// The nightly reconciliation (ADR 0025): for every installed shop whose history was imported, the
// orders Shopify updated since the last run (Admin GraphQL `orders(query: "updated_at:>=…")`, paged,
// oldest change first) are stored again through the one writer (store.server.ts: order-safe by
// updated_at, so what a webhook already brought stays), with their fulfillments, which repairs
// orders, cancellations and deliveries whose webhooks never arrived. An order of more than 100 lines
// has the rest of its lines read page by page (NearhubOrderLines) before it is stored: an order is
// never stored with part of its lines. A shop's failure is logged and the others go on; the run
// fails (retried by the engine) when any shop failed.
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { db } from "~/db.server";
import { defineJob } from "../jobs/index.server";
import { logger } from "../logger.server";
import { adminQuery, offlineAdmin, type AdminGraphql } from "../shopify-admin.server";
import { graphqlOrderSchema, LINE_ITEM_FIELDS, ORDER_FIELDS, orderFromGraphql, SHIPPING_LINE_FIELDS } from "./map.server";
import { storeOrder } from "./store.server";

/** Read again from a little before the last run: a change Shopify stamped just before it is not missed. */
const OVERLAP_MS = 60 * 60_000;

// 8 orders × (1 + 100 lines + 5 shipping lines + 3 for the journey summary, its last visit and its UTM
// parameters + their fulfillments) stays under the 1,000-point ceiling of one query.
export const RECONCILE_QUERY = `#graphql
  query NearhubOrdersReconcile($query: String!, $after: String) {
    orders(first: 8, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        ${ORDER_FIELDS}
        lineItems(first: 100) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }
        shippingLines(first: 5) { nodes { ${SHIPPING_LINE_FIELDS} } }
      }
    }
  }`;

/** The lines of one order after the first 100, 250 a page. */
export const ORDER_LINES_QUERY = `#graphql
  query NearhubOrderLines($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 250, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }
    }
  }`;

const connectionSchema = z.object({
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
  nodes: z.array(z.unknown()),
});
const linesPageSchema = z.object({ order: z.object({ lineItems: connectionSchema }).nullable() });
const pagedOrderSchema = z.object({ id: z.string(), lineItems: connectionSchema }).loose();

/** The order with every one of its lines: the pages after the first read from Shopify. */
async function withAllLines(admin: AdminGraphql, node: unknown): Promise<unknown> {
  const paged = pagedOrderSchema.safeParse(node);
  if (!paged.success || !paged.data.lineItems.pageInfo.hasNextPage) return node;
  const lines = [...paged.data.lineItems.nodes];
  let after = paged.data.lineItems.pageInfo.endCursor ?? null;
  while (after) {
    const page: z.output<typeof linesPageSchema> = await adminQuery(admin, ORDER_LINES_QUERY, { id: paged.data.id, after }, linesPageSchema);
    if (!page.order) break; // deleted meanwhile: stored with what was read, the next run finds it gone
    lines.push(...page.order.lineItems.nodes);
    after = page.order.lineItems.pageInfo.hasNextPage ? (page.order.lineItems.pageInfo.endCursor ?? null) : null;
  }
  return { ...paged.data, lineItems: { nodes: lines } };
}

const pageSchema = z.object({
  orders: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
    nodes: z.array(z.unknown()),
  }),
});

export interface ReconcileResult {
  orders: number;
  stored: number;
  skipped: number;
}

/** One shop: every order updated since `since`, stored; returns what it read. */
export async function reconcileShop(shopId: string, admin: AdminGraphql, since: Date): Promise<ReconcileResult> {
  const result: ReconcileResult = { orders: 0, stored: 0, skipped: 0 };
  const query = `updated_at:>='${since.toISOString()}'`;
  let after: string | null = null;
  do {
    const page: z.output<typeof pageSchema> = await adminQuery(admin, RECONCILE_QUERY, { query, after }, pageSchema);
    // Read before the transaction: no Shopify call waits inside one.
    const nodes: unknown[] = [];
    for (const node of page.orders.nodes) nodes.push(await withAllLines(admin, node));
    await db.$transaction(async (tx) => {
      for (const node of nodes) {
        result.orders++;
        const parsed = graphqlOrderSchema.safeParse(node);
        if (!parsed.success) {
          result.skipped++;
          continue;
        }
        const stored = await storeOrder(tx, shopId, orderFromGraphql(parsed.data));
        if (stored.outcome === "created" || stored.outcome === "updated") result.stored++;
      }
    });
    after = page.orders.pageInfo.hasNextPage ? (page.orders.pageInfo.endCursor ?? null) : null;
  } while (after);
  return result;
}

export const ordersReconcileJob = defineJob<Record<string, never>>({
  name: "orders.reconcile",
  switch: "orders",
  schedule: "30 3 * * *",
  retries: 2,
  backoff: { type: "exponential", delayMs: 10 * 60_000, maxMs: 60 * 60_000 },
  timeout: 60 * 60_000,
  run: async (_payload, ctx) => {
    const syncs = await db.orderSync.findMany({ where: { status: "completed", shop: { uninstalledAt: null } }, select: { shopId: true, reconciledAt: true, finishedAt: true, shop: { select: { domain: true } } } });
    const failed: string[] = [];
    let stored = 0;
    for (const s of syncs) {
      const startedAt = new Date(ctx.now());
      const since = new Date((s.reconciledAt ?? s.finishedAt ?? startedAt).getTime() - OVERLAP_MS);
      try {
        const admin = await offlineAdmin(s.shop.domain);
        const r = await reconcileShop(s.shopId, admin, since);
        stored += r.stored;
        await db.orderSync.updateMany({ where: { shopId: s.shopId }, data: { reconciledAt: startedAt } });
        logger.info({ shop: s.shop.domain, ...r }, "orders reconcile: done");
      } catch (error) {
        if (error instanceof SessionNotFoundError) continue;
        failed.push(s.shop.domain);
        logger.error({ shop: s.shop.domain, err: (error as Error).message }, "orders reconcile: failed for a shop");
      }
    }
    if (failed.length) throw new Error(`The reconciliation failed for ${failed.length} of ${syncs.length} shops`);
    return { shops: syncs.length, stored };
  },
});
