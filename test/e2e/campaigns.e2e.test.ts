// The Campaigns pages in a real browser against the built server in demo mode, on the demo
// marketplace: the list (status in words, reasons, money, the per-day charts drawn by recharts),
// one campaign's page with its change log and area map, and the three launch steps on the sandbox
// (the area on a map, products and budget with a refusal shown beside its field, the review with the
// exact requests) up to Launch. Every page is looked at at 1280 and 768 px: no console error, no
// sideways scrolling, axe serious/critical clean; screenshots in test-results/campaigns-*.png. Last, with
// every campaign removed, the empty state.
import AxeBuilder from "@axe-core/playwright";
import type { ConsoleMessage } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { waitForHydration } from "./support/app-server";
import { useDemoSession } from "./support/session";

let shopId = "";
const consoleErrors: string[] = [];

const ui = useDemoSession(async () => {
  ({ shopId } = await seedDemoMarketplace(db, { now: new Date(), orderDays: 45 }));
});

const WIDTHS = [1280, 768] as const;

async function look(name: string, width: number) {
  await ui.page.setViewportSize({ width, height: 900 });
  // recharts measures its container after layout: wait for the drawn surface when there is a chart.
  if ((await ui.page.locator(".recharts-wrapper").count()) > 0) await ui.page.locator("svg.recharts-surface").first().waitFor();
  const sideways = await ui.page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);
  expect(sideways, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
  const axe = await new AxeBuilder({ page: ui.page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `${name} at ${width} px`).toEqual([]);
  await ui.page.screenshot({ path: ui.shot(`campaigns-${name}-${width}`), fullPage: true });
}

async function openAt(path: string) {
  consoleErrors.length = 0;
  await ui.open(path);
}

function watchConsole() {
  ui.page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
}

describe("campaigns", () => {
  it("launches from a hub in three steps on the sandbox", async () => {
    watchConsole();
    const hub = await db.node.findFirstOrThrow({ where: { shopId, kind: "MICRO_HUB", status: "ACTIVE" }, orderBy: { name: "asc" } });
    await openAt("/app/campaigns/new");
    await expect(ui.page.getByText("Step 1 of 3: Hub and area").isVisible()).resolves.toBe(true);
    await ui.page.getByLabel("Hub", { exact: true }).selectOption(hub.id);
    await ui.page.getByLabel("Ad platform").selectOption("SANDBOX");
    await ui.page.getByRole("button", { name: "Show the area" }).click();
    await ui.page.getByRole("img", { name: /^Ad area around/ }).waitFor();
    await expect(ui.page.locator(".nh-area-map polygon").count()).resolves.toBeGreaterThan(0);
    for (const w of WIDTHS) await look("new-1-area", w);

    await ui.page.getByRole("button", { name: "Continue to products and budget" }).click();
    await ui.page.getByText("Step 2 of 3: Products and budget").waitFor();
    await waitForHydration(ui.page);
    // A budget of one cent is under any account's minimum: refused beside the field, on the same step.
    await ui.page.getByLabel(/^Daily budget/).fill("0.01");
    await ui.page.getByRole("button", { name: "Review" }).click();
    await ui.page.locator("#budget, [id$='Error']").first().waitFor();
    await expect(ui.page.getByText("Step 2 of 3: Products and budget").isVisible()).resolves.toBe(true);
    const fieldError = ui.page.locator(".Polaris-InlineError");
    await expect(fieldError.count()).resolves.toBeGreaterThan(0);
    for (const w of WIDTHS) await look("new-2-budget-error", w);
    await ui.page.getByLabel(/^Daily budget/).fill("25.00");
    await ui.page.getByRole("button", { name: "Review" }).click();
    await ui.page.getByText("Step 3 of 3: Review and launch").waitFor();
    await waitForHydration(ui.page);
    await expect(ui.page.getByRole("heading", { name: "Guardrails" }).isVisible()).resolves.toBe(true);
    await ui.page.locator("details.nh-request summary").first().click();
    await expect(ui.page.locator("details.nh-request pre").first().innerText()).resolves.toMatch(/"method": "(POST|GET)"/);
    for (const w of WIDTHS) await look("new-3-review", w);

    await ui.page.getByRole("button", { name: "Launch" }).click();
    await ui.page.getByRole("heading", { name: "Changes" }).waitFor();
    expect(ui.page.url()).toMatch(/\/app\/campaigns\/[^/]+$/);
    for (const w of WIDTHS) await look("launched", w);
    expect(consoleErrors).toEqual([]);
  });
  it("lists the campaigns with their status, reasons, money and a per-day chart", async () => {
    await openAt("/app/campaigns");
    await expect(ui.page.getByRole("heading", { name: "Campaigns", level: 1 }).isVisible()).resolves.toBe(true);
    await expect(ui.page.getByRole("link", { name: "New campaign" }).isVisible()).resolves.toBe(true);
    const cards = ui.page.locator("article[data-campaign-id]");
    const count = await cards.count();
    expect(count).toBeGreaterThan(0);
    {
      // Money in the shop's currency, statuses in words, no bare codes.
      await expect(cards.first().getByText(/^\$[\d,]+\.\d{2}$/).first().isVisible()).resolves.toBe(true);
      const text = await ui.page.locator("main").innerText();
      expect(text).not.toMatch(/\b(ACTIVE|PAUSED|SANDBOX|GUARDRAIL)\b/);
      if ((await db.campaignDay.count({ where: { shopId, spendMinor: { gt: 0 } } })) > 0) {
        // Days with results: drawn by recharts, bars to scale.
        await ui.page.locator("svg.recharts-surface").first().waitFor();
        await expect(ui.page.locator(".recharts-bar-rectangle").count()).resolves.toBeGreaterThan(0);
      } else {
        await expect(ui.page.getByText(/no results yet/).first().isVisible()).resolves.toBe(true);
      }
    }
    for (const w of WIDTHS) await look("list", w);
    expect(consoleErrors).toEqual([]);
  });

  it("shows one campaign: totals, charts, the change log with the request sent, the area; pause asks the platform", async () => {
    await openAt("/app/campaigns");
    await ui.page.locator("article[data-campaign-id] h2 a").first().click();
    await ui.page.getByRole("heading", { name: "Changes" }).waitFor();
    await waitForHydration(ui.page);
    await expect(ui.page.getByText("Profit after landed cost").first().isVisible()).resolves.toBe(true);
    await expect(ui.page.getByRole("img", { name: /^Ad area around/ }).isVisible()).resolves.toBe(true);
    const request = ui.page.locator("details.nh-request").first();
    if ((await request.count()) > 0) {
      await request.locator("summary").click();
      await expect(request.locator("pre").isVisible()).resolves.toBe(true);
    }
    for (const w of WIDTHS) await look("detail", w);
    // Pause: the merchant's change, shown as asked until the platform confirms it.
    await ui.page.setViewportSize({ width: 1280, height: 900 });
    const pause = ui.page.getByRole("button", { name: "Pause" });
    if ((await pause.count()) > 0) {
      await pause.click();
      await ui.page.getByText(/^(Done: the campaign is paused|Asked the platform to pause)/).waitFor();
      await ui.page.getByRole("button", { name: "Resume" }).waitFor();
      await look("detail-paused", 1280);
    }
    expect(consoleErrors).toEqual([]);
  });

  it("with no campaign yet, explains what a hyperlocal campaign is and where to start", async () => {
    // Last: the demo's campaigns (and the one launched above) removed, as a shop that never ran one.
    await db.campaign.deleteMany({ where: { shopId } });
    await openAt("/app/campaigns");
    await expect(ui.page.getByText(/A hyperlocal campaign is/).isVisible()).resolves.toBe(true);
    await expect(ui.page.locator('main a[href="/app/settings/ads"]').count()).resolves.toBeGreaterThan(0);
    for (const w of WIDTHS) await look("empty", w);
    expect(consoleErrors).toEqual([]);
  });
});
