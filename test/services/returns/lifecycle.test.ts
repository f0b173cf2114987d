// The returns use cases below the routes: the aggregate rule, decline by the rules, returnCreate
// from admin, a request recorded but never decided (the process died), concurrent changes under
// the optimistic lock, the settings schema, and escalations that fail and are retried once.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeEach, describe, expect, it } from "vitest";
import { openReturn, transition, type ReturnState } from "~/core/returns";
import { db } from "~/db.server";
import { action as declineWebhook } from "~/routes/webhooks.returns.decline";
import { action as requestWebhook } from "~/routes/webhooks.returns.request";
import { invalidateQuoteCache } from "~/services/quote-snapshot.server";
import { returnSettingsSchema, saveReturnSettings } from "~/services/return-settings.server";
import { runEscalations } from "~/services/returns/escalation.server";
import { drainJobs, listJobs } from "~/services/jobs/index.server";
import { receiveReturn } from "~/services/returns/receive.server";
import { aggregate, applyReturnEvent, ConcurrentChangeError } from "~/services/returns/repository.server";
import { createReturnFromAdmin, decidePendingReturns, recordReturnRequest, returnWebhookSchema, settleReturnDecisions } from "~/services/returns/request.server";
import { saveQuoteConfig } from "~/services/shipping-settings.server";
import { unauthenticated } from "~/shopify.server";
import { bikeCourier } from "../../core/fixtures";
import fixture from "../../fixtures/shopify/returns/returns-request.json";
import { useFakeAdminApi } from "../../support/fake-admin-api";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../../support/factories";
import { webhookRequest } from "../../support/shopify";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const shopify = useFakeAdminApi();
/** What Nearhub sent to Shopify for this test's shop: operation and variables, in order. */
const seen = () => shopify.calls.filter((c) => c.shop === domain).map(({ operation, variables }) => ({ operation, variables }));

let n = 0;
let domain: string;
let shop: Awaited<ReturnType<typeof makeShop>>;
let hub: { id: string };

beforeEach(async () => {
  domain = `lifecycle-${++n}.myshopify.com`;
  shop = await makeShop(db, domain);
  await makeSession(db, domain);
  hub = await makeNode(db, shop.id, { name: "Williamsburg hub", shopifyLocationId: "gid://shopify/Location/101" });
  const tee = await makeProduct(db, shop.id, { sku: "TEE-BLK-M" });
  await makeOrder(db, shop.id, tee.id, { name: "#1001", shopifyOrderId: "gid://shopify/Order/450789469", placedAt: new Date(Date.now() - 3 * DAY) });
  await saveQuoteConfig(shop.id, { couriers: [bikeCourier({ surge: [] })] });
  invalidateQuoteCache(shop.id);
});

const state = (status: ReturnState["status"], over: Partial<ReturnState> = {}): ReturnState => ({ ...openReturn({ returnId: "R", lineId: "L", productId: "P", quantity: 1 }, 0), status, ...over });

describe("aggregate view of a return's lines", () => {
  it("is the least advanced open line; ended lines do not hold it back; all ended: the furthest end", () => {
    expect(aggregate([state("received"), state("restocked")]).status).toBe("RECEIVED");
    expect(aggregate([state("declined"), state("approved")]).status).toBe("APPROVED");
    expect(aggregate([state("disposed"), state("restocked")]).status).toBe("RESTOCKED");
    expect(aggregate([state("disposed"), state("resold")]).status).toBe("RESOLD");
    expect(aggregate([state("declined"), state("declined")]).status).toBe("DECLINED");
  });

  it("takes each timestamp from the first line to get there and the deadline of the lines still waiting", () => {
    const a = transition(state("approved", { at: { requested: 0, approved: 10 }, updatedAt: 10 }), { type: "RECEIVE", hubId: "H", inspectionHours: 48 }, 1000);
    const b = transition(state("approved", { at: { requested: 0, approved: 10 }, updatedAt: 10 }), { type: "RECEIVE", hubId: "H", inspectionHours: 24 }, 2000);
    if (!a.ok || !b.ok) throw new Error("setup");
    const agg = aggregate([a.state, b.state]);
    expect(agg.receivedAt?.getTime()).toBe(1000);
    expect(agg.inspectionDueAt?.getTime()).toBe(2000 + 24 * HOUR);
  });
});

/** A signed returns/request for the fixture; it is answered before its decision, which this then waits for. */
async function deliverRequest() {
  const res = await requestWebhook({ request: webhookRequest("/webhooks/returns/request", fixture, { shop: domain, topic: "returns/request" }), params: {}, context: {} });
  await settleReturnDecisions();
  return res;
}

describe("deciding a request", () => {
  it("declines by a rule in Shopify with Shopify's reason and note, and follows a decline made in Shopify", async () => {
    await saveReturnSettings(shop.id, {
      rules: [{ id: "late", name: "Past 2 days", when: [{ code: "DAYS_SINCE_DELIVERY", args: { minDays: 2 } }], then: { code: "DECLINE", args: { declineReason: "RETURN_PERIOD_ENDED", customerMessage: "Returns close 2 days after delivery." } } }],
    });
    const res = await deliverRequest();
    expect(res.status).toBe(200);
    const c = await db.returnCase.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(c.status).toBe("DECLINED");
    expect(seen()).toEqual([
      { operation: "NearhubReturnDecline", variables: { input: { id: fixture.admin_graphql_api_id, declineReason: "RETURN_PERIOD_ENDED", declineNote: "Returns close 2 days after delivery.", notifyCustomer: true } } },
    ]);
    // Shopify echoes the decline: nothing moves, nothing is called.
    const echo = await declineWebhook({ request: webhookRequest("/webhooks/returns/decline", { ...fixture, status: "declined", decline: { reason: "return_period_ended", note: "x" } }, { shop: domain, topic: "returns/decline" }), params: {}, context: {} });
    expect(echo.status).toBe(200);
    expect(seen()).toHaveLength(1);
  });

  it("decides a request that was recorded when the process died before deciding it", async () => {
    const payload = returnWebhookSchema.parse(fixture);
    const t0 = Date.now() - 5 * 60_000;
    const caseId = await db.$transaction((tx) => recordReturnRequest(tx, shop, payload, t0));
    expect(caseId).not.toBeNull();
    expect((await db.returnCase.findUniqueOrThrow({ where: { id: caseId! } })).status).toBe("REQUESTED");
    expect(await decidePendingReturns(Date.now())).toBeGreaterThanOrEqual(1);
    expect(await decidePendingReturns(Date.now())).toBe(0);
    const c = await db.returnCase.findUniqueOrThrow({ where: { id: caseId! } });
    expect(c.status).toBe("APPROVED");
    expect(c.destinationNodeId).toBe(hub.id);
    expect(seen().map((s) => s.operation)).toEqual(["NearhubReturnApprove"]);
  });

  it("creates a return from admin with returnCreate and does not approve it again in Shopify", async () => {
    const { admin } = await unauthenticated.admin(domain);
    const now = Date.now();
    const c = await createReturnFromAdmin(
      shop,
      admin,
      { orderGid: "gid://shopify/Order/450789469", lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/640670350", sku: "TEE-BLK-M", quantity: 1, returnReason: "DEFECTIVE" }] },
      now,
    );
    const [created] = shopify.shop(domain).returns.keys();
    expect(c).toMatchObject({ shopifyReturnGid: created, status: "APPROVED", destinationNodeId: hub.id });
    expect(shopify.shop(domain).created).toEqual([
      {
        orderId: "gid://shopify/Order/450789469",
        returnLineItems: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/640670350", quantity: 1, returnReason: "DEFECTIVE" }],
        notifyCustomer: false,
        requestedAt: new Date(now).toISOString(),
      },
    ]);
    expect(seen().map((s) => s.operation)).toEqual(["NearhubReturnCreate"]);
  });
});

describe("concurrent changes", () => {
  it("lets one of two simultaneous receipts win; the other is refused or finds the line moved, never both", async () => {
    await deliverRequest();
    const c = await db.returnCase.findFirstOrThrow({ where: { shopId: shop.id } });
    const now = Date.now();
    const results = await Promise.allSettled([
      receiveReturn(shop, c.id, { hubId: hub.id }, { idempotencyKey: "scan-a", now, source: "test" }),
      receiveReturn(shop, c.id, { hubId: hub.id }, { idempotencyKey: "scan-b", now, source: "test" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const after = await db.returnCase.findUniqueOrThrow({ where: { id: c.id }, include: { events: true } });
    expect(after.version).toBe(c.version + 1);
    expect(after.events.filter((e) => e.type === "RECEIVE")).toHaveLength(1);
  });

  it("refuses a change made from a stale version, writing nothing", async () => {
    await deliverRequest();
    const c = await db.returnCase.findFirstOrThrow({ where: { shopId: shop.id } });
    await expect(
      applyReturnEvent(shop.id, c.id, { type: "SHIP", reverseCostMinor: 500, trackingNumber: null }, { idempotencyKey: "s", now: Date.now(), expectedVersion: c.version - 1, source: "test" }),
    ).rejects.toThrow(ConcurrentChangeError);
    const after = await db.returnCase.findUniqueOrThrow({ where: { id: c.id }, include: { events: true } });
    expect(after).toMatchObject({ version: c.version, status: "APPROVED" });
    expect(after.events.filter((e) => e.type === "SHIP")).toHaveLength(0);
    // With the current version it goes through.
    await applyReturnEvent(shop.id, c.id, { type: "SHIP", reverseCostMinor: 500, trackingNumber: null }, { idempotencyKey: "s2", now: Date.now(), expectedVersion: c.version, source: "test" });
    expect((await db.returnCase.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("IN_TRANSIT");
  });
});

describe("return settings", () => {
  it("names the field that is wrong, down to a rule's args", () => {
    const bad = returnSettingsSchema.safeParse({
      inspectionHours: 0,
      escalationEmail: "not-an-email",
      rules: [{ id: "r", name: "R", when: [{ code: "DAYS_SINCE_DELIVERY", args: {} }], then: { code: "REFUND", args: {} } }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["inspectionHours", "escalationEmail", "rules.0.when.0.args.maxDays"]));
  });
});

describe("escalation delivery", () => {
  it("sends no mail and writes no row when this process has no SMTP_URL", async () => {
    await saveReturnSettings(shop.id, { escalationEmail: "lead@example.com" });
    await deliverRequest();
    const c = await db.returnCase.findFirstOrThrow({ where: { shopId: shop.id } });
    const t0 = Date.now();
    await receiveReturn(shop, c.id, { hubId: hub.id }, { idempotencyKey: "r", now: t0, source: "test" });
    const run = await runEscalations({ now: t0 + 49 * HOUR, shopId: shop.id, smtpUrl: null });
    expect(run).toMatchObject({ recorded: 0 });
    expect(run.skipped[0]).toMatch(/no SMTP_URL/);
    expect(await db.escalation.count({ where: { returnId: c.id } })).toBe(0);
  });

  it("records each notice with its send job; a send that fails is the job engine's to retry, and it is sent once", async () => {
    // The merchant's endpoint is down for the first delivery, then answers.
    const received: string[] = [];
    let rowWhenRetried: { status: string; attempts: number; lastError: string | null } | null = null;
    let calls = 0;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", async () => {
        calls++;
        if (calls === 1) {
          res.writeHead(503).end();
          return;
        }
        rowWhenRetried = await db.escalation.findFirst({ where: { shopId: shop.id }, select: { status: true, attempts: true, lastError: true } });
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      await saveReturnSettings(shop.id, { escalationWebhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` });
      await deliverRequest();
      const c = await db.returnCase.findFirstOrThrow({ where: { shopId: shop.id } });
      const t0 = Date.now();
      await receiveReturn(shop, c.id, { hubId: hub.id }, { idempotencyKey: "r", now: t0, source: "test" });
      const late = t0 + 49 * HOUR;

      expect(await runEscalations({ now: late, shopId: shop.id, smtpUrl: null })).toMatchObject({ recorded: 1 });
      // Scanned again (the next minute, another process): the row exists, nothing more is recorded.
      expect(await runEscalations({ now: late + 60_000, shopId: shop.id, smtpUrl: null })).toMatchObject({ recorded: 0 });
      expect(await db.escalation.findFirstOrThrow({ where: { returnId: c.id } })).toMatchObject({ status: "PENDING", attempts: 0 });
      const [job] = await listJobs({ name: "returns.send-escalation" });
      expect(job.payload).toMatchObject({ shopId: shop.id });

      const drained = await drainJobs({ names: ["returns.send-escalation"], ignoreDelay: true });
      expect(drained).toMatchObject({ failed: 1, completed: 1 });
      expect(rowWhenRetried).toMatchObject({ status: "FAILED", attempts: 1, lastError: "merchant webhook answered 503" });
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0])).toMatchObject({ type: "return.inspection_escalated", returnId: c.id });
      expect(await db.escalation.findFirstOrThrow({ where: { returnId: c.id } })).toMatchObject({ status: "SENT", attempts: 2, lastError: null });

      // Nothing is left to send, however often the engine and the scan run.
      await runEscalations({ now: late + 120_000, shopId: shop.id, smtpUrl: null });
      await drainJobs({ names: ["returns.send-escalation"], ignoreDelay: true });
      expect(received).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
