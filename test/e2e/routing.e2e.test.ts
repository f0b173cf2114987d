// The routing and insights pages in a real browser against the real server: production build,
// server.mjs in demo mode, this test file's own database with the demo marketplace and a routing
// decision made by the routing core, Debian's Chromium through playwright-core.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { prepareNetwork } from "~/core/quoting";
import { prepareRouting, routeOrder } from "~/core/routing";
import { decisionColumns } from "~/services/routing-admin.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { addresses, local, nycConfig, nycSnapshot } from "../core/fixtures";
import { ROOT, ensureBuild, launchChromium, newPage, startDemoServer, waitForHydration, type RunningServer } from "./support/app-server";

const SCREENSHOTS = path.join(ROOT, "test-results");
const dbLabel = process.env.NEARHUB_TEST_DB_LABEL?.startsWith("PostgreSQL") ? "pg" : "sqlite";
const shot = (name: string) => path.join(SCREENSHOTS, `${name}-${dbLabel}.png`);

let server: RunningServer;
let browser: Browser;
let page: Page;
let decisionId: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await ensureBuild();
  await seedDemoMarketplace(db, { now: new Date("2026-11-20T12:00:00Z"), orderDays: 90 });
  const shop = await db.shop.findFirstOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
  // A decision the routing core made: two mugs and a hoodie to Williamsburg.
  const now = local("2025-06-10T10:00");
  const net = prepareRouting(prepareNetwork(nycSnapshot(), nycConfig()), { splitPenaltyMinor: 300 });
  const decision = routeOrder(net, { id: "o1", placedAt: now, destination: addresses.williamsburg, lines: [{ productId: "mug", quantity: 2 }, { productId: "hoodie", quantity: 1 }], serviceCode: "NH:brooklyn:SAME_DAY" }, { now });
  const row = await db.routingDecision.create({
    data: { shopId: shop.id, orderGid: "gid://shopify/Order/5001", orderName: "#5001", source: "WEBHOOK", mode: "AUTO", status: "FAILED", ...decisionColumns(decision) },
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
  server = await startDemoServer(process.env.DATABASE_URL!);
  browser = await launchChromium();
  page = await newPage(browser, server.url);
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(pathname: string) {
  const response = await page.goto(pathname, { waitUntil: "load" });
  expect(response?.status(), `${pathname}\n${server.output().slice(-2000)}`).toBe(200);
  await waitForHydration(page);
}

describe("network insights", () => {
  it("shows progress while the analysis runs, then the two pilot clusters, the chart and the map", async () => {
    await open("/app/insights");
    await page.getByRole("heading", { name: "Suggested pilot clusters" }).waitFor({ timeout: 90_000 });
    const pilots = page.locator(".nh-cc-pilot");
    await expect(pilots.count()).resolves.toBe(2);
    const names = await pilots.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-cluster")));
    expect(names).toContain("Austin");
    await expect(page.getByText(/orders a day, \d+% of all orders/).count()).resolves.toBe(2);
    // Local fulfilment can cost more than central: the chart says which way, never a bare negative.
    const pilotFigures = await pilots.locator('[role="cell"]:last-child').allTextContents();
    expect(pilotFigures).toHaveLength(2);
    for (const f of pilotFigures) expect(f).toMatch(/^(saves \d|costs \d.* more$|no local node yet$)/);
    await expect(page.locator(".nh-cluster-chart").getByText(/-\d/).count()).resolves.toBe(0);
    await expect(page.locator(".nh-density-panel polygon").count()).resolves.toBeGreaterThan(50);
    await expect(page.locator(".nh-density-panel.nh-pilot").count()).resolves.toBe(2);
    await expect(page.getByRole("table", { name: "Recommendation per seller" }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: shot("insights"), fullPage: true });
  });
});

describe("routing", () => {
  it("lists the decision in the log and explains it on its page", async () => {
    await open("/app/routing");
    const row = page.locator(`tr[data-decision-id="${decisionId}"]`);
    await expect(row.getByText("Failed").isVisible()).resolves.toBe(true);
    await expect(row.getByText("Brooklyn hub").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: shot("routing-log"), fullPage: true });

    await row.getByRole("link", { name: "#5001" }).click();
    await page.getByRole("heading", { name: "Routing of #5001" }).waitFor();
    await waitForHydration(page);
    await expect(page.getByText("Why Brooklyn hub").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("decision-total").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("alternatives").getByText("Costs more").first().isVisible()).resolves.toBe(true);
    await expect(page.getByText("Promise kept").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("moves").getByText("Destination location doesn't stock the requested inventory item.", { exact: false }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: shot("routing-decision"), fullPage: true });
  });

  it("settings: a wrong amount is shown next to its field, a right one is saved", async () => {
    await open("/app/routing/settings");
    await page.getByLabel("Split penalty per extra shipment").fill("lots");
    await page.getByRole("button", { name: "Save routing settings" }).click();
    await page.getByText(/Split penalty: /).first().waitFor();
    const field = page.locator("#routing-splitPenalty");
    await expect(field.getAttribute("aria-invalid")).resolves.toBe("true");
    await page.screenshot({ path: shot("routing-settings-error"), fullPage: true });

    await page.getByLabel("Split penalty per extra shipment").fill("4.50");
    await page.getByText("Move automatically").click();
    await page.getByRole("button", { name: "Save routing settings" }).click();
    await page.getByText("Routing settings saved").waitFor();
    await expect(page.getByText(/Demo mode: no store is connected, so the location rule/).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel("Split penalty per extra shipment").inputValue()).resolves.toBe("4.50");
    await page.screenshot({ path: shot("routing-settings"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
