// The Compliance page in a real browser against the built server in demo mode, on the demo
// marketplace with its permits (prisma/seed/demo-permits.ts): the robot corridor's lapsed permit and
// the reason it gives, the Overview's to-do list, and the in-grace fire inspection renewed through
// the page's "Renewed" flow.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { seedDemoPermits } from "../../prisma/seed/demo-permits";
import { waitForHydration } from "./support/app-server";
import { useDemoSession } from "./support/session";

const ui = useDemoSession(async () => {
  const now = new Date();
  const { shopId } = await seedDemoMarketplace(db, { now, orderDays: 14 });
  await seedDemoPermits(db, { shopId, now });
});

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

describe("compliance", () => {
  it("shows what is out of service and why, on the page and on the Overview", async () => {
    await ui.open("/app/compliance");
    await ui.page.screenshot({ path: ui.shot("compliance-top") });
    const out = ui.page.getByText(/^Williamsburg sidewalk robots: NYC DOT sidewalk-robot pilot permit lapsed on \d{1,2} \w{3}/);
    await expect(out.first().isVisible()).resolves.toBe(true);
    await expect(ui.page.getByText("In grace period").first().isVisible()).resolves.toBe(true);
    await expect(ui.page.getByText("Renewal due").first().isVisible()).resolves.toBe(true);
    await expect(ui.page.getByRole("img", { name: /^Permit expiries over the next 12 months/ }).isVisible()).resolves.toBe(true);
    await ui.page.screenshot({ path: ui.shot("compliance"), fullPage: true });

    await ui.open("/app");
    await expect(ui.page.getByRole("link", { name: /Chelsea Micro-hub expired on/ }).isVisible()).resolves.toBe(true);
    await ui.page.screenshot({ path: ui.shot("overview-todo"), fullPage: true });
  });

  it("gives the lapsed permit's reason where the corridor would have been offered: a quote through the open API", async () => {
    const res = await fetch(`${ui.server.url}/api/v1/quotes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer nh_demo_0123456789abcdef0123456789abcdef" },
      body: JSON.stringify({ lines: [{ sku: "KK-MUG-SPK-12", quantity: 1 }], destination: { country: "US", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 } }),
    });
    expect(res.status).toBe(200);
    const quote = (await res.json()) as { options: { service: string }[]; excluded: { service: string | null; reasons: { code: string; message: string }[] }[] };
    const robots = quote.excluded.find((e) => e.service === "AUTONOMOUS");
    expect(robots?.reasons[0]).toMatchObject({ code: "CORRIDOR_UNAVAILABLE", message: expect.stringMatching(/^Williamsburg sidewalk robots: NYC DOT sidewalk-robot pilot permit lapsed on .+; courier services from this node still apply$/) });
    expect(quote.options.some((o) => o.service === "AUTONOMOUS")).toBe(false);
    expect(quote.options.length).toBeGreaterThan(0); // couriers, carriers or pickup, whatever the hour
  });

  it("renews the in-grace fire inspection: the task is done and the permit is in force", async () => {
    await ui.open("/app/compliance");
    const card = ui.page.locator('[data-permit="Chelsea Micro-hub · Fire inspection"]');
    // By text, not by role: on this long page (every permit and proposal a form) Playwright's role
    // query resolved nothing within its 30 s in CI, while the button was there.
    await card.getByText("Record the renewal", { exact: true }).click();
    await card.getByLabel("Issued on").fill(inDays(0));
    await card.getByLabel("Expires on").fill(inDays(364));
    await card.screenshot({ path: ui.shot("compliance-renewing") });
    await card.getByText("Renewed", { exact: true }).click();
    await ui.page.getByText(/^Renewed: the new dates are saved/).waitFor();
    await waitForHydration(ui.page);
    const shop = await db.shop.findFirstOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    const chelsea = await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle: "nyc-mn-hub" } });
    const permit = await db.permit.findFirstOrThrow({ where: { shopId: shop.id, subjectId: chelsea.id, kind: "FIRE_INSPECTION" } });
    expect(permit.expiresOn).toBe(inDays(364));
    expect(await db.permitTask.findFirstOrThrow({ where: { permitId: permit.id } })).toMatchObject({ state: "DONE" });
    await ui.page.screenshot({ path: ui.shot("compliance-renewed"), fullPage: true });
    expect(ui.pageErrors).toEqual([]);
  });
});
