// The returns outbox: effects a state change decided (ReturnEvent.effectsJson), performed after
// the change committed, then marked done (effectsDoneAt). The change enqueues a `returns.effects`
// job for its return in its own transaction (writeChange, repository.server.ts), a minute out: the
// process that made the change runs the effects at once (afterChange), and the job completes
// whatever that left pending (the process died, Shopify failed), with the job engine's retries,
// backoff and dead letters (ADR 0022). Each row is marked done exactly once (guarded update), and
// a Shopify mutation repeated after a crash is answered "already done", which counts as success.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { ReturnEffect } from "~/core/returns";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { yieldToEventLoop } from "../event-loop.server";
import { logger } from "../logger.server";
import {
  approveReturnRequest,
  declineReturnRequest,
  disposeReverseLines,
  reverseLinesOf,
  type DispositionType,
} from "./shopify.server";
import { offlineAdmin, type AdminFor, type AdminGraphql } from "../shopify-admin.server";
import { findInBatches } from "../batch.server";
import { restockAsShopifyWould } from "../catalog-sync.server";
import { defineJob } from "../jobs/index.server";

export type { AdminFor };

const payloadSchema = z
  .object({ lineId: z.string(), source: z.string().default(""), attempts: z.number().int().default(0), lastError: z.string().nullish() })
  .passthrough();

/** Attempts of a return's effects job before it is a dead letter (its events stay pending, with payloadJson.lastError). */
export const MAX_EFFECT_ATTEMPTS = 10;
/** How long after a change its effects job waits: the changing process runs the effects first. */
export const EFFECTS_JOB_DELAY_MS = 60_000;
const effectsSchema = z.array(z.object({ type: z.string(), key: z.string() }).passthrough());

const running = new Set<string>();

export interface OutboxRun {
  done: number;
  failed: number;
  errors: string[];
}

export interface OutboxOptions {
  shopId?: string;
  /** Only these events (the ones a change just produced); default: every pending one. */
  eventIds?: readonly string[];
  /** Only this return's events. */
  returnId?: string;
  now?: number;
  adminFor?: AdminFor;
  limit?: number;
}

/** The outbox for the events a change just committed. */
export async function afterChange(eventIds: readonly string[], opts: Omit<OutboxOptions, "eventIds"> = {}): Promise<OutboxRun> {
  if (eventIds.length === 0) return { done: 0, failed: 0, errors: [] };
  return runReturnOutbox({ ...opts, eventIds });
}

export async function runReturnOutbox(opts: OutboxOptions = {}): Promise<OutboxRun> {
  const limit = opts.limit ?? 200;
  const pending = (ids?: string[]) =>
    db.returnEvent.findMany({
      where: { effectsDoneAt: null, ...(opts.shopId ? { shopId: opts.shopId } : {}), ...(opts.returnId ? { returnId: opts.returnId } : {}), ...(ids ? { id: { in: ids } } : {}) },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: limit,
    });
  // One change can leave more events than one statement can list (a return of 1,000 lines): batches.
  const rows = opts.eventIds
    ? (await findInBatches(opts.eventIds, pending)).sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1)).slice(0, limit)
    : await pending();
  const run: OutboxRun = { done: 0, failed: 0, errors: [] };
  const adminFor = opts.adminFor ?? offlineAdmin;
  const admins = new Map<string, Promise<AdminGraphql>>();
  // Each return is read once per run, however many of its lines have pending effects.
  const cases = new Map<string, Promise<OutboxCase | null>>();
  const reverseLines = new Map<string, ReturnType<typeof reverseLinesOf>>();
  for (const row of rows) {
    if (running.has(row.id)) continue;
    running.add(row.id);
    let payload: z.output<typeof payloadSchema> | null = null;
    try {
      await yieldToEventLoop();
      let read = cases.get(row.returnId);
      if (!read) {
        read = db.returnCase.findFirst({ where: { id: row.returnId, shopId: row.shopId }, select: OUTBOX_CASE });
        cases.set(row.returnId, read);
      }
      const c = await read;
      if (!c) continue;
      const parsed = payloadSchema.parse(JSON.parse(row.payloadJson));
      payload = parsed;
      const effects = effectsSchema.parse(JSON.parse(row.effectsJson)) as unknown as ReturnEffect[];
      const line = c.lines.find((l) => l.id === parsed.lineId) ?? null;
      // Changes that came from Shopify (its webhooks, returnCreate) are already true there.
      const inShopify = Boolean(c.shopifyReturnGid) && !env().demo;
      const getAdmin = () => {
        let a = admins.get(c.shop.domain);
        if (!a) admins.set(c.shop.domain, (a = adminFor(c.shop.domain)));
        return a;
      };
      for (const effect of effects) {
        await perform(effect, {
          c,
          line,
          source: parsed.source,
          inShopify,
          getAdmin,
          reverseLines: (admin, gid) => {
            let r = reverseLines.get(gid);
            if (!r) reverseLines.set(gid, (r = reverseLinesOf(admin, gid)));
            return r;
          },
        });
      }
      const marked = await db.returnEvent.updateMany({
        where: { id: row.id, effectsDoneAt: null },
        data: { effectsDoneAt: new Date(opts.now ?? Date.now()) },
      });
      if (marked.count === 1) run.done++;
    } catch (error) {
      run.failed++;
      const message = (error as Error).message;
      run.errors.push(`${row.id}: ${message}`);
      if (payload) {
        const next = { ...payload, attempts: payload.attempts + 1, lastError: message.slice(0, 500) };
        await db.returnEvent.update({ where: { id: row.id }, data: { payloadJson: JSON.stringify(next) } }).catch(() => undefined);
      }
      logger.error({ eventId: row.id, returnId: row.returnId, err: message }, "returns outbox: effect failed, left pending");
    } finally {
      running.delete(row.id);
    }
  }
  return run;
}

/**
 * A return's pending effects, as a job: enqueued by every change that leaves some (keyed by the
 * return, so one waits per return whatever the number of changes). Fails while any of them fails:
 * retried with backoff, then a dead letter on the Activity page (the events stay pending with their
 * reason until it is retried). A return's stuck effects hold back only that return.
 */
export const returnEffectsJob = defineJob<{ shopId: string; returnId: string }>({
  name: "returns.effects",
  switch: "returns",
  retries: MAX_EFFECT_ATTEMPTS - 1,
  backoff: { type: "exponential", delayMs: 30_000, maxMs: 3_600_000 },
  timeout: 5 * 60_000,
  concurrency: 2,
  run: async ({ shopId, returnId }) => {
    const run = await runReturnOutbox({ shopId, returnId });
    if (run.failed > 0) throw new Error(run.errors.join("; ").slice(0, 1_000));
    return run;
  },
});

/** What effects need of a return (not its decision nor its lines' states, which can be large). */
const OUTBOX_CASE = {
  id: true,
  shopId: true,
  shopifyReturnGid: true,
  shop: { select: { domain: true } },
  lines: { select: { id: true, sku: true, quantity: true, reverseFoLineGid: true } },
} as const satisfies Prisma.ReturnCaseSelect;
type OutboxCase = Prisma.ReturnCaseGetPayload<{ select: typeof OUTBOX_CASE }>;

interface EffectContext {
  c: { id: string; shopId: string; shopifyReturnGid: string | null; lines: { id: string; sku: string | null; reverseFoLineGid: string | null }[] };
  line: { id: string; sku: string | null; quantity: number; reverseFoLineGid: string | null } | null;
  source: string;
  inShopify: boolean;
  getAdmin: () => Promise<AdminGraphql>;
  /** The return's reverse fulfillment order lines in Shopify, asked once per run. */
  reverseLines: (admin: AdminGraphql, returnGid: string) => ReturnType<typeof reverseLinesOf>;
}

/**
 * The effects `perform` carries out in Shopify; every other effect (instructions, the inspection
 * clock, the resale record) is a row already written, so an event with none of these is done when
 * it is recorded (repository.server.ts) and never waits in the outbox.
 */
export const OUTBOX_EFFECTS: ReadonlySet<ReturnEffect["type"]> = new Set([
  "APPROVE_IN_SHOPIFY",
  "DECLINE_IN_SHOPIFY",
  "RESTOCK_AT",
  "MARK_PROCESSING_REQUIRED",
  "DISPOSE_IN_SHOPIFY",
]);

const DISPOSITION: Partial<Record<ReturnEffect["type"], DispositionType>> = {
  RESTOCK_AT: "RESTOCKED",
  MARK_PROCESSING_REQUIRED: "PROCESSING_REQUIRED",
  DISPOSE_IN_SHOPIFY: "NOT_RESTOCKED",
};

async function perform(effect: ReturnEffect, ctx: EffectContext): Promise<void> {
  const fromShopify = ctx.source.startsWith("shopify:");
  const gid = ctx.c.shopifyReturnGid;
  switch (effect.type) {
    case "APPROVE_IN_SHOPIFY":
      if (ctx.inShopify && !fromShopify && gid) await approveReturnRequest(await ctx.getAdmin(), gid);
      return;
    case "DECLINE_IN_SHOPIFY":
      if (ctx.inShopify && !fromShopify && gid) await declineReturnRequest(await ctx.getAdmin(), gid, effect.declineReason, effect.customerMessage);
      return;
    case "RESTOCK_AT":
    case "MARK_PROCESSING_REQUIRED":
    case "DISPOSE_IN_SHOPIFY": {
      // No Shopify in the demo: its stock moves as Shopify's inventory update would move it.
      if (env().demo && effect.type === "RESTOCK_AT") {
        await restockAsShopifyWould(ctx.c.shopId, effect.hubId, effect.productId, effect.quantity, effect.key);
        return;
      }
      if (!ctx.inShopify || !gid || !ctx.line) return;
      const admin = await ctx.getAdmin();
      const rfoLine = await reverseLineFor(admin, gid, ctx);
      const type = DISPOSITION[effect.type]!;
      let locationId: string | null = null;
      if (type === "RESTOCKED") {
        const node = await db.node.findFirst({ where: { id: effect.hubId, shopId: ctx.c.shopId }, select: { name: true, shopifyLocationId: true } });
        if (!node?.shopifyLocationId) throw new Error(`hub ${node?.name ?? effect.hubId} has no Shopify location to restock at`);
        locationId = node.shopifyLocationId;
      }
      await disposeReverseLines(admin, [{ reverseFulfillmentOrderLineItemId: rfoLine, quantity: effect.quantity, dispositionType: type, locationId }]);
      return;
    }
    default:
      // Instructions, the inspection clock (a row: ReturnLine.inspectionDueAt / ReturnCase.inspectionDueAt)
      // and the resale record need nothing outside the database.
      return;
  }
}

/** The line's reverse fulfillment order line: stored, else looked up in Shopify by SKU and stored. */
async function reverseLineFor(admin: AdminGraphql, returnGid: string, ctx: EffectContext): Promise<string> {
  if (ctx.line!.reverseFoLineGid) return ctx.line!.reverseFoLineGid;
  const lines = await ctx.reverseLines(admin, returnGid);
  const taken = new Set(ctx.c.lines.flatMap((l) => (l.reverseFoLineGid ? [l.reverseFoLineGid] : [])));
  const match = lines.find((l) => !taken.has(l.id) && l.sku !== null && l.sku === ctx.line!.sku) ?? (lines.length === 1 ? lines[0] : null);
  if (!match) throw new Error(`no reverse fulfillment order line in Shopify for SKU ${ctx.line!.sku ?? "?"} of return ${ctx.c.id}`);
  await db.returnLine.update({ where: { id: ctx.line!.id }, data: { reverseFoLineGid: match.id } });
  ctx.line!.reverseFoLineGid = match.id; // the run's copy of the return, read once
  return match.id;
}
