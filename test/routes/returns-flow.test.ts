// Returns end to end through the real routes: signed returns/* webhooks, the open API, the outbox,
// the escalation job. Shopify's Admin GraphQL is the suite's fake (test/support/fake-admin-api.ts),
// which checks each operation and its variables and keeps each shop's returns; escalation mail goes to a real smtp-server on 127.0.0.1 and
// the merchant webhook to a local node:http server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as eventsAction } from "~/routes/api.v1.returns.$id.events";
import { loader as listLoader } from "~/routes/api.v1.returns._index";
import { action as planAction } from "~/routes/api.v1.returns.plan";
import { action as approveWebhook } from "~/routes/webhooks.returns.approve";
import { action as cancelWebhook } from "~/routes/webhooks.returns.cancel";
import { action as requestWebhook } from "~/routes/webhooks.returns.request";
import { createApiKey } from "~/services/api-keys.server";
import { invalidateQuoteCache } from "~/services/quote-snapshot.server";
import { saveReturnSettings } from "~/services/return-settings.server";
import { saveQuoteConfig } from "~/services/shipping-settings.server";
import { returnAnalytics, inspectionQueue } from "~/services/returns/analytics.server";
import { drainJobs, listJobs } from "~/services/jobs/index.server";
import { runReturnOutbox } from "~/services/returns/effects.server";
import { merchantWebhookSecret, runEscalations, sendEscalation, signWebhookBody } from "~/services/returns/escalation.server";
import { inspectReturn } from "~/services/returns/inspect.server";
import { receiveReturn } from "~/services/returns/receive.server";
import { IllegalTransitionError } from "~/services/returns/repository.server";
import { recordResale } from "~/services/returns/resale.server";
import { settleReturnDecisions } from "~/services/returns/request.server";
import { resolveRefurbished } from "~/services/returns/resolve.server";
import fixture from "../fixtures/shopify/returns/returns-request.json";
import { bikeCourier } from "../core/fixtures";
import { useFakeAdminApi } from "../support/fake-admin-api";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../support/factories";
import { TEST_SHOPIFY, webhookRequest } from "../support/shopify";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---- Shopify's Admin API ----
const shopify = useFakeAdminApi();
const RETURN_GID = "gid://shopify/Return/945000954";
/** What Nearhub sent to Shopify for this test's shop, in order. */
const sent = () => shopify.calls.filter((c) => c.shop === domain);

// ---- SMTP and the merchant's webhook endpoint ----
const mails: { to: string; body: string }[] = [];
const hooks: { body: string; signature: string | undefined }[] = [];
let smtp: SMTPServer;
let smtpUrl: string;
let hookServer: Server;
let hookUrl: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let body = "";
      stream.on("data", (c: Buffer) => (body += c.toString()));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  hookServer = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      hooks.push({ body, signature: req.headers["x-nearhub-hmac-sha256"] as string | undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/nearhub`;
});

afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => hookServer.close(() => r()));
});

// ---- the marketplace ----
let n = 0;
let domain: string;
let shop: Awaited<ReturnType<typeof makeShop>>;
let hubA: { id: string };
let hubB: { id: string };
let tee: { id: string };
let apiKey: string;

beforeEach(async () => {
  domain = `returns-${++n}.myshopify.com`;
  shop = await makeShop(db, domain);
  await makeSession(db, domain);
  // Williamsburg hub (sells the tee locally) and a Midtown hub (closer to nobody's demand).
  hubA = await makeNode(db, shop.id, { name: "Williamsburg hub", shopifyLocationId: "gid://shopify/Location/101", serviceRadiusM: 3000 });
  hubB = await makeNode(db, shop.id, { name: "Midtown hub", latitude: 40.7549, longitude: -73.984, postalCode: "10036", city: "New York", shopifyLocationId: "gid://shopify/Location/102", serviceRadiusM: 8000 });
  tee = await makeProduct(db, shop.id, { sku: "TEE-BLK-M", title: "Black tee M", valueMinor: 3500 });
  // The order being returned, and a month of local sales around Williamsburg.
  await makeOrder(db, shop.id, tee.id, { name: "#1001", shopifyOrderId: "gid://shopify/Order/450789469", placedAt: new Date(Date.now() - 5 * DAY) });
  for (let i = 0; i < 12; i++) await makeOrder(db, shop.id, tee.id, { placedAt: new Date(Date.now() - (i + 1) * DAY) });
  // Midtown has the tee on its shelf; Williamsburg is out of it while it sells there.
  await db.stockLevel.create({ data: { shopId: shop.id, nodeId: hubB.id, productId: tee.id, available: 40 } });
  // A bike courier collects returns inside each hub's area.
  await saveQuoteConfig(shop.id, { couriers: [bikeCourier({ surge: [] })] });
  await saveReturnSettings(shop.id, { escalationEmail: "hub-lead@example.com", escalationWebhookUrl: hookUrl });
  apiKey = (await createApiKey(shop.id, "returns test")).key;
  invalidateQuoteCache(shop.id);
  // The fixture's return, as Shopify holds it: requested, one tee (its reverse line once approved).
  shopify.shop(domain).addReturn(RETURN_GID, [{ sku: "TEE-BLK-M" }]);
  mails.length = 0;
  hooks.length = 0;
});

function requestPayload(over: Record<string, unknown> = {}) {
  return { ...structuredClone(fixture), ...over };
}

/** Delivers a signed webhook; returns/request is answered before its decision, which this then waits for. */
async function postWebhook(action: typeof requestWebhook, topic: string, body: unknown, webhookId?: string) {
  const req = webhookRequest(`/webhooks/${topic}`, body, { shop: domain, topic, webhookId });
  const res = await action({ request: req, params: {}, context: {} });
  await settleReturnDecisions();
  return res;
}

async function theCase() {
  return db.returnCase.findFirstOrThrow({ where: { shopId: shop.id }, include: { lines: true, events: true } });
}

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response> | Response;
async function api(handler: unknown, path: string, init: RequestInit & { params?: Record<string, string> } = {}) {
  const request = new Request(`${TEST_SHOPIFY.appUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json", ...(init.headers ?? {}) } });
  try {
    return await (handler as Handler)({ request, params: init.params ?? {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("a captured returns body replayed", () => {
  // Waits for the decision a returns/request starts after its answer (it raced the assertions before).
  const deliver = async (action: typeof requestWebhook, route: string, topic: string, body: unknown, webhookId?: string) => {
    const res = await action({ request: webhookRequest(`/webhooks/${route}`, body, { shop: domain, topic, webhookId }), params: {}, context: {} });
    await settleReturnDecisions();
    return res;
  };

  it("to /webhooks/returns/cancel does not cancel the return: 422 for its requested status, 400 under its own topic", async () => {
    expect((await deliver(requestWebhook, "returns/request", "returns/request", requestPayload(), "wh-r1")).status).toBe(200);
    const before = await theCase();
    expect(before.status).toBe("APPROVED");

    const asCancel = await deliver(cancelWebhook, "returns/cancel", "returns/cancel", requestPayload(), "wh-r2");
    expect(asCancel.status).toBe(422);
    expect(await asCancel.json()).toEqual({ error: 'status: "requested" does not fit returns/cancel (expects "canceled" or "cancelled")' });
    const asRequest = await deliver(cancelWebhook, "returns/cancel", "returns/request", requestPayload(), "wh-r3");
    expect(asRequest.status).toBe(400);
    expect((await asRequest.json()).error).toMatch(/^X-Shopify-Topic: "returns\/request" is not this route's topic/);

    const after = await theCase();
    expect(after.status).toBe("APPROVED");
    expect(after.version).toBe(before.version);
    expect(after.events.filter((e) => e.type === "CANCEL")).toHaveLength(0);
    expect(await db.webhookDelivery.count({ where: { shopId: shop.id, webhookId: { in: ["wh-r2", "wh-r3"] } } })).toBe(0);
  });

  it("under a new webhook id is not applied twice: one case, one approval in Shopify, one cancellation", async () => {
    expect((await deliver(requestWebhook, "returns/request", "returns/request", requestPayload(), "wh-n1")).status).toBe(200);
    expect((await deliver(requestWebhook, "returns/request", "returns/request", requestPayload(), "wh-n2")).status).toBe(200);
    expect(await db.returnCase.count({ where: { shopId: shop.id } })).toBe(1);
    expect(sent().map((x) => x.operation)).toEqual(["NearhubReturnApprove"]);

    const cancel = requestPayload({ status: "canceled" });
    expect((await deliver(cancelWebhook, "returns/cancel", "returns/cancel", cancel, "wh-n3")).status).toBe(200);
    const cancelled = await theCase();
    expect(cancelled.status).toBe("CANCELLED");
    expect((await deliver(cancelWebhook, "returns/cancel", "returns/cancel", cancel, "wh-n4")).status).toBe(200);
    const again = await theCase();
    expect(again.version).toBe(cancelled.version);
    expect(again.events.filter((e) => e.type === "CANCEL")).toHaveLength(1);
  });
});

describe("returns/request webhook", () => {
  it("auto-approves by the rules, routes the line to the best hub with reasons, and approves it in Shopify once", async () => {
    const res = await postWebhook(requestWebhook, "returns/request", requestPayload(), "wh-1");
    expect(res.status).toBe(200);
    const c = await theCase();
    expect(c.status).toBe("APPROVED");
    expect(c.shopifyReturnGid).toBe("gid://shopify/Return/945000954");
    expect(c.destinationNodeId).toBe(hubA.id);
    expect(c.lines[0]).toMatchObject({ sku: "TEE-BLK-M", status: "APPROVED", destinationNodeId: hubA.id, outcome: "REFUND", valueMinor: 3500 });
    const decision = JSON.parse(c.decisionJson) as { lines: { destination: { hub: { nodeId: string }; reasons: string[]; considered: unknown[] } }[] };
    expect(decision.lines[0].destination.hub.nodeId).toBe(hubA.id);
    expect(decision.lines[0].destination.reasons.length).toBeGreaterThan(0);
    expect(decision.lines[0].destination.considered).toHaveLength(2);
    expect(sent().map((s) => s.operation)).toEqual(["NearhubReturnApprove"]);
    expect(sent()[0].variables).toEqual({ input: { id: RETURN_GID } });
    expect(c.events.every((e) => e.effectsDoneAt !== null)).toBe(true);

    // Shopify retries the delivery, then echoes our approval as returns/approve: nothing more happens.
    expect((await postWebhook(requestWebhook, "returns/request", requestPayload(), "wh-1")).status).toBe(200);
    expect((await postWebhook(approveWebhook, "returns/approve", requestPayload({ status: "open" }), "wh-2")).status).toBe(200);
    expect(sent()).toHaveLength(1);
    expect(await db.returnCase.count({ where: { shopId: shop.id } })).toBe(1);
    expect((await theCase()).version).toBe(c.version);
  });

  it("turns a return that does not pay into keep-the-item: refunded, nothing travels, no hub", async () => {
    await saveReturnSettings(shop.id, {
      rules: [{ id: "keep", name: "Keep what does not pay to bring back", when: [], then: { code: "KEEP_ITEM", args: { resolution: "REFUND" } } }],
      escalationEmail: "hub-lead@example.com",
    });
    // A cheap, heavy item nobody nearby buys: the leg back and handling exceed what it recovers.
    await db.product.update({ where: { id: tee.id }, data: { valueMinor: 300, weightGrams: 9000 } });
    await db.orderLine.deleteMany({ where: { shopId: shop.id, order: { name: { not: "#1001" } } } });
    invalidateQuoteCache(shop.id);
    const payload = requestPayload();
    payload.return_line_items[0].fulfillment_line_item.line_item.price = "3.00";
    expect((await postWebhook(requestWebhook, "returns/request", payload)).status).toBe(200);
    const c = await theCase();
    expect(c.outcome).toBe("KEEP_ITEM");
    // Approved in Shopify, and over for Nearhub: nothing will arrive at a hub, so nothing waits for it.
    expect(c.lines[0]).toMatchObject({ status: "KEPT", outcome: "KEEP_ITEM", destinationNodeId: null });
    expect(c).toMatchObject({ status: "KEPT", receivedAt: null, inspectionDueAt: null });
    expect(c.approvedAt).not.toBeNull();
    expect(c.refundedMinor).toBe(300);
    expect((await db.returnEvent.findMany({ where: { returnId: c.id } })).map((e) => [e.type, e.fromStatus, e.toStatus])).toContainEqual(["KEEP", "REQUESTED", "KEPT"]);
    const decision = JSON.parse(c.decisionJson) as { lines: { rule: { id: string }; outcome: { detail: string } }[] };
    expect(decision.lines[0].rule.id).toBe("keep");
    // It is kept because the trip back loses money (not for want of a return hub), then the figures behind it.
    const detail = decision.lines[0].outcome.detail;
    expect(detail.slice(0, detail.indexOf(" per unit"))).toBe("keeps TEE-BLK-M and gets a refund of $3.00: bringing it back to Williamsburg hub would lose $6.59");
    expect(sent().map((s) => s.operation)).toEqual(["NearhubReturnApprove"]);
  });

  it("records a return for an unknown order or SKU and answers 200 without side effects", async () => {
    const unknownOrder = requestPayload({ order: { id: 999, admin_graphql_api_id: "gid://shopify/Order/999" } });
    expect((await postWebhook(requestWebhook, "returns/request", unknownOrder, "wh-u1")).status).toBe(200);
    const unknownSku = requestPayload({ id: 945000955, admin_graphql_api_id: "gid://shopify/Return/945000955" });
    unknownSku.return_line_items[0].fulfillment_line_item.line_item.sku = "NOPE";
    unknownSku.return_line_items[0].fulfillment_line_item.line_item.variant_id = 1;
    expect((await postWebhook(requestWebhook, "returns/request", unknownSku, "wh-u2")).status).toBe(200);
    expect(await db.returnCase.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { shopId: shop.id, webhookId: { in: ["wh-u1", "wh-u2"] } } })).toBe(2);
    expect(sent()).toHaveLength(0);
  });

  it("rejects a payload without the return id with a 400 naming the field", async () => {
    const res = await postWebhook(requestWebhook, "returns/request", { id: 1, order: { id: 2 } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/admin_graphql_api_id/);
  });
});

// A process that dies after the commit is crash.test.ts (a real child process); here Shopify drops
// the connection of the first approval, after the commit.
describe("a flow whose Shopify call fails after the commit", () => {
  it("is completed by the outbox runner exactly once", async () => {
    shopify.next("NearhubReturnApprove", "network");
    expect((await postWebhook(requestWebhook, "returns/request", requestPayload(), "wh-x")).status).toBe(200);
    let c = await theCase();
    expect(c.status).toBe("APPROVED"); // the state change committed
    expect(shopify.shop(domain).returns.get(RETURN_GID)?.status).toBe("REQUESTED"); // but Shopify never approved it
    expect(c.events.filter((e) => e.effectsDoneAt === null)).toHaveLength(1);

    // Shopify retries the same delivery: already recorded, nothing new.
    await postWebhook(requestWebhook, "returns/request", requestPayload(), "wh-x");
    expect(sent()).toHaveLength(1);

    // "Restart": the runner completes the pending effect, once.
    const first = await runReturnOutbox({ shopId: shop.id });
    expect(first).toMatchObject({ done: 1, failed: 0 });
    const second = await runReturnOutbox({ shopId: shop.id });
    expect(second).toMatchObject({ done: 0, failed: 0 });
    expect(sent().map((s) => s.operation)).toEqual(["NearhubReturnApprove", "NearhubReturnApprove"]);
    expect(shopify.shop(domain).returns.get(RETURN_GID)?.status).toBe("OPEN");
    c = await theCase();
    expect(c.events.every((e) => e.effectsDoneAt !== null)).toBe(true);
  });
});

/**
 * Does what each waiting `returns.send-escalation` job does, with this test's SMTP server: the job
 * engine's own runs read SMTP_URL from the process's configuration, parsed before the server started
 * (the retry through the engine is test/services/returns/lifecycle.test.ts's).
 */
async function sendRecorded(opts: { now: number; smtpUrl: string; mailFrom: string }) {
  for (const job of await listJobs({ name: "returns.send-escalation", states: ["waiting", "retrying"] })) {
    const { escalationId, notice } = job.payload as { escalationId: string; notice: Parameters<typeof sendEscalation>[1] };
    await sendEscalation(escalationId, notice, opts);
  }
}

describe("inspection deadline and escalation", () => {
  it("shows the overdue line in the queue and escalates by mail and signed webhook once, even after a restart", async () => {
    await db.node.update({ where: { id: hubA.id }, data: { inspectionHours: 24 } });
    await postWebhook(requestWebhook, "returns/request", requestPayload());
    const { id } = await theCase();
    const receivedAt = Date.now();
    await receiveReturn(shop, id, { hubId: hubA.id }, { idempotencyKey: "scan-1", now: receivedAt, source: "test" });
    const c = await theCase();
    expect(c.status).toBe("RECEIVED");
    expect(c.inspectionDueAt?.getTime()).toBe(receivedAt + 24 * HOUR); // the hub's own 24 h, not the shop's 48

    const late = receivedAt + 26 * HOUR;
    const queue = await inspectionQueue(shop.id, late);
    expect(queue).toHaveLength(1);
    expect(queue[0].inspection.status).toBe("overdue");

    const opts = { now: late, shopId: shop.id, smtpUrl, mailFrom: "Nearhub <returns@nearhub.test>" };
    const first = await runEscalations(opts);
    expect(first).toMatchObject({ recorded: 2 });
    await sendRecorded(opts);
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toBe("hub-lead@example.com");
    expect(mails[0].body).toMatch(/Inspection overdue: return #1001 at Williamsburg hub/);
    expect(hooks).toHaveLength(1);
    expect(hooks[0].signature).toBe(signWebhookBody(hooks[0].body, merchantWebhookSecret(domain)));
    expect(JSON.parse(hooks[0].body)).toMatchObject({ type: "return.inspection_escalated", returnId: id, level: 2, notify: "HUB_LEAD", hubName: "Williamsburg hub" });

    // The job runs again, and again after a "restart" (nothing in memory): nothing is sent twice.
    await runEscalations(opts);
    await runEscalations({ ...opts, now: late + 60_000 });
    await sendRecorded(opts);
    expect(mails).toHaveLength(1);
    expect(hooks).toHaveLength(1);
    expect(await db.escalation.count({ where: { returnId: id } })).toBe(2);
    expect(await db.escalation.count({ where: { returnId: id, status: "SENT" } })).toBe(2);

    // Inspected: no more escalations, and the queue is empty.
    await inspectReturn(shop, id, { grade: "B", disposition: "RESTOCK" }, { idempotencyKey: "insp-1", now: late + 2 * 60_000, source: "test" });
    await runEscalations({ ...opts, now: late + 30 * HOUR });
    await sendRecorded(opts);
    expect(mails).toHaveLength(1);
    expect(await inspectionQueue(shop.id, late + 30 * HOUR)).toHaveLength(0);
  });
});

describe("restock, resale and velocity", () => {
  it("restocks at the hub's Shopify location, then closes as resold when the SKU sells again, with its velocity", async () => {
    await postWebhook(requestWebhook, "returns/request", requestPayload());
    const { id } = await theCase();
    const t0 = Date.now();
    await receiveReturn(shop, id, { hubId: hubA.id }, { idempotencyKey: "r", now: t0, source: "test" });
    await inspectReturn(shop, id, { grade: "A", disposition: "RESTOCK" }, { idempotencyKey: "i", now: t0 + 6 * HOUR, source: "test" });
    let c = await theCase();
    expect(c.status).toBe("RESTOCKED");
    expect(c.lines[0]).toMatchObject({ status: "RESTOCKED", grade: "A", disposition: "RESTOCK", reverseFoLineGid: "gid://shopify/ReverseFulfillmentOrderLineItem/71" });
    const dispose = sent().find((s) => s.operation === "NearhubReverseDispose")!;
    expect(dispose.variables).toEqual({
      dispositionInputs: [{ reverseFulfillmentOrderLineItemId: "gid://shopify/ReverseFulfillmentOrderLineItem/71", quantity: 1, dispositionType: "RESTOCKED", locationId: "gid://shopify/Location/101" }],
    });

    // An order for the same SKU from the same hub, two days after receipt.
    const soldAt = new Date(t0 + 2 * DAY);
    const recorded = await recordResale(shop, { orderId: "gid://shopify/Order/777", placedAt: soldAt, nodeId: hubA.id, lines: [{ sku: "TEE-BLK-M", quantity: 1, priceMinor: 3200 }] });
    expect(recorded).toHaveLength(1);
    // The same order again (webhook retry): no second resale.
    expect(await recordResale(shop, { orderId: "gid://shopify/Order/777", placedAt: soldAt, nodeId: hubA.id, lines: [{ sku: "TEE-BLK-M", quantity: 1, priceMinor: 3200 }] })).toHaveLength(0);
    c = await theCase();
    expect(c.status).toBe("RESOLD");
    expect(c.resoldAt?.getTime()).toBe(soldAt.getTime());
    expect(c.recoveredMinor).toBe(3200);

    const analytics = await returnAnalytics(shop.id);
    const hub = analytics.byHub.find((h) => h.key === hubA.id)!;
    expect(hub.name).toBe("Williamsburg hub");
    expect(hub.receiptToInspectionDays).toBeCloseTo(0.25, 5);
    expect(hub.receiptToResaleDays).toBeCloseTo(2, 5);
    expect(hub.recoveryRate).toBeCloseTo(3200 / 3500, 5);
    expect(analytics.byProduct[0]).toMatchObject({ key: tee.id, resold: 1 });
  });

  it("keeps a restock pending with the reason while the hub has no Shopify location, and completes it once one is set", async () => {
    await db.node.update({ where: { id: hubA.id }, data: { shopifyLocationId: null } });
    await postWebhook(requestWebhook, "returns/request", requestPayload());
    const { id } = await theCase();
    const t0 = Date.now();
    await receiveReturn(shop, id, { hubId: hubA.id }, { idempotencyKey: "r", now: t0, source: "test" });
    const { run } = await inspectReturn(shop, id, { grade: "A", disposition: "RESTOCK" }, { idempotencyKey: "i", now: t0 + HOUR, source: "test" });
    expect(run.failed).toBe(1);
    expect(run.errors[0]).toMatch(/Williamsburg hub has no Shopify location to restock at/);
    const pending = await db.returnEvent.findFirstOrThrow({ where: { returnId: id, type: "RESTOCK" } });
    expect(pending.effectsDoneAt).toBeNull();
    expect(JSON.parse(pending.payloadJson)).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/no Shopify location/) });
    expect((await theCase()).status).toBe("RESTOCKED"); // the state change stands; only Shopify waits

    // The change enqueued its return's effects job: once the hub has a location, it completes them.
    expect((await listJobs({ states: ["waiting"] })).filter((j) => j.name === "returns.effects" && j.key === id)).toHaveLength(1);
    await db.node.update({ where: { id: hubA.id }, data: { shopifyLocationId: "gid://shopify/Location/101" } });
    expect(await drainJobs({ names: ["returns.effects"], ignoreDelay: true })).toMatchObject({ failed: 0 });
    expect((await db.returnEvent.findUniqueOrThrow({ where: { id: pending.id } })).effectsDoneAt).not.toBeNull();
    expect(sent().filter((s) => s.operation === "NearhubReverseDispose")).toHaveLength(1);
    expect(await runReturnOutbox({ shopId: shop.id })).toMatchObject({ done: 0, failed: 0 });
  });

  it("refurbishes with PROCESSING_REQUIRED in Shopify, and refuses to resolve twice", async () => {
    await postWebhook(requestWebhook, "returns/request", requestPayload());
    const { id } = await theCase();
    const t0 = Date.now();
    await receiveReturn(shop, id, { hubId: hubA.id }, { idempotencyKey: "r", now: t0, source: "test" });
    await inspectReturn(shop, id, { grade: "C", disposition: "REFURBISH" }, { idempotencyKey: "i", now: t0 + HOUR, source: "test" });
    expect(sent().find((s) => s.operation === "NearhubReverseDispose")?.variables).toMatchObject({ dispositionInputs: [{ dispositionType: "PROCESSING_REQUIRED" }] });
    await resolveRefurbished(shop, id, "DISPOSE", { idempotencyKey: "res-1", now: t0 + 2 * HOUR, source: "test" });
    const before = await theCase();
    expect(before.status).toBe("DISPOSED");
    await expect(resolveRefurbished(shop, id, "RESTOCK", { idempotencyKey: "res-2", now: t0 + 3 * HOUR, source: "test" })).rejects.toThrow(IllegalTransitionError);
    const after = await theCase();
    expect(after.version).toBe(before.version);
    expect(after.events).toHaveLength(before.events.length);
  });
});

describe("open API", () => {
  it("plans a proposed return with the destination and reasons, in both destination modes", async () => {
    const body = { from: { latitude: 40.7128, longitude: -73.9553, country: "us" }, lines: [{ sku: "TEE-BLK-M", reason: "SIZE_TOO_SMALL", condition: "UNOPENED" }, { sku: "MISSING" }] };
    const res = await api(planAction, "/api/v1/returns/plan", { method: "POST", body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { decision: string; unknownSkus: string[]; lines: { outcome: { code: string }; destination: { mode: string; hub: { nodeId: string }; reasons: string[] } }[] };
    expect(plan.decision).toBe("APPROVE");
    expect(plan.unknownSkus).toEqual(["MISSING"]);
    expect(plan.lines[0].outcome.code).toBe("REFUND");
    expect(plan.lines[0].destination).toMatchObject({ mode: "BEST_RECOVERY", hub: { nodeId: hubA.id } });
    expect(plan.lines[0].destination.reasons.join(" ")).toMatch(/Williamsburg hub/);
    expect(await db.returnCase.count({ where: { shopId: shop.id } })).toBe(0); // nothing stored

    // Nearest mode: a customer in Midtown sends it to Midtown, though Williamsburg would recover more.
    await saveReturnSettings(shop.id, { destinationMode: "NEAREST" });
    const midtown = { ...body, from: { latitude: 40.7527, longitude: -73.9772, country: "US" } };
    const nearest = (await (await api(planAction, "/api/v1/returns/plan", { method: "POST", body: JSON.stringify(midtown) })).json()) as typeof plan;
    expect(nearest.lines[0].destination).toMatchObject({ mode: "NEAREST", hub: { nodeId: hubB.id } });
    expect(nearest.lines[0].destination.reasons[0]).toMatch(/Midtown hub is the nearest return hub/);

    const bad = await api(planAction, "/api/v1/returns/plan", { method: "POST", body: JSON.stringify({ from: { country: "USA" }, lines: [] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/from\.country/);
  });

  it("leaves out a hub that does not accept returns, saying so", async () => {
    await db.node.update({ where: { id: hubA.id }, data: { acceptsReturns: false } });
    invalidateQuoteCache(shop.id);
    const body = { from: { latitude: 40.7128, longitude: -73.9553, country: "US" }, lines: [{ sku: "TEE-BLK-M" }] };
    const plan = (await (await api(planAction, "/api/v1/returns/plan", { method: "POST", body: JSON.stringify(body) })).json()) as {
      lines: { destination: { hub: { nodeId: string }; excluded: { nodeId: string; code: string; message: string }[] } }[];
    };
    expect(plan.lines[0].destination.hub.nodeId).toBe(hubB.id);
    expect(plan.lines[0].destination.excluded).toEqual([expect.objectContaining({ nodeId: hubA.id, code: "NOT_ACCEPTING_RETURNS", message: "Williamsburg hub does not accept returns (its setting on the Network page)" })]);
  });

  it("lists returns and moves them; an illegal change is a 409 with the reason and changes nothing", async () => {
    await postWebhook(requestWebhook, "returns/request", requestPayload());
    const list = (await (await api(listLoader, "/api/v1/returns?limit=10")).json()) as { data: { id: string; status: string; version: number }[]; pagination: { nextCursor: null } };
    expect(list.data).toHaveLength(1);
    expect(list.pagination.nextCursor).toBeNull();
    const { id, version } = list.data[0];

    const post = (event: unknown, key?: string) =>
      api(eventsAction, `/api/v1/returns/${id}/events`, { method: "POST", body: JSON.stringify(event), params: { id }, headers: key ? { "Idempotency-Key": key } : {} });
    const illegal = await post({ type: "INSPECT", grade: "A", disposition: "RESTOCK" });
    expect(illegal.status).toBe(409);
    const [line] = (await theCase()).lines;
    expect(line.status).toBe("APPROVED");
    expect(((await illegal.json()) as { error: string }).error).toBe(`Cannot inspect return ${id}/${line.id}: it is approved; only a return that is received can be inspected.`);
    expect((await theCase()).version).toBe(version);

    const stale = await post({ type: "RECEIVE", hubId: hubA.id, expectedVersion: version - 1 });
    expect(stale.status).toBe(409);

    const bad = await post({ type: "INSPECT", grade: "D", disposition: "RESTOCK" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/disposition: a grade D item is not resellable/);

    const ok = await post({ type: "RECEIVE", hubId: hubA.id }, "k-1");
    expect(ok.status).toBe(200);
    const moved = (await ok.json()) as { return: { status: string; version: number; timestamps: { inspectionDueAt: string } } };
    expect(moved.return.status).toBe("RECEIVED");
    expect(moved.return.version).toBe(version + 1);
    const again = (await (await post({ type: "RECEIVE", hubId: hubA.id }, "k-1")).json()) as { duplicate: boolean; return: { version: number } };
    expect(again).toMatchObject({ duplicate: true, return: { version: version + 1 } });

    const received = (await (await api(listLoader, "/api/v1/returns?status=received")).json()) as { data: unknown[] };
    expect(received.data).toHaveLength(1);
  });

  it("keeps shops apart: another shop's key cannot see or move this return", async () => {
    await postWebhook(requestWebhook, "returns/request", requestPayload());
    const { id } = await theCase();
    const other = await makeShop(db, `other-${n}.myshopify.com`);
    const otherKey = (await createApiKey(other.id, "other")).key;
    const otherHub = await makeNode(db, other.id, { name: "Other hub" });
    const list = await listLoader({ request: new Request(`${TEST_SHOPIFY.appUrl}/api/v1/returns`, { headers: { Authorization: `Bearer ${otherKey}` } }), params: {}, context: {} });
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(0);
    let status = 0;
    try {
      await eventsAction({ request: new Request(`${TEST_SHOPIFY.appUrl}/api/v1/returns/${id}/events`, { method: "POST", headers: { Authorization: `Bearer ${otherKey}` }, body: JSON.stringify({ type: "RECEIVE", hubId: otherHub.id }) }), params: { id }, context: {} });
    } catch (thrown) {
      status = (thrown as Response).status;
    }
    expect(status).toBe(404);
    expect((await theCase()).status).toBe("APPROVED");
  });

  it("refuses every change after Shopify cancels the return", async () => {
    await postWebhook(requestWebhook, "returns/request", requestPayload());
    const { id } = await theCase();
    expect((await postWebhook(cancelWebhook, "returns/cancel", requestPayload({ status: "canceled" }))).status).toBe(200);
    expect((await theCase()).status).toBe("CANCELLED");
    await expect(receiveReturn(shop, id, { hubId: hubA.id }, { idempotencyKey: "x", now: Date.now(), source: "test" })).rejects.toThrow(/cancelled/);
  });
});
