// Planning a campaign around a seeded hub on a real database: the circle stays within the hub's
// same-day reach and the platform's limits, the demand cells come from the orders around it (far
// ones left out), the products are those with stock (the restocked returns counted), the landed
// cost is explained, the sandbox's payloads are the adapter's preview, and a platform that is not
// connected still gets a plan, saying so. Bad input names the field; another shop's hub is unknown.
import { cellToLatLng } from "h3-js";
import { beforeAll, describe, expect, it } from "vitest";
import { greatCircleM } from "~/core/geo/distance";
import { RADIUS_LIMITS } from "~/core/promotions";
import { db } from "~/db.server";
import { connectSandbox } from "~/services/ads/connections.server";
import { CampaignInputError, planCampaign } from "~/services/campaigns/index.server";
import { makeNode, makeShop } from "../../support/factories";
import { MONDAY_10AM_NY, seedHub, type SeededHub } from "./plan-hub.fixture";

let seeded: SeededHub;
let otherHubId: string;

beforeAll(async () => {
  seeded = await seedHub(db, "plan-alpha.myshopify.com");
  await connectSandbox(seeded.shop.id, seeded.shop.currency);
  const other = await makeShop(db, "plan-bravo.myshopify.com");
  otherHubId = (await makeNode(db, other.id, { name: "Bravo hub" })).id;
});

async function inputError(p: Promise<unknown>): Promise<CampaignInputError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CampaignInputError);
  return error as CampaignInputError;
}

describe("planCampaign", () => {
  it("sizes the circle to the hub's same-day reach, weights the cells by past orders and picks the stocked products", async () => {
    const { plan, payloads, connection } = await planCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX" }, MONDAY_10AM_NY);
    expect(plan.launchable).toBe(true);
    expect(plan.hubId).toBe(seeded.hub.id);
    expect(plan.area.radiusM).toBeGreaterThanOrEqual(RADIUS_LIMITS.SANDBOX.minM);
    expect(plan.area.radiusM).toBeLessThanOrEqual(6000);
    // Every demand cell is inside the circle, and together they hold every order counted.
    expect(plan.area.cells.length).toBeGreaterThan(0);
    for (const c of plan.area.cells) {
      const [lat, lng] = cellToLatLng(c.h3);
      expect(greatCircleM(plan.area.latitude, plan.area.longitude, lat, lng)).toBeLessThanOrEqual(plan.area.radiusM + 1000);
    }
    const orders = plan.area.cells.reduce((s, c) => s + c.orders, 0);
    expect(orders).toBeGreaterThan(0);
    expect(orders).toBeLessThanOrEqual(40); // the far-away orders are not in it
    expect(plan.area.cells.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 5);

    const skus = plan.products.map((p) => p.sku).sort();
    expect(skus).toEqual([seeded.products[0].sku, seeded.products[1].sku].sort()); // the mug (1 unit) is too thin
    const tee = plan.products.find((p) => p.sku === seeded.products[0].sku)!;
    expect(tee.restockedReturns).toBe(2);
    expect(tee.onHand).toBe(40);

    expect(plan.budget.dailyMinor).toBeGreaterThanOrEqual(plan.budget.minimumMinor);
    expect(plan.hours.windows.length).toBeGreaterThan(0);
    expect(plan.utm.campaign).toContain(seeded.hub.handle);
    expect(plan.explanation.some((e) => e.startsWith("same-day reach"))).toBe(true);
    expect(plan.explanation.some((e) => e.startsWith("landed cost per order"))).toBe(true);

    expect(connection).toMatchObject({ platform: "SANDBOX", connected: true });
    expect(payloads.length).toBeGreaterThan(0);
    expect(JSON.stringify(payloads)).toContain("custom_locations");
  });

  it("plans for a platform that is not connected, saying so, with the requests drafted for a placeholder account", async () => {
    const { plan, payloads, connection } = await planCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "META", days: 14 }, MONDAY_10AM_NY);
    expect(connection).toMatchObject({ platform: "META", connected: false });
    expect(payloads.length).toBeGreaterThan(0);
    expect(payloads.every((p) => p.url.includes("{account_id}"))).toBe(true);
    expect(JSON.stringify(payloads)).toContain("special_ad_categories");
    expect(plan.budget.days).toBe(14);
    expect(plan.explanation.some((e) => e.includes("not connected"))).toBe(true);
  });

  it("narrows the circle to a radius asked for", async () => {
    const { plan } = await planCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX", radiusM: 1500 }, MONDAY_10AM_NY);
    expect(plan.area.radiusM).toBeLessThanOrEqual(1500);
  });

  it.each([
    ["an unknown hub", { nodeId: "no-such-hub" }, "nodeId"],
    ["no hub at all", { nodeId: undefined }, "nodeId"],
    ["a radius under the platform's minimum", { radiusM: 200 }, "radiusM"],
    ["a radius wider than the same-day reach", { radiusM: 20_000 }, "radiusM"],
    ["days that are no number", { days: "three weeks" }, "days"],
    ["an unknown platform", { platform: "MYSPACE" }, "platform"],
  ])("refuses %s, naming the field", async (_what, over, field) => {
    const error = await inputError(planCampaign(seeded.shop.id, { nodeId: seeded.hub.id, platform: "SANDBOX", ...over }, MONDAY_10AM_NY));
    expect(error.field).toBe(field);
    expect(error.status).toBe(400);
  });

  it("does not know another shop's hub", async () => {
    const error = await inputError(planCampaign(seeded.shop.id, { nodeId: otherHubId }, MONDAY_10AM_NY));
    expect(error.field).toBe("nodeId");
  });
});
