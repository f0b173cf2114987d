// From Shopify's stock to the ad platform, end to end on the real routes and the real job engine:
// inventory_levels/update (signed, as Shopify delivers it) sets the hub's level of an advertised
// SKU to 0, and in the same transaction enqueues the hub's campaigns.guard-hub; that job writes the
// guardrail's PAUSE, and campaigns.apply pauses the campaign on the sandbox. A permit recorded as
// lapsed does the same through the hub's availability (the one gate). The routes read the real
// clock, so the hub is open around the clock (its same-day hours never decide the outcome here).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as inventoryLevelUpdate } from "~/routes/webhooks.inventory_levels.update";
import { MARKETING_JOB } from "~/services/campaigns/apply.server";
import { campaignDetail, launchCampaign } from "~/services/campaigns/index.server";
import { jobDefinition } from "~/services/jobs/define.server";
import { defineJob, drainJobs, listJobs } from "~/services/jobs/index.server";
import { createPermit } from "~/services/permits/repository.server";
import { recordingSleep } from "../../support/clock";
import { makeSession } from "../../support/factories";
import { webhookRequest } from "../../support/shopify";
import { seedHub, type SeededHub } from "./plan-hub.fixture";

if (!jobDefinition(MARKETING_JOB)) {
  defineJob({ name: MARKETING_JOB, switch: "insights", retries: 0, backoff: { type: "fixed", delayMs: 1000 }, timeout: 10_000, run: async () => undefined });
}

const LOCATION = "gid://shopify/Location/7001";
let seeded: SeededHub;
const { sleep } = recordingSleep();

beforeAll(async () => {
  seeded = await seedHub(db, "guard-webhook-alpha.myshopify.com", Date.now(), { allDay: true });
  await makeSession(db, seeded.shop.domain);
  await db.node.update({ where: { id: seeded.hub.id }, data: { shopifyLocationId: LOCATION } });
  for (const [i, p] of seeded.products.entries()) {
    await db.product.update({ where: { id: p.id }, data: { shopifyInventoryItemId: `gid://shopify/InventoryItem/${9001 + i}` } });
  }
});

describe("inventory_levels/update → campaigns.guard-hub → campaigns.apply", () => {
  it("pauses the hub's campaign when Shopify says its stock ran out", async () => {
    const launched = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX", skus: [seeded.products[0].sku] });
    await drainJobs({ names: ["campaigns.apply"], sleep });
    expect((await campaignDetail(seeded.shop.id, launched.id))!.status).toBe("ACTIVE");

    const payload = { inventory_item_id: 9001, location_id: 7001, available: 0, updated_at: new Date().toISOString(), admin_graphql_api_id: "gid://shopify/InventoryLevel/1?inventory_item_id=9001" };
    const res = await inventoryLevelUpdate({
      request: webhookRequest("/webhooks/inventory_levels/update", payload, { shop: seeded.shop.domain, topic: "inventory_levels/update", webhookId: "inv-guard-1" }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(200);
    const queued = await listJobs({ name: "campaigns.guard-hub", shopId: seeded.shop.id, states: ["waiting"] });
    expect(queued.map((j) => j.payload)).toEqual([{ shopId: seeded.shop.id, nodeId: seeded.hub.id }]);

    await drainJobs({ names: ["campaigns.guard-hub"], sleep });
    const pending = (await campaignDetail(seeded.shop.id, launched.id))!;
    expect(pending).toMatchObject({ status: "ACTIVE", wantStatus: "PAUSED", pendingChange: true });
    expect(pending.changes[0].reasons.map((r) => r.code)).toContain("CAMPAIGN_LOW_STOCK");

    await drainJobs({ names: ["campaigns.apply"], sleep });
    expect((await campaignDetail(seeded.shop.id, launched.id))!.status).toBe("PAUSED");
  });
});

describe("a permit change → campaigns.guard-hub", () => {
  it("pauses the hub's campaign when its fire inspection is recorded as lapsed", async () => {
    await db.stockLevel.updateMany({ where: { shopId: seeded.shop.id, nodeId: seeded.hub.id }, data: { available: 40 } });
    const launched = await launchCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" });
    await drainJobs({ names: ["campaigns.apply"], sleep });
    expect((await campaignDetail(seeded.shop.id, launched.id))!.status).toBe("ACTIVE");

    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await createPermit(seeded.shop.id, {
      subjectType: "NODE", subjectId: seeded.hub.id, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: day(-400), expiresOn: day(-30),
      recurrence: "ANNUAL_INSPECTION", graceDays: 3, gates: ["OPERATE"],
    });
    const queued = await listJobs({ name: "campaigns.guard-hub", shopId: seeded.shop.id, states: ["waiting"] });
    expect(queued.map((j) => j.payload)).toContainEqual({ shopId: seeded.shop.id, nodeId: seeded.hub.id });

    await drainJobs({ names: ["campaigns.guard-hub"], sleep });
    const pending = (await campaignDetail(seeded.shop.id, launched.id))!;
    expect(pending).toMatchObject({ status: "ACTIVE", wantStatus: "PAUSED" });
    expect(pending.changes[0].reasons.map((r) => r.code)).toContain("CAMPAIGN_HUB_UNAVAILABLE");
    expect(pending.changes[0].reasons.find((r) => r.code === "CAMPAIGN_HUB_UNAVAILABLE")!.sentence).toMatch(/lapsed/);
    await drainJobs({ names: ["campaigns.apply"], sleep });
    expect((await campaignDetail(seeded.shop.id, launched.id))!.status).toBe("PAUSED");
  });
});
