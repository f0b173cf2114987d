// The routing and insights pages in a real browser against the real server: production build,
// server.mjs in demo mode, this test file's own database with the demo marketplace and a routing
// decision made by the routing core, Debian's Chromium through playwright-core.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { prepareNetwork } from "~/core/quoting";
import { prepareRouting, routeOrder } from "~/core/routing";
import { decisionRows } from "~/services/routing/decision-rows.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { addresses, local, nycConfig, nycSnapshot } from "../core/fixtures";
import { waitForHydration } from "./support/app-server";
import { useDemoSession } from "./support/session";

let decisionId: string;

const ui = useDemoSession(async () => {
  await seedDemoMarketplace(db, { now: new Date("2026-11-20T12:00:00Z"), orderDays: 90 });
  const shop = await db.shop.findFirstOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
  // A decision the routing core made: two mugs and a hoodie to Williamsburg.
  const now = local("2025-06-10T10:00");
  const net = prepareRouting(prepareNetwork(nycSnapshot(), nycConfig()), { splitPenaltyMinor: 300 });
  const decision = routeOrder(net, { id: "o1", placedAt: now, destination: addresses.williamsburg, lines: [{ productId: "mug", quantity: 2 }, { productId: "hoodie", quantity: 1 }], serviceCode: "NH:brooklyn:SAME_DAY" }, { now });
  const row = await db.routingDecision.create({
    data: { shopId: shop.id, orderGid: "gid://shopify/Order/5001", orderName: "#5001", source: "WEBHOOK", mode: "AUTO", status: "FAILED", ...decisionRows(shop.id, decision, decision.currency, { unlinkedNodes: true }) },
  });
  decisionId = row.id;
  await db.routingMove.create({
    data: {
      shopId: shop.id,
      decisionId,
      fulfillmentOrderGid: "gid://shopify/FulfillmentOrder/777",
      fromLocationGid: "gid://shopify/Location/1",
      toLocationGid: "gid://shopify/Location/2",
      lineItemsJson: "[]",
      status: "FAILED",
      attempts: 3,
      userErrorsJson: JSON.stringify([{ field: ["newLocationId"], message: "Destination location doesn't stock the requested inventory item." }]),
    },
  });
});

describe("network insights", () => {
  it("shows progress while the analysis runs, then the two pilot clusters, the chart and the map", async () => {
    await ui.open("/app/insights");
    await ui.page.getByRole("heading", { name: "Suggested pilot clusters" }).waitFor({ timeout: 90_000 });
    const pilots = ui.page.locator(".nh-cc-pilot");
    await expect(pilots.count()).resolves.toBe(2);
    const names = await pilots.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-cluster")));
    expect(names).toContain("Austin");
    await expect(ui.page.getByText(/orders a day, \d+% of all orders/).count()).resolves.toBe(2);
    // Local fulfilment can cost more than central: the chart says which way, never a bare negative.
    const pilotFigures = await pilots.locator('[role="cell"]:last-child').allTextContents();
    expect(pilotFigures).toHaveLength(2);
    for (const f of pilotFigures) expect(f).toMatch(/^(saves \$\d|costs \$\d.* more$|no local node yet$)/);
    await expect(ui.page.locator(".nh-cluster-chart").getByText(/-\d/).count()).resolves.toBe(0);
    await expect(ui.page.locator(".nh-density-panel polygon").count()).resolves.toBeGreaterThan(50);
    await expect(ui.page.locator(".nh-density-panel.nh-pilot").count()).resolves.toBe(2);
    await expect(ui.page.getByRole("table", { name: "Recommendation per seller" }).isVisible()).resolves.toBe(true);
    // The demo has no Shopify store to import from: the page says so up front, with no button to press.
    await expect(ui.page.getByText(/^The demo store's orders are its own/).isVisible()).resolves.toBe(true);
    await expect(ui.page.getByText("Not imported").count()).resolves.toBe(0);
    await expect(ui.page.getByRole("button", { name: /Import order history/ }).count()).resolves.toBe(0);
    await ui.page.screenshot({ path: ui.shot("insights"), fullPage: true });
  });
});

describe("routing", () => {
  it("lists the decision in the log and explains it on its page", async () => {
    await ui.open("/app/routing");
    const row = ui.page.locator(`tr[data-decision-id="${decisionId}"]`);
    await expect(row.getByText("Failed").isVisible()).resolves.toBe(true);
    await expect(row.getByText("Brooklyn hub").isVisible()).resolves.toBe(true);
    await ui.page.screenshot({ path: ui.shot("routing-log"), fullPage: true });

    await row.getByRole("link", { name: "#5001" }).click();
    await ui.page.getByRole("heading", { name: "Routing of #5001" }).waitFor();
    await waitForHydration(ui.page);
    await expect(ui.page.getByText("Why Brooklyn hub").isVisible()).resolves.toBe(true);
    await expect(ui.page.getByTestId("decision-total").isVisible()).resolves.toBe(true);
    await expect(ui.page.getByTestId("alternatives").getByText("Costs more").first().isVisible()).resolves.toBe(true);
    await expect(ui.page.getByText("Promise kept").isVisible()).resolves.toBe(true);
    await expect(ui.page.getByTestId("moves").getByText("Destination location doesn't stock the requested inventory item.", { exact: false }).isVisible()).resolves.toBe(true);
    await ui.page.screenshot({ path: ui.shot("routing-decision"), fullPage: true });
  });

  it("settings: a wrong amount is shown next to its field, a right one is saved", async () => {
    await ui.open("/app/routing/settings");
    await ui.page.getByLabel("Split penalty per extra shipment").fill("lots");
    await ui.page.getByRole("button", { name: "Save routing settings" }).click();
    await ui.page.getByText(/Split penalty: /).first().waitFor();
    const field = ui.page.locator("#routing-splitPenalty");
    await expect(field.getAttribute("aria-invalid")).resolves.toBe("true");
    await ui.page.screenshot({ path: ui.shot("routing-settings-error"), fullPage: true });

    await ui.page.getByLabel("Split penalty per extra shipment").fill("4.50");
    await ui.page.getByText("Move automatically").click();
    await ui.page.getByRole("button", { name: "Save routing settings" }).click();
    await ui.page.getByText("Routing settings saved").waitFor();
    await expect(ui.page.getByText(/Demo mode: no store is connected, so the location rule/).isVisible()).resolves.toBe(true);
    await expect(ui.page.getByLabel("Split penalty per extra shipment").inputValue()).resolves.toBe("4.50");
    await ui.page.screenshot({ path: ui.shot("routing-settings"), fullPage: true });
    expect(ui.pageErrors).toEqual([]);
  });
});
