// Hostile input to every webhook route, sent as Shopify would sign it (the HMAC covers the body
// only): each of the 19 subscriptions in shopify.app.toml refuses a topic header that is not its
// own, an invalid or duplicated X-Shopify-Shop-Domain, broken Unicode and a body whose state does
// not fit its topic, with a 4xx naming what is wrong and nothing written; and deliveries are
// deduplicated by event id and by what the signed body says, not only by the unsigned webhook id.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Prisma } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ensureShop } from "~/services/shops.server";
import { routeFileOf, webhookSubscriptions } from "../support/app-toml";
import { makeSession, makeShop } from "../support/factories";
import { webhookRequest, type WebhookOptions } from "../support/shopify";
import { webhookBodies } from "../support/webhook-bodies";

type Action = (args: { request: Request; params: object; context: object }) => Promise<Response>;
const SHOP = "hostile-alpha.myshopify.com";
const fixtures = path.join(__dirname, "../fixtures");
const json = (file: string) => JSON.parse(readFileSync(path.join(fixtures, file), "utf8").replaceAll("{shop}.myshopify.com", SHOP));

const subscriptions = webhookSubscriptions().map((s) => ({ topic: s.topics[0], uri: s.uri! }));
const actions = new Map<string, Action>();

beforeAll(async () => {
  for (const s of subscriptions) actions.set(s.topic, (await import(routeFileOf(s.uri))).action as Action);
});

let shopId: string;
beforeEach(async () => {
  await db.shop.deleteMany();
  await db.session.deleteMany();
  shopId = (await makeShop(db, SHOP)).id;
  await makeSession(db, SHOP);
});

async function post(topic: string, body: unknown, opts: Partial<WebhookOptions> & { route?: string } = {}) {
  const uri = subscriptions.find((s) => s.topic === (opts.route ?? topic))!.uri;
  const res = await actions.get(opts.route ?? topic)!({ request: webhookRequest(uri, body, { shop: SHOP, topic, ...opts }), params: {}, context: {} });
  const text = await res.text();
  return { status: res.status, error: text ? (JSON.parse(text) as { error?: string }).error : undefined };
}

/** Every row of the shop in every table with a shopId, plus its sessions: "nothing written" compares these. */
async function everything() {
  const counts: Record<string, number> = { sessions: await db.session.count({ where: { shop: SHOP } }) };
  for (const model of Prisma.dmmf.datamodel.models) {
    if (!model.fields.some((f) => f.name === "shopId")) continue;
    const delegate = (db as unknown as Record<string, { count: (a: object) => Promise<number> }>)[model.name[0].toLowerCase() + model.name.slice(1)];
    counts[model.name] = await delegate.count({ where: { shopId } });
  }
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  return { counts, uninstalledAt: shop.uninstalledAt, scopes: shop.scopes };
}

const BODIES = webhookBodies(SHOP);

describe("every webhook route", () => {
  it("covers the 19 topics of shopify.app.toml", () => {
    expect(subscriptions.map((s) => s.topic).sort()).toEqual(Object.keys(BODIES).sort());
    expect(subscriptions).toHaveLength(19);
  });

  it.each(subscriptions.map((s) => s.topic))("%s: refuses a signed body sent under another topic, with 400 naming X-Shopify-Topic, and writes nothing", async (topic) => {
    const before = await everything();
    for (const other of subscriptions.map((s) => s.topic).filter((t) => t !== topic)) {
      const res = await post(other, BODIES[topic].fits, { route: topic });
      expect(res.status, `${other} on ${topic}`).toBe(400);
      expect(res.error).toBe(`X-Shopify-Topic: "${other}" is not this route's topic (${topic})`);
    }
    expect(await everything()).toEqual(before);
  });

  it.each(subscriptions.map((s) => s.topic))("%s: refuses an invalid or duplicated X-Shopify-Shop-Domain with 400 naming it, and writes nothing", async (topic) => {
    const before = await everything();
    for (const [shop, why] of [
      ["not a shop", '"not a shop" is not a shop domain such as example.myshopify.com'],
      ["evil.example.com", '"evil.example.com" is not a shop domain such as example.myshopify.com'],
      [`${SHOP}, bravo.myshopify.com`, "must appear once (got 2 values)"],
      [`${SHOP}, ${SHOP}`, "must appear once (got 2 values)"],
      ["", "is required"],
    ]) {
      const res = await post(topic, BODIES[topic].fits, { shop });
      expect(res.status, shop).toBe(400);
      expect(res.error).toBe(`X-Shopify-Shop-Domain: ${why}`);
    }
    expect(await everything()).toEqual(before);
  });

  it.each(subscriptions.map((s) => s.topic))("%s: refuses broken Unicode (a lone surrogate, NUL, bytes that are not UTF-8) with 400, and writes nothing", async (topic) => {
    const before = await everything();
    const lone = await post(topic, '{"id":"\\ud800","admin_graphql_api_id":"gid://shopify/Return/\\ud800"}');
    expect(lone).toEqual({ status: 400, error: "id: not well-formed Unicode (a lone surrogate or NUL)" });
    const trail = await post(topic, '{"customer":{"id":"191167\\udc00"}}');
    expect(trail).toEqual({ status: 400, error: "customer.id: not well-formed Unicode (a lone surrogate or NUL)" });
    const nul = await post(topic, '{"id":"1\\u0000"}');
    expect(nul).toEqual({ status: 400, error: "id: not well-formed Unicode (a lone surrogate or NUL)" });
    const bytes = new Uint8Array([...Buffer.from('{"id":"'), 0xff, 0xfe, ...Buffer.from('"}')]);
    expect(await post(topic, bytes)).toEqual({ status: 400, error: "body: not valid UTF-8" });
    expect(await everything()).toEqual(before);
  });

  it.each(Object.entries(BODIES).filter(([, b]) => b.misfit).map(([topic]) => topic))("%s: refuses a signed body whose state does not fit the topic with 422 naming the field, and writes nothing", async (topic) => {
    const before = await everything();
    const { body, field } = BODIES[topic].misfit!;
    const res = await post(topic, body);
    expect(res.status).toBe(422);
    expect(res.error?.startsWith(`${field}: `), res.error).toBe(true);
    expect(await everything()).toEqual(before);
  });
});

describe("deduplication by what the signed body says", () => {
  it("applies the same customers/redact body once, whatever webhook and event ids it comes under", async () => {
    const body = json("webhooks/customers-redact.json");
    expect((await post("customers/redact", body, { webhookId: "r-1", eventId: "e-1" })).status).toBe(200);
    expect((await post("customers/redact", body, { webhookId: "r-2", eventId: "e-2" })).status).toBe(200);
    expect(await db.privacyRequest.count({ where: { shopId } })).toBe(1);
    // A later request for the same customer with other orders is a new one.
    expect((await post("customers/redact", { ...body, orders_to_redact: [1] }, { webhookId: "r-3" })).status).toBe(200);
    expect(await db.privacyRequest.count({ where: { shopId } })).toBe(2);
  });

  it("skips a delivery whose X-Shopify-Event-Id was seen for the topic, under a new webhook id", async () => {
    const body = json("webhooks/customers-data_request.json");
    expect((await post("customers/data_request", body, { webhookId: "d-1", eventId: "event-77" })).status).toBe(200);
    const again = { ...body, data_request: { id: 10000 } };
    expect((await post("customers/data_request", again, { webhookId: "d-2", eventId: "event-77" })).status).toBe(200);
    expect(await db.privacyRequest.count({ where: { shopId } })).toBe(1);
    expect((await post("customers/data_request", again, { webhookId: "d-3", eventId: "event-78" })).status).toBe(200);
    expect(await db.privacyRequest.count({ where: { shopId } })).toBe(2);
    expect(await db.webhookDelivery.findMany({ where: { shopId }, select: { webhookId: true, eventId: true, topic: true }, orderBy: { webhookId: "asc" } })).toEqual([
      { webhookId: "d-1", eventId: "event-77", topic: "customers/data_request" },
      { webhookId: "d-3", eventId: "event-78", topic: "customers/data_request" },
    ]);
  });

  it("keeps the newest granted scopes when an older app/scopes_update arrives late", async () => {
    const newer = { id: 1, previous: ["read_products"], current: ["read_products", "read_orders", "write_returns"], updated_at: "2026-11-25T12:00:05Z" };
    const older = { id: 1, previous: ["read_products"], current: ["read_products"], updated_at: "2026-11-25T12:00:00Z" };
    expect((await post("app/scopes_update", newer)).status).toBe(200);
    expect((await post("app/scopes_update", older)).status).toBe(200);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).scopes).toBe("read_products,read_orders,write_returns");
    expect((await db.session.findFirstOrThrow({ where: { shop: SHOP } })).scope).toBe("read_products,read_orders,write_returns");
  });

  it("does not mark a reinstalled shop uninstalled when the old app/uninstalled body is replayed under new ids", async () => {
    const body = { id: 1, myshopify_domain: SHOP, updated_at: "2026-11-25T09:00:00-05:00" };
    expect((await post("app/uninstalled", body, { webhookId: "u-1" })).status).toBe(200);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeInstanceOf(Date);
    await ensureShop(SHOP); // the merchant installs again
    await makeSession(db, SHOP);
    expect((await post("app/uninstalled", body, { webhookId: "u-2", eventId: "e-new" })).status).toBe(200);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeNull();
    expect(await db.session.count({ where: { shop: SHOP } })).toBe(1);
    // A later uninstall is a newer state of the shop and is applied.
    expect((await post("app/uninstalled", { ...body, updated_at: "2026-11-26T09:00:00-05:00" }, { webhookId: "u-3" })).status).toBe(200);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeInstanceOf(Date);
  });
});
