// The work a return costs must not grow with the square of its lines again (issue 9: each line
// reloaded the whole return and scanned its events, so 1,000 lines took a minute). Measured without
// a clock: the SQL statements the database driver receives (better-sqlite3's prepare, node-postgres'
// query) while a signed returns/request is recorded, while it is decided, and while signed
// returns/approve and returns/decline webhooks and an open-API event move every line. A 1,000-line
// return must cost exactly as many statements as a 10-line one: every line of a change is written
// by one statement per table.
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action as eventsAction } from "~/routes/api.v1.returns.$id.events";
import { action as approveWebhook } from "~/routes/webhooks.returns.approve";
import { action as declineWebhook } from "~/routes/webhooks.returns.decline";
import { action as requestWebhook } from "~/routes/webhooks.returns.request";
import { createApiKey } from "~/services/api-keys.server";
import { saveReturnSettings } from "~/services/return-settings.server";
import { settleReturnDecisions } from "~/services/returns/request.server";
import { saveQuoteConfig } from "~/services/shipping-settings.server";
import { bikeCourier } from "../../core/fixtures";
import { useFakeAdminApi } from "../../support/fake-admin-api";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../../support/factories";
import { largeReturnPayload } from "../../support/returns-load";
import { TEST_SHOPIFY, webhookRequest } from "../../support/shopify";

const shopify = useFakeAdminApi();
afterEach(() => vi.restoreAllMocks());

// The copy of better-sqlite3 that Prisma's adapter loads (it may have its own).
const require = createRequire(import.meta.url);
const Database = createRequire(require.resolve("@prisma/adapter-better-sqlite3"))("better-sqlite3") as typeof BetterSqlite3;

/** Counts the statements the driver is asked to run from now on, until stopped. */
function countStatements() {
  const spy = process.env.DATABASE_URL!.startsWith("file:") ? vi.spyOn(Database.prototype, "prepare") : vi.spyOn(pg.Client.prototype, "query");
  return {
    count: () => spy.mock.calls.length,
    stop: () => spy.mockRestore(),
  };
}

/** The statements the driver is asked to run while `work` runs. */
async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const counter = countStatements();
  try {
    await work();
    return counter.count();
  } finally {
    counter.stop();
  }
}

let returnIds = 8_100_000;

/** One shop, one order, `lines`-line returns through the real routes; the statements of each step. */
async function measure(lines: number) {
  const domain = `linear-${lines}.myshopify.com`;
  const shop = await makeShop(db, domain);
  await makeSession(db, domain);
  const hub = await makeNode(db, shop.id, { name: "Williamsburg hub" });
  const products = [];
  for (let i = 0; i < 10; i++) products.push(await makeProduct(db, shop.id, { sku: `LIN-${i}` }));
  const orderGid = `gid://shopify/Order/${7_000 + lines}`;
  await makeOrder(db, shop.id, products[0].id, { shopifyOrderId: orderGid, placedAt: new Date(Date.now() - 3 * 86_400_000) });
  await saveQuoteConfig(shop.id, { couriers: [bikeCourier({ surge: [] })] });
  // Only LIN-0 has sold nearby, so the hub would lose money on the others: the merchant brings them back anyway.
  await saveReturnSettings(shop.id, { shipBackAtALoss: true });
  const order = { shopifyOrderId: orderGid, skus: products.map((p) => p.sku) };
  const deliver = (action: typeof requestWebhook, topic: string, body: unknown) =>
    action({ request: webhookRequest(`/webhooks/${topic}`, body, { shop: domain, topic }), params: {}, context: {} });
  const caseOf = (gid: string) => db.returnCase.findFirstOrThrow({ where: { shopId: shop.id, shopifyReturnGid: gid }, include: { lines: true } });
  const statuses = async (gid: string) => [...new Set((await caseOf(gid)).lines.map((l) => l.status))];

  // Auto-approve on: the request is recorded and answered, then decided and approved by the rules.
  // One count throughout: the decision starts in the background as soon as the answer is out.
  const requested = largeReturnPayload(++returnIds, order, lines);
  const counter = countStatements();
  const answer = await deliver(requestWebhook, "returns/request", requested);
  const record = counter.count();
  await settleReturnDecisions();
  const decide = counter.count() - record;
  counter.stop();
  expect(answer.status).toBe(200);
  const decided = await caseOf(requested.admin_graphql_api_id);
  expect(decided.lines).toHaveLength(lines);
  expect(new Set(decided.lines.map((l) => `${l.status} ${l.destinationNodeId === hub.id ? "at the hub" : l.destinationNodeId}`))).toEqual(new Set(["APPROVED at the hub"]));
  // Every line's reasons are stored; lines decided alike (the same SKU) once.
  const stored = JSON.parse(decided.decisionJson) as { lines: { lineIds: string[] }[] };
  expect(stored.lines.flatMap((l) => l.lineIds).sort()).toEqual(decided.lines.map((l) => l.id).sort());

  // The open API moves every line at once: received at the hub.
  const { key } = await createApiKey(shop.id, "linear");
  const receive = await statementsDuring(async () => {
    const res = await eventsAction({
      request: new Request(`${TEST_SHOPIFY.appUrl}/api/v1/returns/${decided.id}/events`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Idempotency-Key": `receive-${lines}` },
        body: JSON.stringify({ type: "RECEIVE", hubId: hub.id }),
      }),
      params: { id: decided.id },
      context: {},
    });
    expect(res.status).toBe(200);
  });
  expect(await statuses(requested.admin_graphql_api_id)).toEqual(["RECEIVED"]);

  // Auto-approve off: the merchant approves one return and declines another in Shopify.
  await saveReturnSettings(shop.id, { autoApprove: false, shipBackAtALoss: true });
  const toApprove = largeReturnPayload(++returnIds, order, lines);
  const toDecline = largeReturnPayload(++returnIds, order, lines);
  for (const p of [toApprove, toDecline]) await deliver(requestWebhook, "returns/request", p);
  await settleReturnDecisions();
  const approve = await statementsDuring(() => deliver(approveWebhook, "returns/approve", { ...toApprove, status: "open" }));
  const decline = await statementsDuring(() =>
    deliver(declineWebhook, "returns/decline", { ...toDecline, status: "declined", decline: { reason: "other", note: "Declined in Shopify" } }),
  );
  expect(await statuses(toApprove.admin_graphql_api_id)).toEqual(["APPROVED"]);
  expect(await statuses(toDecline.admin_graphql_api_id)).toEqual(["DECLINED"]);
  return { record, decide, receive, approve, decline };
}

describe("the work of a return, in SQL statements", () => {
  it("is the same for 1,000 lines as for 10: recording, deciding, and moving every line by webhook or API", async () => {
    await measure(2); // first use: connections opened, sessions loaded, once per process
    const small = await measure(10);
    const large = await measure(1000);
    // Every step touches the database, and none more for a larger return.
    for (const n of Object.values(small)) expect(n).toBeGreaterThan(0);
    expect(large).toEqual(small);
    // Shopify was told once per auto-approved return, not once per line.
    expect(shopify.operations()).toEqual(["NearhubReturnApprove", "NearhubReturnApprove", "NearhubReturnApprove"]);
  }, 180_000);
});
