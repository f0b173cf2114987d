// The demo's Content-Security-Policy in a real browser: every admin page loads, hydrates and works
// with scripts allowed only from the app and by the response's nonce, and the browser reports no
// violation. A page a foreign site tries to frame is refused by the browser.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { ADMIN_NAV } from "~/routes/app";
import { useDemoSession } from "./support/session";

const ui = useDemoSession(async () => {
  await seedDemoMarketplace(db, { now: new Date("2026-11-20T12:00:00Z"), orderDays: 30 });
});

describe("the demo under its CSP", () => {
  it("loads and hydrates every admin page with no CSP violation", async () => {
    const violations: string[] = [];
    ui.page.on("console", (message) => {
      if (/Content Security Policy|Refused to (execute|load|apply|frame)/i.test(message.text())) violations.push(message.text());
    });
    for (const { to } of [...ADMIN_NAV, { to: "/" }, { to: "/auth/login" }]) {
      await ui.open(to);
    }
    // Client-side navigation still works (Remix's scripts ran): follow a link without a reload.
    await ui.open("/app");
    await ui.page.getByRole("link", { name: "Network", exact: true }).first().click();
    await ui.page.waitForURL("**/app/network");
    expect(violations).toEqual([]);
    expect(ui.pageErrors).toEqual([]);

    // The policy is in force: a script injected into the page (as an XSS would) does not run.
    const ran = await ui.page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "document.body.dataset.injected = 'yes'";
      document.body.append(script);
      return document.body.dataset.injected ?? "no";
    });
    expect(ran).toBe("no");
    await expect.poll(() => violations.length).toBe(1);
  });

  it("is not shown inside another site's frame", async () => {
    // A page of another origin (a data: URL) frames the demo's admin and its landing page.
    await ui.page.goto(`data:text/html,<iframe id="a" src="${ui.server.url}/app"></iframe><iframe id="b" src="${ui.server.url}/"></iframe>`);
    await ui.page.waitForFunction(() => document.querySelectorAll("iframe").length === 2);
    await expect.poll(() => ui.page.frames().filter((f) => f !== ui.page.mainFrame()).map((f) => f.url()), { timeout: 15_000 }).toEqual([
      "chrome-error://chromewebdata/",
      "chrome-error://chromewebdata/",
    ]);
  });
});
