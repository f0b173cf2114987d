// The merchant's network and settings pages in a real browser against the real server:
// production build, server.mjs in demo mode, this test file's own database with the demo
// marketplace seeded, Debian's Chromium through playwright-core.
import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX_LENGTH } from "~/services/api-keys.server";
import { db } from "~/db.server";
import { NODES } from "../../prisma/seed/demo-catalog";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { waitForHydration } from "./support/app-server";
import { useDemoSession } from "./support/session";

const ui = useDemoSession(async () => {
  // A month of orders is plenty for these pages and keeps the seed to a second or two.
  await seedDemoMarketplace(db, { now: new Date("2026-11-20T12:00:00Z"), orderDays: 30 });
});

describe("network pages", () => {
  it("lists the seeded nodes and draws them on the map", async () => {
    await ui.open("/app/network");
    await expect(ui.page.getByRole("heading", { name: "Network", level: 1 }).isVisible()).resolves.toBe(true);

    const table = ui.page.locator("table").first();
    for (const node of NODES) {
      await expect(table.getByRole("link", { name: node.name, exact: true }).count()).resolves.toBe(1);
    }

    // One panel per city area (New York, Austin) plus the overview; every node has a <title>.
    await expect(ui.page.locator('[data-testid="network-map-overview"]').count()).resolves.toBe(1);
    const panels = ui.page.locator('[data-testid="network-map-panel"]');
    await expect(panels.count()).resolves.toBe(2);
    const panelTitles = await panels.locator(":scope > title").allTextContents();
    expect(panelTitles.some((t) => t.startsWith("New York"))).toBe(true);
    expect(panelTitles.some((t) => t.startsWith("Austin"))).toBe(true);
    const nodeTitles = await panels.locator("g.nh-map-node > title").allTextContents();
    expect(nodeTitles).toHaveLength(NODES.length);
    for (const node of NODES) expect(nodeTitles.some((t) => t.startsWith(`${node.name}:`))).toBe(true);
    // Service areas are drawn (radius circles and the Manhattan polygon).
    await expect(panels.locator("circle[fill-opacity]").count()).resolves.toBeGreaterThan(0);
    await expect(panels.locator("path[fill-rule=evenodd]").count()).resolves.toBeGreaterThan(0);

    await ui.page.screenshot({ path: ui.shot("network-list"), fullPage: true });
  });

  it("adds a node: a bad latitude is refused on its field, the fixed form saves it", async () => {
    await ui.open("/app/network");
    await ui.page.getByRole("link", { name: "Add node" }).first().click();
    await ui.page.waitForURL("**/app/network/new");
    await waitForHydration(ui.page, "#node-name");

    const fill = (id: string, value: string) => ui.page.fill(`#node-${id}`, value);
    await fill("name", "Queens Micro-hub (E2E)");
    // The handle is suggested from the name.
    await expect(ui.page.inputValue("#node-handle")).resolves.toBe("queens-micro-hub-e2e");
    await ui.page.selectOption("#node-kind", "MICRO_HUB");
    await fill("address1", "29-10 Thomson Ave");
    await fill("city", "Long Island City");
    await fill("province", "NY");
    await fill("postalCode", "11101");
    await fill("latitude", "140.74");
    await fill("longitude", "-73.9375");
    await fill("serviceRadiusKm", "6"); // miles: the demo shop weighs in pounds (ADR 0040)
    await fill("openingHours-sat", "10:00-16:00");
    await fill("sameDayCutoff", "15:00");
    await fill("dailyCapacity", "120");
    await fill("handlingCost", "1.40");
    await fill("pickupCost", "0.90");

    const refused = ui.page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/app/network/new"));
    await ui.page.getByRole("button", { name: "Save node" }).click();
    expect((await refused).status()).toBe(400);

    // The message sits on the latitude field (Polaris links it with aria-describedby) and names it.
    const latitudeError = ui.page.locator("#node-latitudeError");
    await latitudeError.waitFor();
    await expect(latitudeError.textContent()).resolves.toContain("Latitude must be between -90 and 90");
    await expect(ui.page.getAttribute("#node-latitude", "aria-invalid")).resolves.toBe("true");
    await expect(ui.page.locator("#node-longitudeError").count()).resolves.toBe(0);
    // What the merchant typed is still there.
    await expect(ui.page.inputValue("#node-name")).resolves.toBe("Queens Micro-hub (E2E)");
    await ui.page.locator("#node-latitude").scrollIntoViewIfNeeded();
    await ui.page.screenshot({ path: ui.shot("network-new-error"), fullPage: true });

    await fill("latitude", "40.7447");
    await ui.page.getByRole("button", { name: "Save node" }).click();
    await ui.page.waitForURL(/\/app\/network\?saved=/);
    await ui.page.getByRole("link", { name: "Queens Micro-hub (E2E)", exact: true }).waitFor();
    await expect(ui.page.getByText("Saved Queens Micro-hub (E2E)").count()).resolves.toBe(1);

    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    const row = await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle: "queens-micro-hub-e2e" } });
    expect(row).toMatchObject({
      kind: "MICRO_HUB",
      latitude: 40.7447,
      longitude: -73.9375,
      serviceRadiusM: 9656, // 6 mi, stored in metres
      sameDayCutoff: "15:00",
      dailyCapacity: 120,
      handlingCostMinor: 140,
      pickupCostMinor: 90,
      timezone: "America/New_York",
    });
    expect(JSON.parse(row.openingHoursJson)).toMatchObject({ mon: [["09:00", "18:00"]], sat: [["10:00", "16:00"]], sun: [] });
  });

  it("answers 404 for a node that is not this shop's", async () => {
    const other = await db.shop.create({ data: { domain: "someone-else.myshopify.com", name: "Someone else" } });
    const foreign = await db.node.create({
      data: {
        shopId: other.id,
        handle: "their-hub",
        name: "Their hub",
        kind: "MICRO_HUB",
        address1: "1 Main St",
        city: "Austin",
        postalCode: "78701",
        country: "US",
        latitude: 30.27,
        longitude: -97.74,
        timezone: "America/Chicago",
        openingHoursJson: "{}",
        dailyCapacity: 10,
        handlingCostMinor: 100,
        pickupCostMinor: 100,
      },
    });
    const response = await ui.page.goto(`/app/network/${foreign.id}`);
    expect(response?.status()).toBe(404);
    await expect(ui.page.getByText("Node not found").count()).resolves.toBeGreaterThan(0);
    await expect(ui.page.getByText("Their hub").count()).resolves.toBe(0);
  });

  it("disables and re-enables a node after a confirmation", async () => {
    await ui.open("/app/network");
    await ui.page.getByRole("link", { name: "Queens Micro-hub (E2E)", exact: true }).click();
    await ui.page.waitForURL(/\/app\/network\/(?!new)[^/?]+$/);
    await waitForHydration(ui.page, "#node-name");

    await ui.page.getByRole("button", { name: "Disable node" }).click();
    await ui.page.getByRole("button", { name: "Yes, disable" }).waitFor();
    await ui.page.screenshot({ path: ui.shot("network-edit-confirm-disable") });
    await ui.page.getByRole("button", { name: "Yes, disable" }).click();
    await ui.page.getByRole("button", { name: "Enable node" }).waitFor();
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    const handle = "queens-micro-hub-e2e";
    expect((await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle } })).status).toBe("DISABLED");

    await ui.page.getByRole("button", { name: "Enable node" }).click();
    await ui.page.getByRole("button", { name: "Yes, enable" }).click();
    await ui.page.getByRole("button", { name: "Disable node" }).waitFor();
    expect((await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle } })).status).toBe("ACTIVE");
  });
});

describe("the accepts-returns box saves what it shows", () => {
  const nodeRow = async (handle: string) => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    return db.node.findFirstOrThrow({ where: { shopId: shop.id, handle } });
  };
  const box = () => ui.page.locator("#node-acceptsReturns");

  /** A new micro-hub with the box as given (new nodes start ticked); true when the box was left alone. */
  async function addHub(name: string, ticked: boolean) {
    await ui.open("/app/network/new", "#node-name");
    await expect(box().isChecked()).resolves.toBe(true);
    const fill = (id: string, value: string) => ui.page.fill(`#node-${id}`, value);
    await fill("name", name);
    await ui.page.selectOption("#node-kind", "MICRO_HUB");
    await fill("address1", "55 Water St");
    await fill("city", "Brooklyn");
    await fill("province", "NY");
    await fill("postalCode", "11201");
    await fill("latitude", "40.7033");
    await fill("longitude", "-73.9881");
    await fill("serviceRadiusKm", "5");
    await fill("dailyCapacity", "80");
    await fill("handlingCost", "1.20");
    await fill("pickupCost", "0.80");
    if (!ticked) await box().uncheck();
    await expect(box().isChecked()).resolves.toBe(ticked);
    await ui.page.getByRole("button", { name: "Save node" }).click();
    await ui.page.waitForURL(/\/app\/network\?saved=/);
  }

  /** Opens a node's page, presses Save without touching anything, and opens it again. */
  async function saveUntouched(id: string) {
    await ui.open(`/app/network/${id}`, "#node-name");
    const saved = ui.page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/app/network/${id}`));
    await ui.page.getByRole("button", { name: "Save changes" }).click();
    expect((await saved).status()).toBeLessThan(400);
    await ui.page.waitForURL(/\/app\/network\?saved=/);
    await ui.open(`/app/network/${id}`, "#node-name");
  }

  it("creates a node with the box ticked and one with it unticked: stored and shown as chosen", async () => {
    await addHub("DUMBO Returns Hub (E2E)", true);
    await addHub("DUMBO No-Returns Hub (E2E)", false);
    const ticked = await nodeRow("dumbo-returns-hub-e2e");
    const unticked = await nodeRow("dumbo-no-returns-hub-e2e");
    expect(ticked.acceptsReturns).toBe(true);
    expect(unticked.acceptsReturns).toBe(false);

    await ui.open(`/app/network/${ticked.id}`, "#node-name");
    await expect(box().isChecked()).resolves.toBe(true);
    await ui.open(`/app/network/${unticked.id}`, "#node-name");
    await expect(box().isChecked()).resolves.toBe(false);
    await ui.page.screenshot({ path: ui.shot("network-edit-no-returns"), fullPage: true });
  });

  it("saving an existing hub without touching the box keeps its returns setting, either way", async () => {
    const brooklyn = await nodeRow("nyc-bk-hub");
    expect(brooklyn.acceptsReturns).toBe(true);
    await saveUntouched(brooklyn.id);
    expect((await nodeRow("nyc-bk-hub")).acceptsReturns).toBe(true);
    await expect(box().isChecked()).resolves.toBe(true);

    const unticked = await nodeRow("dumbo-no-returns-hub-e2e");
    await saveUntouched(unticked.id);
    expect((await nodeRow("dumbo-no-returns-hub-e2e")).acceptsReturns).toBe(false);
    await expect(box().isChecked()).resolves.toBe(false);
  });

  it("ticking and unticking the box on an existing hub is saved", async () => {
    const { id } = await nodeRow("dumbo-no-returns-hub-e2e");
    await ui.open(`/app/network/${id}`, "#node-name");
    await box().check();
    await ui.page.getByRole("button", { name: "Save changes" }).click();
    await ui.page.waitForURL(/\/app\/network\?saved=/);
    expect((await nodeRow("dumbo-no-returns-hub-e2e")).acceptsReturns).toBe(true);
    await ui.open(`/app/network/${id}`, "#node-name");
    await expect(box().isChecked()).resolves.toBe(true);
  });
});

describe("settings", () => {
  it("creates an API key shown once, which opens the open API until it is revoked", async () => {
    await ui.open("/app/settings");
    await ui.page.fill('input[name="keyName"]', "E2E script");
    await ui.page.getByRole("button", { name: "Create key" }).click();

    const keyInput = ui.page.locator("#new-api-key");
    await keyInput.waitFor();
    const key = await keyInput.inputValue();
    expect(key).toMatch(/^nh_live_[0-9a-f]{64}$/);
    await expect(ui.page.getByText("It is shown only once").count()).resolves.toBe(1);
    // The key list arrives with the loader's revalidation, which can follow the action's banner.
    await ui.page.getByRole("cell", { name: "E2E script", exact: true }).waitFor({ timeout: 15_000 });
    await expect(ui.page.getByRole("cell", { name: "E2E script", exact: true }).count()).resolves.toBe(1);
    await ui.page.screenshot({ path: ui.shot("settings-new-key"), fullPage: true });

    // Shown once: a fresh load of the ui.page lists the key by its prefix only.
    await ui.open("/app/settings");
    await expect(ui.page.locator("#new-api-key").count()).resolves.toBe(0);
    expect(await ui.page.content()).not.toContain(key);
    await expect(ui.page.getByText(`${key.slice(0, API_KEY_PREFIX_LENGTH)}…`).count()).resolves.toBe(1);

    // The key opens this shop's nodes in the open API, including the node added above.
    const api = (authorization?: string) =>
      fetch(`${ui.server.url}/api/v1/nodes?limit=100`, { headers: authorization ? { authorization } : {} });
    const ok = await api(`Bearer ${key}`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { data: { handle: string }[] };
    expect(body.data.map((n) => n.handle)).toEqual(expect.arrayContaining(["queens-micro-hub-e2e", NODES[0].handle]));
    expect(body.data.map((n) => n.handle)).not.toContain("their-hub");
    expect((await api()).status).toBe(401);

    // Revoke it (with a confirmation): the API refuses it from then on.
    await ui.page.getByRole("button", { name: "Revoke E2E script" }).click();
    await ui.page.getByRole("button", { name: "Confirm revoking E2E script" }).click();
    await ui.page.getByText("Revoked “E2E script”").waitFor();
    expect((await api(`Bearer ${key}`)).status).toBe(401);
    await ui.page.screenshot({ path: ui.shot("settings-revoked"), fullPage: true });
  });

  it("shows settings errors on their field", async () => {
    await ui.open("/app/settings");
    await ui.page.fill('input[name="currency"]', "US");
    await ui.page.getByRole("button", { name: "Save settings" }).click();
    await ui.page.getByText("Currency must be a three-letter ISO code such as USD").waitFor();
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    expect(shop.currency).toBe("USD");
  });

  it("hydrated every ui.page without a script error", async () => {
    // Known, outside these pages: app/routes/app.tsx renders its demo nav CSS as <style> text,
    // which React escapes on the server (&quot;), so hydration of the layout fails with React
    // errors 418/423/425 and the ui.page is re-rendered on the client. Those errors are tolerated
    // only while the served HTML still shows that escaping; any other error fails here.
    const html = await (await fetch(`${ui.server.url}/app`)).text();
    const layoutStyleEscaped = /<style>[^<]*&quot;/.test(html);
    const hydration = /Minified React error #(418|423|425)/;
    const unexpected = ui.pageErrors.filter((e) => !(layoutStyleEscaped && hydration.test(e)));
    expect(unexpected).toEqual([]);
  });
});
