// Nothing about a return is lost if the process dies between steps: a real child process takes a
// signed returns/request webhook and exits right after the decision's commit, as its call to
// Shopify goes out and before Shopify answers it, or right after answering the webhook, before deciding. A new process (this one) runs
// the outbox or the returns job, which approve the return in Shopify exactly once.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { db } from "~/db.server";
import { runReturnOutbox } from "~/services/returns/effects.server";
import { decidePendingReturns } from "~/services/returns/request.server";
import { saveQuoteConfig } from "~/services/shipping-settings.server";
import { bikeCourier } from "../../core/fixtures";
import fixture from "../../fixtures/shopify/returns/returns-request.json";
import { useFakeAdminApi } from "../../support/fake-admin-api";
import { makeNode, makeOrder, makeProduct, makeSession, makeShop } from "../../support/factories";

const shopify = useFakeAdminApi();
const calls = () => shopify.calls.map((c) => ({ operation: c.operation, id: c.variables.input?.id }));

/** A shop with a hub, the fixture's product and order, and a courier: what the fixture's return needs. */
async function crashShop(domain: string) {
  const shop = await makeShop(db, domain);
  await makeSession(db, domain);
  const hub = await makeNode(db, shop.id, { name: `${domain} hub` });
  const tee = await makeProduct(db, shop.id, { sku: "TEE-BLK-M" });
  await makeOrder(db, shop.id, tee.id, { name: "#1001", shopifyOrderId: "gid://shopify/Order/450789469" });
  await saveQuoteConfig(shop.id, { couriers: [bikeCourier({ surge: [] })] });
  // The hub has no local sales, so it would lose money on the tee: the merchant brings items back anyway.
  await db.returnSettings.create({ data: { shopId: shop.id, shipBackAtALoss: true } });
  return { shop, hub };
}

/** Runs crash-child.ts in its own process (returns job off); its exit status. */
function deliverInChild(domain: string, webhookId: string, when: "committed" | "answered") {
  const root = path.resolve(__dirname, "../../..");
  const child = spawnSync(
    path.join(root, "node_modules/.bin/vite-node"),
    ["--config", "vitest.config.ts", "test/services/returns/support/crash-child.ts", domain, JSON.stringify(fixture), webhookId, when],
    { cwd: root, env: { ...process.env, NEARHUB_RETURNS_JOB: "0" }, encoding: "utf8", timeout: 60_000 },
  );
  return { status: child.status, stderr: child.stderr };
}

it("completes, after a restart, a flow whose process died between the commit and the Shopify call", async () => {
  const { shop, hub } = await crashShop("crash-shop.myshopify.com");
  const child = deliverInChild("crash-shop.myshopify.com", "wh-crash", "committed");
  expect(child.status, child.stderr).toBe(137);

  const c = await db.returnCase.findFirstOrThrow({ where: { shopId: shop.id }, include: { events: true } });
  expect(c).toMatchObject({ status: "APPROVED", destinationNodeId: hub.id });
  expect(c.events.filter((e) => e.effectsDoneAt === null)).toHaveLength(1);
  expect(calls()).toEqual([]);

  const restart = await runReturnOutbox({ shopId: shop.id });
  expect(restart, restart.errors.join("; ")).toMatchObject({ done: 1, failed: 0 });
  expect(await runReturnOutbox({ shopId: shop.id })).toMatchObject({ done: 0, failed: 0 });
  expect(calls()).toEqual([{ operation: "NearhubReturnApprove", id: fixture.admin_graphql_api_id }]);
}, 90_000);

it("decides, from the returns job, a return whose process died right after answering its webhook", async () => {
  const { shop, hub } = await crashShop("crash-early-shop.myshopify.com");
  const child = deliverInChild("crash-early-shop.myshopify.com", "wh-crash-early", "answered");
  expect(child.status, child.stderr).toBe(138);

  // Recorded with its delivery, not decided.
  const recorded = await db.returnCase.findFirstOrThrow({ where: { shopId: shop.id }, include: { lines: true } });
  expect(recorded).toMatchObject({ status: "REQUESTED", decisionJson: "{}" });
  expect(recorded.lines.map((l) => l.status)).toEqual(["REQUESTED"]);
  expect(await db.webhookDelivery.count({ where: { shopId: shop.id, webhookId: "wh-crash-early" } })).toBe(1);

  // The next process's returns job: too recent to be abandoned yet, then decided once, then nothing.
  expect(await decidePendingReturns(Date.now())).toBe(0);
  const later = Date.now() + 61_000;
  expect(await decidePendingReturns(later)).toBe(1);
  expect(await decidePendingReturns(later)).toBe(0);
  const decided = await db.returnCase.findUniqueOrThrow({ where: { id: recorded.id } });
  expect(decided).toMatchObject({ status: "APPROVED", destinationNodeId: hub.id });
  expect(calls()).toEqual([{ operation: "NearhubReturnApprove", id: fixture.admin_graphql_api_id }]);
}, 90_000);
