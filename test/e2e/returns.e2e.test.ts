// The returns admin in a real browser against the real server: production build, server.mjs in
// demo mode, this file's database with the demo marketplace and its seeded returns (placed
// relative to now, so some are overdue), Debian's Chromium through playwright-core. Hub staff use
// the inspection screen on a tablet: it is checked at 1024×768.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { getReturnSettings } from "~/services/return-settings.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { DEMO_RETURN_RULES } from "../../prisma/seed/demo-returns";
import { useDemoSession } from "./support/session";

let shopId: string;
const ui = useDemoSession(async () => {
  ({ shopId } = await seedDemoMarketplace(db, { now: new Date(), orderDays: 70 }));
});

describe("returns admin", () => {
  it("queue: overdue returns come first, highlighted, with their countdown", async () => {
    await ui.open("/app/returns");
    await expect(ui.page.getByRole("heading", { name: "Returns", level: 1 }).isVisible()).resolves.toBe(true);
    const first = ui.page.locator("tbody tr").first();
    await expect(first.getAttribute("class")).resolves.toBe("nh-overdue");
    await expect(first.locator("[data-countdown=overdue]").innerText()).resolves.toMatch(/^overdue by \d+/);
    const background = await first.evaluate((tr) => getComputedStyle(tr).backgroundColor);
    expect(background).toBe("rgb(255, 241, 240)");
    const color = await first.locator("[data-countdown=overdue] span").first().evaluate((el) => getComputedStyle(el).color);
    expect(color).not.toBe("rgb(48, 48, 48)"); // red, not body text
    await expect(ui.page.locator("[data-countdown=due_soon]").count()).resolves.toBeGreaterThan(0);
    await ui.page.screenshot({ path: ui.shot("returns-queue-desktop"), fullPage: true });
    await ui.page.setViewportSize({ width: 1024, height: 768 });
    await ui.page.screenshot({ path: ui.shot("returns-queue-tablet") });
  });

  it("inspection on a tablet: one column, large targets, and the return moves to restocked", async () => {
    await ui.page.setViewportSize({ width: 1024, height: 768 });
    const candidates = await db.returnCase.findMany({
      where: { status: "RECEIVED", lines: { every: { status: "RECEIVED" } } },
      include: { lines: true },
      orderBy: { inspectionDueAt: "desc" },
    });
    // One item, so inspecting it moves the whole return.
    const received = candidates.find((c) => c.lines.length === 1)!;
    expect(received).toBeDefined();
    const [returned] = received.lines;
    const level = { nodeId: returned.hubId!, productId: returned.productId! };
    const stockBefore = (await db.stockLevel.findFirst({ where: { shopId, ...level } }))?.available ?? 0;
    await ui.open(`/app/returns/${received.id}`);
    const columns = await ui.page.locator(".nh-inspect-grid").evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(" ").length);
    expect(columns).toBe(1);
    const tile = ui.page.locator("label.nh-tile").first();
    const box = await tile.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    const submit = ui.page.getByRole("button", { name: "Save inspection" }).first();
    expect((await submit.boundingBox())!.height).toBeGreaterThanOrEqual(44);

    const form = ui.page.locator("form.nh-inspect").first();
    await form.locator("label.nh-tile", { hasText: "as new" }).click();
    await form.locator("label.nh-tile", { hasText: /^Restock at/ }).click();
    await form.locator("textarea[name=note]").fill("Tags on, box intact (E2E)");
    await ui.page.screenshot({ path: ui.shot("returns-inspect-tablet"), fullPage: true });
    await submit.click();
    await ui.page.getByText("Now restocked").first().waitFor({ timeout: 15_000 });

    const line = await db.returnLine.findUniqueOrThrow({ where: { id: received.lines[0].id } });
    expect(line).toMatchObject({ status: "RESTOCKED", grade: "A", disposition: "RESTOCK" });
    // No Shopify in the demo: the hub's stock rose as Shopify's inventory update would make it, and the page says so.
    const stockAfter = (await db.stockLevel.findFirstOrThrow({ where: { shopId, ...level } })).available;
    expect(stockAfter).toBe(stockBefore + returned.quantity);
    const hubName = (await db.node.findUniqueOrThrow({ where: { id: level.nodeId } })).name;
    await expect(ui.page.getByTestId("stock-at-hub").first().innerText()).resolves.toBe(`${hubName} now holds ${stockAfter} of ${returned.sku}`);
    // The action's banner can render before the loader's revalidation brings the new history.
    await ui.page.locator("ol.nh-history", { hasText: "Tags on, box intact (E2E)" }).waitFor({ timeout: 15_000 });
    await ui.page.screenshot({ path: ui.shot("returns-inspected-tablet"), fullPage: true });
  });

  it("rules tester: a late return matches the store-credit rule and is sent to a hub, with the figures", async () => {
    await ui.page.setViewportSize({ width: 1280, height: 900 });
    await ui.open("/app/returns/rules");
    await ui.page.getByLabel("Days since delivery").fill("45");
    await ui.page.getByRole("button", { name: "Run the tester" }).click();
    const result = ui.page.locator("#tester-result");
    await result.waitFor({ timeout: 15_000 });
    const text = await result.innerText();
    expect(text).toContain("Decided by rule 1, “Late returns get store credit”");
    expect(text).toMatch(/Store credit/);
    expect(text).toMatch(/→ \S+/);
    await expect(result.locator("tr.nh-win").count()).resolves.toBe(1);
    await ui.page.screenshot({ path: ui.shot("returns-rules-tester"), fullPage: true });
  });

  it("rules editor: a condition is checked as it is typed, and the rules as shown are saved as they were stored", async () => {
    await ui.open("/app/returns/rules", "#rules-0-when-0-maxDays");
    await expect(ui.page.locator("#rules-0-name").inputValue()).resolves.toBe("Late returns get store credit");
    await ui.page.fill("#rules-0-when-0-maxDays", "10");
    const error = ui.page.locator("#rules-0-when-0-maxDaysError");
    await expect(error.textContent()).resolves.toContain("The maximum must be at least the minimum");
    await ui.page.locator("#rules-0-when-0-maxDays").scrollIntoViewIfNeeded();
    await ui.page.screenshot({ path: ui.shot("returns-rules-editor"), fullPage: true });
    await ui.page.fill("#rules-0-when-0-maxDays", "60");
    await error.waitFor({ state: "detached" });
    await ui.page.getByRole("button", { name: "Save rules" }).click();
    await ui.page.getByText("Rules saved: new returns follow them from now on").waitFor({ timeout: 15_000 });
    // Every field went through the browser's post and the one reader: nothing was lost or changed
    // (ticked choices come back in the order the boxes are shown).
    const asSets = (rules: unknown) => JSON.parse(JSON.stringify(rules), (_k, v) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? [...v].sort() : v));
    const stored = await getReturnSettings(shopId);
    expect(asSets(stored.rules)).toMatchObject(asSets(DEMO_RETURN_RULES));
    expect(stored.rules.map((r) => r.id)).toEqual(DEMO_RETURN_RULES.map((r) => r.id));
    expect(ui.pageErrors).toEqual([]);
  });

  it("analytics and settings pages render with their charts and fields", async () => {
    await ui.open("/app/returns/analytics");
    for (const chart of ["hub-inspection", "hub-resale", "hub-recovery", "hub-reverse-cost", "product-resale"]) {
      await expect(ui.page.locator(`svg[data-chart=${chart}] rect`).count(), chart).resolves.toBeGreaterThan(0);
    }
    await expect(ui.page.getByText("Resale proceeds as a share of what was refunded.").isVisible()).resolves.toBe(true);
    await expect(ui.page.getByText("Inspected within 48 h").isVisible()).resolves.toBe(true);
    await ui.page.screenshot({ path: ui.shot("returns-analytics"), fullPage: true });
    await ui.open("/app/returns/settings");
    await ui.page.getByLabel("Escalation email").fill("not-an-email");
    await ui.page.getByRole("button", { name: "Save settings" }).click();
    await ui.page.getByText("enter an email address").waitFor({ timeout: 15_000 });
    await ui.page.screenshot({ path: ui.shot("returns-settings-error"), fullPage: true });

    // Saved without touching its tick boxes, the page keeps them as they were shown (each once
    // posted "" for a ticked box, which read as unticked).
    const before = await getReturnSettings(shopId);
    const autoApprove = ui.page.getByLabel("Approve returns automatically when the rules approve them");
    await autoApprove.setChecked(!before.autoApprove);
    await ui.page.getByLabel("Escalation email").fill("hub-leads@nearhub-demo.example");
    await ui.page.getByRole("button", { name: "Save settings" }).click();
    await ui.page.getByText("Return settings saved").waitFor({ timeout: 15_000 });
    const after = await getReturnSettings(shopId);
    expect(after.escalationEmail).toBe("hub-leads@nearhub-demo.example");
    expect({ autoApprove: after.autoApprove, shipBackAtALoss: after.shipBackAtALoss }).toEqual({ autoApprove: !before.autoApprove, shipBackAtALoss: before.shipBackAtALoss });
    await ui.open("/app/returns/settings");
    await expect(autoApprove.isChecked()).resolves.toBe(after.autoApprove);
    await expect(ui.page.getByLabel("Bring items back even when every hub would lose money on them").isChecked()).resolves.toBe(after.shipBackAtALoss);
    expect(ui.pageErrors).toEqual([]);
  });
});
