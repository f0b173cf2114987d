// The shop's order history from Shopify (issue 11, item 1; ADR 0025), on the job engine (ADR 0022):
//
//   orders.import {step: "start"}     runs bulkOperationRunQuery (the last 12 months of orders with
//                                     their lines, shipping address, shipping lines and fulfillments)
//                                     and records it in the shop's OrderSync row; queues a check.
//   bulk_operations/finish webhook    queues {step: "collect"} for the operation at once;
//   orders.import {step: "collect"}   asks Shopify for the operation: still running → its progress
//                                     is recorded and a check comes again in 30 s; COMPLETED → the JSONL
//                                     file is downloaded and imported streaming, a batch of orders per
//                                     transaction; FAILED / EXPIRED / CANCELED → Shopify's answer is
//                                     recorded for the Activity and Insights pages and a new operation is
//                                     started later (up to 3 per sync).
//
// Resuming: each batch's transaction also moves OrderSync.linesRead to the first line after the
// batch, so an attempt that dies half-way is retried by the engine from there; and every write is an
// upsert by the Shopify id, order-safe by updated_at (store.server.ts), so nothing is duplicated
// either way. The check queued by "start" and the one the webhook queues may both find the operation
// COMPLETED: the first to claim it (importJobId) imports, the other stops, and the claimant's own
// retry resumes. A redaction during the import waits for the batch in flight (both touch the
// OrderSync row first) and the next batches skip what it redacted.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { db } from "~/db.server";
import { issueSummary } from "~/core/validation/issues";
import { currencyDigits } from "~/core/money/money";
import { priceToMinor } from "../carrier-rates.server";
import { defineJob, enqueue, type JobContext } from "../jobs/index.server";
import { logger } from "../logger.server";
import { adminMutation, adminQuery, describeShopifyFailure, offlineAdmin, ShopifyUserErrors, type AdminGraphql } from "../shopify-admin.server";
import { handleWebhook, type Tx } from "../webhooks.server";
import { graphqlLineItemSchema, graphqlOrderSchema, graphqlShippingLineSchema, LINE_ITEM_FIELDS, ORDER_FIELDS, orderFromGraphql, SHIPPING_LINE_FIELDS } from "./map.server";
import { productsBySku, storeOrder } from "./store.server";

export const HISTORY_DAYS = 365;
/** Orders per transaction of the import. */
export const IMPORT_BATCH = 250;
/** Bulk operations one sync starts before it gives up until the merchant asks again. */
export const MAX_OPERATIONS = 3;
const POLL_MS = 30_000;
const DAY_MS = 86_400_000;

export type OrderSyncStatus = "queued" | "running" | "importing" | "completed" | "failed";

/** The bulk query: every order created since `since`, with what map.server.ts reads. */
export function bulkOrdersQuery(since: Date): string {
  return `{
  orders(query: "created_at:>='${since.toISOString()}'") {
    edges {
      node {
        ${ORDER_FIELDS}
        lineItems { edges { node { ${LINE_ITEM_FIELDS} } } }
        shippingLines { edges { node { ${SHIPPING_LINE_FIELDS} } } }
      }
    }
  }
}`;
}

export const BULK_RUN = `#graphql
  mutation NearhubOrdersBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }`;

export const BULK_STATUS = `#graphql
  query NearhubOrdersBulkStatus($id: ID!) {
    node(id: $id) {
      ... on BulkOperation { id status errorCode objectCount url partialDataUrl createdAt completedAt }
    }
  }`;

const runPayload = z.object({
  bulkOperation: z.object({ id: z.string(), status: z.string() }).nullish(),
  userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string(), code: z.string().nullish() })),
});
const count = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);
const statusSchema = z.object({
  node: z
    .object({
      id: z.string(),
      status: z.string(),
      errorCode: z.string().nullish(),
      objectCount: count,
      url: z.string().nullish(),
      partialDataUrl: z.string().nullish(),
    })
    .nullable(),
});

/** What a failed bulk operation means, in the merchant's words (Shopify gives a code, no sentence). */
const FAILURE_WORDS: Record<string, string> = {
  ACCESS_DENIED: "Shopify refused to hand over the orders: the app has not been granted access to orders and their customer data",
  INTERNAL_SERVER_ERROR: "Shopify ran into an error of its own while gathering the orders",
  TIMEOUT: "Shopify took too long gathering the orders",
  EXPIRED: "the file of orders Shopify prepared expired before Nearhub read it",
  CANCELED: "the export of orders was cancelled in Shopify",
  CANCELLED: "the export of orders was cancelled in Shopify",
};

type ImportPayload = { shopId: string; step: "start" } | { shopId: string; step: "collect"; bulkOperationId: string };

export const ordersImportJob = defineJob<ImportPayload>({
  name: "orders.import",
  switch: "orders",
  retries: 5,
  backoff: { type: "exponential", delayMs: 30_000, maxMs: 15 * 60_000 },
  timeout: 30 * 60_000,
  run: async (payload, ctx) => {
    const shop = await db.shop.findUnique({ where: { id: payload.shopId }, select: { id: true, domain: true, uninstalledAt: true } });
    if (!shop || shop.uninstalledAt) return { imported: false, why: "the shop is not installed" };
    let admin: AdminGraphql;
    try {
      admin = await offlineAdmin(shop.domain);
    } catch (error) {
      if (error instanceof SessionNotFoundError) return { imported: false, why: "no offline session" };
      throw error;
    }
    return payload.step === "start" ? startImport(shop.id, admin, ctx) : collectImport(shop.id, admin, payload.bulkOperationId, ctx);
  },
});

/** Queues the shop's order history import (after install, and from the Insights page). False when one is waiting already. */
export async function queueOrderImport(shopId: string, tx: Tx | typeof db = db): Promise<boolean> {
  await tx.orderSync.upsert({
    where: { shopId },
    create: { shopId, status: "queued" },
    update: { status: "queued", error: null, errorCode: null, attempts: 0 },
  });
  return enqueue(tx, ordersImportJob, { shopId, step: "start" }, { key: `${shopId}:start` });
}

/** Whether a sync is under way (queued, or Shopify or Nearhub still at it). */
export function syncBusy(status: string | null | undefined): boolean {
  return status === "queued" || status === "running" || status === "importing";
}

async function startImport(shopId: string, admin: AdminGraphql, ctx: JobContext) {
  const now = new Date(ctx.now());
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const before = await db.orderSync.findUnique({ where: { shopId } });
  let op: { id: string; status: string };
  try {
    const answer = await adminMutation(admin, BULK_RUN, { query: bulkOrdersQuery(since) }, "bulkOperationRunQuery", runPayload);
    if (!answer.bulkOperation) throw new Error("Shopify started no bulk operation and said nothing about it");
    op = answer.bulkOperation;
  } catch (error) {
    // Recorded for the merchant (Shopify's own message), then the engine tries again with its backoff.
    const code = error instanceof ShopifyUserErrors ? (error.userErrors[0]?.code ?? null) : null;
    await db.orderSync.upsert({
      where: { shopId },
      create: { shopId, status: "failed", errorCode: code, error: describeShopifyFailure(error) },
      update: { status: "failed", errorCode: code, error: describeShopifyFailure(error) },
    });
    throw error;
  }
  const fresh = { bulkOperationId: op.id, bulkStatus: op.status, since, startedAt: now, finishedAt: null, objectCount: 0, linesRead: 0, ordersImported: 0, unknownSkus: 0, importJobId: null, error: null, errorCode: null };
  await db.$transaction(async (tx) => {
    await tx.orderSync.upsert({
      where: { shopId },
      create: { shopId, status: "running", attempts: 1, ...fresh },
      update: { status: "running", attempts: (before?.attempts ?? 0) + 1, ...fresh },
    });
    // A check in case the bulk_operations/finish webhook does not come (it brings the import forward when it does).
    await enqueue(tx, ordersImportJob, { shopId, step: "collect", bulkOperationId: op.id }, { key: `${shopId}:poll`, delayMs: POLL_MS });
  });
  logger.info({ shopId, bulkOperationId: op.id }, "orders import: bulk operation started");
  return { started: op.id };
}

async function collectImport(shopId: string, admin: AdminGraphql, bulkOperationId: string, ctx: JobContext) {
  const sync = await db.orderSync.findUnique({ where: { shopId } });
  if (!sync || sync.bulkOperationId !== bulkOperationId) return { imported: false, why: "not the shop's current operation" };
  if (sync.status === "completed") return { imported: false, why: "imported already" };
  if (sync.status === "failed" && sync.bulkStatus && !["CREATED", "RUNNING", "COMPLETED"].includes(sync.bulkStatus)) return { imported: false, why: "its failure is recorded already" };
  if (sync.status === "importing" && sync.importJobId !== ctx.jobId) return { imported: false, why: "another job imports it" };

  const { node } = await adminQuery(admin, BULK_STATUS, { id: bulkOperationId }, statusSchema);
  if (!node) throw new Error(`Shopify does not know the bulk operation ${bulkOperationId}`);
  const status = node.status.toUpperCase();
  if (status === "CREATED" || status === "RUNNING" || status === "CANCELING") {
    await db.$transaction(async (tx) => {
      await tx.orderSync.updateMany({ where: { shopId, bulkOperationId }, data: { bulkStatus: status, objectCount: node.objectCount } });
      await enqueue(tx, ordersImportJob, { shopId, step: "collect", bulkOperationId }, { key: `${shopId}:poll`, delayMs: POLL_MS });
    });
    return { imported: false, why: `Shopify's operation is ${status}`, objectCount: node.objectCount };
  }
  if (status !== "COMPLETED") return failedOperation(shopId, sync.attempts, bulkOperationId, status, node.errorCode ?? null);

  const claimed = await db.orderSync.updateMany({
    where: { shopId, bulkOperationId, OR: [{ status: { in: ["running", "failed"] } }, { status: "importing", importJobId: ctx.jobId }] },
    data: { status: "importing", importJobId: ctx.jobId, bulkStatus: status, objectCount: node.objectCount, error: null, errorCode: null },
  });
  if (claimed.count === 0) return { imported: false, why: "another job imports it" };
  const resumeAt = sync.importJobId === ctx.jobId ? sync.linesRead : 0;
  const result = node.url ? await importJsonl(shopId, node.url, { jobId: ctx.jobId, resumeAt, signal: ctx.signal }) : { orders: 0, lines: 0, unknownSkus: 0, skipped: 0 };
  if (result === null) return { imported: false, why: "the sync was replaced or the shop redacted during the import" };
  await db.orderSync.updateMany({
    where: { shopId, bulkOperationId, importJobId: ctx.jobId },
    // Orders changed since the operation started are read by the next reconciliation.
    data: { status: "completed", finishedAt: new Date(ctx.now()), reconciledAt: sync.startedAt ?? new Date(ctx.now()) },
  });
  logger.info({ shopId, bulkOperationId, ...result }, "orders import: done");
  return { imported: true, ...result };
}

async function failedOperation(shopId: string, attempts: number, bulkOperationId: string, status: string, errorCode: string | null) {
  const why = FAILURE_WORDS[errorCode ?? ""] ?? FAILURE_WORDS[status] ?? "Shopify stopped gathering the orders";
  const again = attempts < MAX_OPERATIONS;
  const message = `${why}. ${again ? "Nearhub asks Shopify again in a few minutes." : "Nearhub stopped trying: start the import again from the Insights page."}`;
  await db.$transaction(async (tx) => {
    await tx.orderSync.updateMany({ where: { shopId, bulkOperationId }, data: { status: "failed", bulkStatus: status, errorCode: errorCode ?? status, error: message } });
    if (again) await enqueue(tx, ordersImportJob, { shopId, step: "start" }, { key: `${shopId}:start`, delayMs: 5 * 60_000 * attempts });
  });
  logger.warn({ shopId, bulkOperationId, status, errorCode }, "orders import: Shopify's bulk operation failed");
  return { imported: false, why: message };
}

// ---------------------------------------------------------------------------------------------
// The JSONL file: one object per line, each order followed by its child objects (line items and
// shipping lines) naming it in `__parentId` (shopify.dev, bulk operations).

type Raw = Record<string, unknown>;
interface Pending {
  order: Raw & { lineItems: { nodes: Raw[] }; shippingLines: { nodes: Raw[] } };
}

export interface ImportResult {
  orders: number;
  lines: number;
  unknownSkus: number;
  /** Lines that were not an order or child Nearhub could read (logged). */
  skipped: number;
}

const kindOf = (obj: Raw): "LineItem" | "ShippingLine" | null => {
  const id = typeof obj.id === "string" ? obj.id : "";
  if (id.includes("/LineItem/") || "quantity" in obj) return "LineItem";
  if (id.includes("/ShippingLine/") || "code" in obj || "title" in obj) return "ShippingLine";
  return null;
};

/**
 * Imports a bulk operation's JSONL, streaming: a batch of orders per transaction, each batch moving
 * OrderSync.linesRead forward in that transaction (guarded by the importing job, so a replaced sync
 * stops: null). Lines before `resumeAt` were imported by an earlier attempt.
 */
export async function importJsonl(shopId: string, url: string, opts: { jobId: string; resumeAt: number; signal?: AbortSignal; batchSize?: number }): Promise<ImportResult | null> {
  const res = await fetch(url, { signal: opts.signal });
  if (!res.ok || !res.body) throw new Error(`Could not download the orders file from Shopify (HTTP ${res.status})`);
  const lines = createInterface({ input: Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), crlfDelay: Infinity });
  const size = opts.batchSize ?? IMPORT_BATCH;
  const result: ImportResult = { orders: 0, lines: 0, unknownSkus: 0, skipped: 0 };
  let batch = new Map<string, Pending>();
  let late: Raw[] = [];
  let lineNo = 0;
  for await (const text of lines) {
    const at = lineNo++;
    if (at < opts.resumeAt || !text.trim()) continue;
    let obj: Raw;
    try {
      obj = JSON.parse(text) as Raw;
    } catch {
      result.skipped++;
      logger.warn({ shopId, line: at + 1 }, "orders import: a line of the file is not JSON, skipped");
      continue;
    }
    const parent = typeof obj.__parentId === "string" ? obj.__parentId : null;
    if (!parent) {
      if (batch.size >= size) {
        if (!(await flush(shopId, batch, late, at, opts.jobId, result))) return null;
        batch = new Map();
        late = [];
      }
      batch.set(String(obj.id), { order: { ...obj, lineItems: { nodes: [] }, shippingLines: { nodes: [] } } });
      continue;
    }
    const pending = batch.get(parent);
    const kind = kindOf(obj);
    if (pending && kind === "LineItem") pending.order.lineItems.nodes.push(obj);
    else if (pending && kind === "ShippingLine") pending.order.shippingLines.nodes.push(obj);
    else if (kind) late.push(obj);
    else result.skipped++;
  }
  if (!(await flush(shopId, batch, late, lineNo, opts.jobId, result))) return null;
  return result;
}

/** One batch in one transaction; false when the sync is no longer this job's. */
async function flush(shopId: string, batch: Map<string, Pending>, late: Raw[], linesRead: number, jobId: string, result: ImportResult): Promise<boolean> {
  return db.$transaction(
    async (tx) => {
      // First: holds the sync row (a redaction waits for this batch) and checks the import is still ours.
      const mine = await tx.orderSync.updateMany({ where: { shopId, status: "importing", importJobId: jobId }, data: { linesRead } });
      if (mine.count === 0) return false;
      const parsed = [...batch.values()].flatMap(({ order }) => {
        const p = graphqlOrderSchema.safeParse(order);
        if (p.success) return [p.data];
        result.skipped++;
        logger.warn({ shopId, order: order.id, problem: issueSummary(p.error) }, "orders import: an order Nearhub could not read, skipped");
        return [];
      });
      const inputs = parsed.map(orderFromGraphql);
      const products = await productsBySku(tx, shopId, inputs.flatMap((o) => o.lines.map((l) => l.sku)));
      let imported = 0;
      let unknown = 0;
      for (const input of inputs) {
        const stored = await storeOrder(tx, shopId, input, { products });
        if (stored.outcome === "created" || stored.outcome === "updated") {
          imported++;
          unknown += stored.unknownSkus;
          result.lines += input.lines.length;
        }
      }
      for (const child of late) unknown += await storeLateChild(tx, shopId, child, products);
      await tx.orderSync.updateMany({ where: { shopId, importJobId: jobId }, data: { ordersImported: { increment: imported }, unknownSkus: { increment: unknown } } });
      result.orders += imported;
      result.unknownSkus += unknown;
      return true;
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}

/** A child line whose order was in an earlier batch (Shopify lists children after their parent, not always right after). */
async function storeLateChild(tx: Tx, shopId: string, child: Raw, products: Map<string, string>): Promise<number> {
  const order = await tx.order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: String(child.__parentId) } }, select: { id: true, shippingCode: true, currency: true } });
  if (!order) return 0; // redacted, or an order Nearhub could not read
  if (kindOf(child) === "ShippingLine") {
    const s = graphqlShippingLineSchema.safeParse(child);
    if (s.success && !order.shippingCode && s.data.code) await tx.order.update({ where: { id: order.id }, data: { shippingCode: s.data.code, shippingTitle: s.data.title ?? null } });
    return 0;
  }
  const l = graphqlLineItemSchema.safeParse(child);
  if (!l.success) return 0;
  const mapped = { gid: l.data.id, sku: l.data.sku?.trim() || null, quantity: l.data.quantity, priceMinor: priceToMinor(String(l.data.originalUnitPriceSet.shopMoney.amount), currencyDigits(order.currency)) };
  const productId = mapped.sku ? (products.get(mapped.sku) ?? (await productsBySku(tx, shopId, [mapped.sku])).get(mapped.sku) ?? null) : null;
  await tx.orderLine.upsert({
    where: { orderId_shopifyLineItemId: { orderId: order.id, shopifyLineItemId: mapped.gid } },
    create: { shopId, orderId: order.id, productId, sku: mapped.sku, shopifyLineItemId: mapped.gid, quantity: mapped.quantity, priceMinor: mapped.priceMinor },
    update: { productId, sku: mapped.sku, quantity: mapped.quantity, priceMinor: mapped.priceMinor },
  });
  return productId ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// bulk_operations/finish

export const bulkFinishSchema = z
  .object({
    admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/, "must be a BulkOperation gid"),
    status: z.string().min(1).max(40),
    type: z.string().max(40).nullish(),
    error_code: z.string().max(80).nullish(),
    completed_at: z.string().nullish(),
    created_at: z.string().nullish(),
  })
  .passthrough();

/** The finished operation, if it is the shop's current order import: its collect step, at once. */
export async function onBulkOperationFinished(tx: Tx, shopId: string, p: z.output<typeof bulkFinishSchema>): Promise<boolean> {
  const sync = await tx.orderSync.findUnique({ where: { shopId }, select: { bulkOperationId: true } });
  if (sync?.bulkOperationId !== p.admin_graphql_api_id) return false; // another app feature's operation, or an old one
  return enqueue(tx, ordersImportJob, { shopId, step: "collect", bulkOperationId: p.admin_graphql_api_id }, { key: `${shopId}:finish:${p.admin_graphql_api_id}` });
}

export async function handleBulkOperationFinishWebhook(request: Request): Promise<Response> {
  return handleWebhook(request, {
    topic: "bulk_operations/finish",
    schema: bulkFinishSchema,
    // Once per operation and status.
    resource: (p) => ({ key: `bulk_operations/finish:${p.admin_graphql_api_id}:${p.status.toLowerCase()}`, version: null }),
    act: async (tx, ctx) => {
      if (!ctx.shop) {
        logger.info({ shop: ctx.shopDomain }, "bulk_operations/finish for an unknown shop: nothing done");
        return;
      }
      await onBulkOperationFinished(tx, ctx.shop.id, ctx.payload);
    },
  });
}
