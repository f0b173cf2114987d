// The returns admin in a real browser against the real server: production build, server.mjs in
// demo mode, this file's database with the demo marketplace and its seeded returns (placed
// relative to now, so some are overdue), Debian's Chromium through playwright-core. Hub staff use
// the inspection screen on a tablet: it is checked at 1024×768.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { ROOT, ensureBuild, launchChromium, newPage, startDemoServer, waitForHydration, type RunningServer } from "./support/app-server";

const SCREENSHOTS = path.join(ROOT, "test-results");
const dbLabel = process.env.NEARHUB_TEST_DB_LABEL?.startsWith("PostgreSQL") ? "pg" : "sqlite";
const shot = (name: string) => path.join(SCREENSHOTS, `${name}-${dbLabel}.png`);

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await ensureBuild();
  await seedDemoMarketplace(db, { now: new Date(), orderDays: 70 });
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

describe("returns admin", () => {
  it("queue: overdue returns come first, highlighted, with their countdown", async () => {
    await open("/app/returns");
    await expect(page.getByRole("heading", { name: "Returns", level: 1 }).isVisible()).resolves.toBe(true);
    const first = page.locator("tbody tr").first();
    await expect(first.getAttribute("class")).resolves.toBe("nh-overdue");
    await expect(first.locator("[data-countdown=overdue]").innerText()).resolves.toMatch(/^overdue by \d+/);
    const background = await first.evaluate((tr) => getComputedStyle(tr).backgroundColor);
    expect(background).toBe("rgb(255, 241, 240)");
    const color = await first.locator("[data-countdown=overdue] span").first().evaluate((el) => getComputedStyle(el).color);
    expect(color).not.toBe("rgb(48, 48, 48)"); // red, not body text
    await expect(page.locator("[data-countdown=due_soon]").count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: shot("returns-queue-desktop"), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: shot("returns-queue-tablet") });
  });

  it("inspection on a tablet: one column, large targets, and the return moves to restocked", async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    const candidates = await db.returnCase.findMany({
      where: { status: "RECEIVED", lines: { every: { status: "RECEIVED" } } },
      include: { lines: true },
      orderBy: { inspectionDueAt: "desc" },
    });
    // One item, so inspecting it moves the whole return.
    const received = candidates.find((c) => c.lines.length === 1)!;
    expect(received).toBeDefined();
    await open(`/app/returns/${received.id}`);
    const columns = await page.locator(".nh-inspect-grid").evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(" ").length);
    expect(columns).toBe(1);
    const tile = page.locator("label.nh-tile").first();
    const box = await tile.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    const submit = page.getByRole("button", { name: "Save inspection" }).first();
    expect((await submit.boundingBox())!.height).toBeGreaterThanOrEqual(44);

    const form = page.locator("form.nh-inspect").first();
    await form.locator("label.nh-tile", { hasText: "as new" }).click();
    await form.locator("label.nh-tile", { hasText: /^Restock at/ }).click();
    await form.locator("textarea[name=note]").fill("Tags on, box intact (E2E)");
    await page.screenshot({ path: shot("returns-inspect-tablet"), fullPage: true });
    await submit.click();
    await page.getByText("Now restocked").first().waitFor({ timeout: 15_000 });

    const line = await db.returnLine.findUniqueOrThrow({ where: { id: received.lines[0].id } });
    expect(line).toMatchObject({ status: "RESTOCKED", grade: "A", disposition: "RESTOCK" });
    // The action's banner can render before the loader's revalidation brings the new history.
    await page.locator("ol.nh-history", { hasText: "Tags on, box intact (E2E)" }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: shot("returns-inspected-tablet"), fullPage: true });
  });

  it("rules tester: a late return matches the store-credit rule and is sent to a hub, with the figures", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open("/app/returns/rules");
    await page.getByLabel("Days since delivery").fill("45");
    await page.getByRole("button", { name: "Run the tester" }).click();
    const result = page.locator("#tester-result");
    await result.waitFor({ timeout: 15_000 });
    const text = await result.innerText();
    expect(text).toContain("Decided by rule 1, “Late returns get store credit”");
    expect(text).toMatch(/Store credit/);
    expect(text).toMatch(/→ \S+/);
    await expect(result.locator("tr.nh-win").count()).resolves.toBe(1);
    await page.screenshot({ path: shot("returns-rules-tester"), fullPage: true });
  });

  it("analytics and settings pages render with their charts and fields", async () => {
    await open("/app/returns/analytics");
    for (const chart of ["hub-inspection", "hub-resale", "hub-recovery", "hub-reverse-cost", "product-resale"]) {
      await expect(page.locator(`svg[data-chart=${chart}] rect`).count(), chart).resolves.toBeGreaterThan(0);
    }
    await expect(page.getByText("Resale proceeds as a share of what was refunded.").isVisible()).resolves.toBe(true);
    await expect(page.getByText("Inspected within 48 h").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: shot("returns-analytics"), fullPage: true });
    await open("/app/returns/settings");
    await page.getByLabel("Escalation email").fill("not-an-email");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("enter an email address").waitFor({ timeout: 15_000 });
    await page.screenshot({ path: shot("returns-settings-error"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
