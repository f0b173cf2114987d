import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { networkOverview, weeklyCounts } from "~/services/overview.server";
import { makeNode, makeOrder, makeProduct, makeShop } from "../support/factories";
import { makeCampaign } from "../support/campaign-rows";

describe("weeklyCounts", () => {
  it("buckets orders into Monday-start UTC weeks, keeping empty weeks", () => {
    const from = new Date("2026-11-02T00:00:00Z"); // a Monday
    const to = new Date("2026-11-25T12:00:00Z");
    const weeks = weeklyCounts(
      [new Date("2026-11-02T01:00:00Z"), new Date("2026-11-08T23:59:00Z"), new Date("2026-11-24T10:00:00Z")],
      from,
      to,
    );
    expect(weeks).toEqual([
      { weekStart: "2026-11-02", orders: 2 },
      { weekStart: "2026-11-09", orders: 0 },
      { weekStart: "2026-11-16", orders: 0 },
      { weekStart: "2026-11-23", orders: 1 },
    ]);
  });
});

describe("networkOverview", () => {
  it("counts only the shop's own rows", async () => {
    const mine = await makeShop(db);
    const other = await makeShop(db);
    await makeNode(db, mine.id);
    await makeNode(db, other.id);
    await makeNode(db, other.id);
    const product = await makeProduct(db, other.id);
    await makeOrder(db, other.id, product.id, { placedAt: new Date("2026-11-20T10:00:00Z") });
    const overview = await networkOverview(mine.id, new Date("2026-11-25T12:00:00Z"));
    expect(overview.activeNodes).toBe(1);
    expect(overview.ordersLast30Days).toBe(0);
    expect(overview.ordersByWeek.reduce((n, w) => n + w.orders, 0)).toBe(0);
    expect(overview.ordersByWeek).toHaveLength(53);
  });
});

describe("the Overview's to-do list", () => {
  it("lists what waits for the merchant, most urgent first, each a link, and only the shop's own", async () => {
    const now = new Date("2026-12-14T15:00:00Z");
    const setup = async () => {
      const shop = await makeShop(db);
      const hub = await makeNode(db, shop.id, { name: "Williamsburg Micro-hub" });
      const c = await db.returnCase.create({ data: { shopId: shop.id, status: "RECEIVED", currency: "USD", requestedAt: new Date("2026-12-10T10:00:00Z") } });
      for (const due of ["2026-12-14T10:00:00Z", "2026-12-14T20:00:00Z"]) {
        await db.returnLine.create({
          data: { shopId: shop.id, returnId: c.id, quantity: 1, valueMinor: 2500, status: "RECEIVED", inspectionDueAt: new Date(due), changedAt: now, requestedAt: now },
        });
      }
      const decision = await db.routingDecision.create({
        data: { shopId: shop.id, orderGid: `gid://shopify/Order/${shop.id}`, orderName: "#1042", source: "WEBHOOK", mode: "AUTO", status: "FAILED", currency: "USD", totalCostMinor: 1200, alternativesJson: "{}", reasonsJson: "{}", createdAt: new Date("2026-12-14T09:00:00Z") },
      });
      for (const [position, service] of [[0, "SAME_DAY"], [1, "STANDARD"]] as const) {
        await db.routingShipment.create({
          data: { shopId: shop.id, decisionId: decision.id, position, nodeId: hub.id, nodeHandle: hub.handle, nodeName: hub.name, service, serviceCode: `NH:${hub.handle}:${service}`, currency: "USD", forwardMinor: 600, expectedReverseMinor: 0, totalMinor: 600, keepsPromise: true },
        });
      }
      await db.permit.create({
        data: { shopId: shop.id, subjectType: "NODE", subjectId: hub.id, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: "2025-12-01", expiresOn: "2026-12-01", recurrence: "ANNUAL_INSPECTION", gatesJson: '["OPERATE"]' },
      });
      return { shop, decision };
    };
    const { shop, decision } = await setup();
    await setup(); // another shop with the same troubles

    const overview = await networkOverview(shop.id, now);
    expect(overview.todos.map((t) => [t.label, t.text, t.href])).toEqual([
      ["Overdue", "1 returned item waited past the inspection deadline", "/app/returns"],
      ["Out of service", "Fire inspection for Williamsburg Micro-hub lapsed on 2 Dec: what it gates is out of service until it is renewed", "/app/compliance"],
      ["Not moved in Shopify", "Order #1042 was routed but Shopify refused to move its fulfillment orders", `/app/routing/${decision.id}`],
      ["Due soon", "1 returned item must be inspected in the next 12 hours", "/app/returns"],
    ]);
    expect(overview.ordersToday).toEqual([expect.objectContaining({ name: "Williamsburg Micro-hub", orders: 0, capacity: 100 })]);
    expect(overview.sameDayShare).toEqual({ value: 0.5, previous: null });
    expect(overview.costPerOrder).toMatchObject({ value: 1200, previous: null, text: "$12.00" });
  });

  it("names campaigns a guardrail paused with why, those the platform keeps refusing, and ad accounts to reconnect, each a link", async () => {
    const now = new Date("2026-12-14T15:00:00Z");
    const setup = async () => {
      const shop = await makeShop(db);
      const hub = await makeNode(db, shop.id, { name: "Williamsburg Micro-hub" });
      const paused = await makeCampaign(db, shop.id, hub.id, {
        name: "Williamsburg same-day test",
        status: "PAUSED",
        wantStatus: "PAUSED",
        lastReasonsJson: JSON.stringify([{ code: "CAMPAIGN_LOW_STOCK", message: "only 2 Stoneware mugs left at Williamsburg Micro-hub" }]),
      });
      await db.campaignChange.create({ data: { shopId: shop.id, campaignId: paused.id, action: "PAUSE", actor: "GUARDRAIL", state: "APPLIED", fromStatus: "ACTIVE", toStatus: "PAUSED" } });
      // Paused by the merchant: nothing to do.
      const mine = await makeCampaign(db, shop.id, hub.id, { status: "PAUSED", wantStatus: "PAUSED" });
      await db.campaignChange.create({ data: { shopId: shop.id, campaignId: mine.id, action: "PAUSE", actor: "MERCHANT", state: "APPLIED" } });
      const stuck = await makeCampaign(db, shop.id, hub.id, { name: "Brooklyn evening test", lastError: "Meta is temporarily unavailable" });
      await db.adConnection.create({ data: { shopId: shop.id, platform: "META", accountId: "act_1", currency: "USD", status: "RECONNECT" } });
      return { shop, paused, stuck };
    };
    const { shop, paused, stuck } = await setup();
    await setup(); // another shop with the same troubles

    const todos = (await networkOverview(shop.id, now)).todos.filter((t) => /campaign|ads/.test(t.href));
    expect(todos.map((t) => [t.label, t.text, t.href])).toEqual([
      ["Reconnect", "Meta (Facebook and Instagram) refused Nearhub's access: campaigns there cannot be paused or resumed until you reconnect", "/app/settings/ads"],
      ["Platform not answering", "Brooklyn evening test: a change keeps failing on the platform (Meta is temporarily unavailable); Nearhub keeps trying", `/app/campaigns/${stuck.id}`],
      ["Campaign paused", "Williamsburg same-day test around Williamsburg Micro-hub was paused by its guardrails: only 2 Stoneware mugs left at Williamsburg Micro-hub", `/app/campaigns/${paused.id}`],
    ]);
  });
});
