// The storefront app block in a real browser (Debian's Chromium through playwright-core): a
// product page carrying the block's markup as its Liquid renders it, the block's own script and
// stylesheet, and Shopify's app proxy played by a route handler that signs the request as
// Shopify documents and hands it to the real /apps/nearhub/promise loader on this file's database.
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { loader } from "~/routes/apps.nearhub.promise";
import { invalidateQuoteCache } from "~/services/quotes.server";
import { saveBackupRates, saveQuoteConfig } from "~/services/shipping-settings.server";
import { bikeCourier, groundCard, hours } from "../core/fixtures";
import { ROOT, launchChromium } from "../e2e/support/app-server";
import { makeNode, makeProduct, makeShop } from "../support/factories";
import { warmQuotes } from "./support/warm-quotes";
import { TEST_SHOPIFY } from "../support/shopify";

const SHOP = "block-alpha.myshopify.com";
const STORE = `https://${SHOP}`;
const THEME = path.join(ROOT, "extensions", "delivery-promise-theme");
const LIQUID = readFileSync(path.join(THEME, "blocks", "delivery-promise.liquid"), "utf8");

/** The block as its Liquid renders on a product page (variant 7001 at $24.00, no customer logged in). */
const BLOCK_HTML = `
<div class="nearhub-promise" data-nearhub-promise data-proxy-url="/apps/nearhub/promise" data-scope="product"
  data-lines="7001:1:2400" data-country="US" data-default-postal="" data-locale="en" data-show-breakdown="true">
  <p class="nearhub-promise__heading">When will it arrive?</p>
  <form class="nearhub-promise__form" novalidate>
    <label class="nearhub-promise__label" for="nearhub-postal-b1">Your postal code</label>
    <div class="nearhub-promise__row">
      <input class="nearhub-promise__input" id="nearhub-postal-b1" name="postal_code" type="text" autocomplete="postal-code" maxlength="16" value="">
      <button class="nearhub-promise__button" type="submit">Check</button>
    </div>
    <p class="nearhub-promise__error" role="alert" hidden></p>
  </form>
  <div class="nearhub-promise__result" aria-live="polite"></div>
</div>`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Stoneware mug</title>
<link rel="stylesheet" href="/cdn/delivery-promise.css">
<style>body{font-family:sans-serif;max-width:560px;margin:2rem auto}</style></head>
<body><h1>Stoneware mug</h1><p>$24.00</p>
<form action="/cart/add"><input type="hidden" name="id" value="7001"><button>Add to cart</button></form>
${BLOCK_HTML}
<script src="/cdn/delivery-promise.js" defer></script></body></html>`;

function sign(params: URLSearchParams): string {
  const entries = [...params.entries()].sort(([a], [b]) => a.localeCompare(b));
  return createHmac("sha256", TEST_SHOPIFY.apiSecret).update(entries.map(([k, v]) => `${k}=${v}`).join("")).digest("hex");
}

let browser: Browser;
let page: Page;
const proxied: URLSearchParams[] = [];

beforeAll(async () => {
  // Wednesday 18 Nov 2026, 10:00 in New York, for the quotes (only Date is faked: the browser runs on real timers).
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-18T15:00:00Z") });
  const shop = await makeShop(db, SHOP);
  const hub = await makeNode(db, shop.id, {
    handle: "brooklyn", name: "Brooklyn hub", city: "Brooklyn", latitude: 40.7142, longitude: -73.9614,
    serviceRadiusM: 6000, openingHoursJson: JSON.stringify(hours("08:00", "20:00")), sameDayCutoff: "16:00",
  });
  const warehouse = await makeNode(db, shop.id, {
    handle: "lic-warehouse", name: "Long Island City warehouse", kind: "CENTRAL_WAREHOUSE", city: "Long Island City",
    latitude: 40.7447, longitude: -73.9485, serviceRadiusM: null, openingHoursJson: JSON.stringify(hours("07:00", "19:00")),
  });
  const mug = await makeProduct(db, shop.id, { sku: "MUG-01", shopifyVariantId: "gid://shopify/ProductVariant/7001", weightGrams: 450 });
  for (const n of [hub, warehouse]) await db.stockLevel.create({ data: { shopId: shop.id, nodeId: n.id, productId: mug.id, available: 10 } });
  await saveQuoteConfig(shop.id, {
    rateCards: [groundCard()],
    couriers: [bikeCourier({ surge: [] })],
    pricingRules: [{ code: "MARGIN_PERCENT", args: { percent: 10 } }, { code: "ROUND_CHARM", args: {} }],
  });
  await saveBackupRates(shop.id, null, [], 5000);
  invalidateQuoteCache();
  await warmQuotes(shop);

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 800, height: 1000 } });
  await context.route(/^https?:\/\/(?!block-alpha\.myshopify\.com)/, (route) => route.abort());
  await context.route(`${STORE}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === "/products/mug") return route.fulfill({ contentType: "text/html", body: PAGE });
    if (url.pathname.startsWith("/cdn/")) {
      const file = path.join(THEME, "assets", path.basename(url.pathname));
      return route.fulfill({ contentType: file.endsWith(".js") ? "text/javascript" : "text/css", body: readFileSync(file, "utf8") });
    }
    if (url.pathname === "/apps/nearhub/promise") {
      // Shopify's app proxy: add its parameters, sign, forward to the app.
      const params = new URLSearchParams(url.search);
      proxied.push(new URLSearchParams(params));
      params.set("shop", SHOP);
      params.set("logged_in_customer_id", "");
      params.set("path_prefix", "/apps/nearhub");
      params.set("timestamp", String(Math.floor(Date.now() / 1000)));
      params.set("signature", sign(params));
      const res = await loader({ request: new Request(`${TEST_SHOPIFY.appUrl}/apps/nearhub/promise?${params}`), params: {}, context: {} });
      const body = await res.text();
      return route.fulfill({ status: res.status, contentType: "application/json", body });
    }
    return route.fulfill({ status: 404, body: "not found" });
  });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  vi.useRealTimers();
});

describe("storefront delivery promise block", () => {
  it("marks up the same data attributes as the Liquid block", () => {
    const attrs = (html: string) => new Set([...html.matchAll(/\b(data-[a-z-]+)=/g)].map((m) => m[1]));
    expect(attrs(BLOCK_HTML)).toEqual(attrs(LIQUID));
    expect(LIQUID).toContain('"target": "section"');
  });

  it("explains a bad postal code next to the field, then shows the promise for a good one", async () => {
    await page.goto(`${STORE}/products/mug`);
    expect(proxied).toHaveLength(0); // nothing remembered, nobody logged in: waits for the shopper

    await page.fill(".nearhub-promise__input", "!");
    await page.click(".nearhub-promise__button");
    await expect(page.locator(".nearhub-promise__error").textContent()).resolves.toBe("Enter a postal code, e.g. 11211.");
    await expect(page.locator(".nearhub-promise__input").getAttribute("aria-invalid")).resolves.toBe("true");

    await page.fill(".nearhub-promise__input", "11211");
    await page.click(".nearhub-promise__button");
    await page.waitForSelector(".nearhub-promise__option");
    const text = (await page.locator(".nearhub-promise__result").textContent()) ?? "";
    expect(text).toContain("Same-day delivery");
    expect(text).toMatch(/Today by \d{1,2}(:\d\d)? (am|pm)/);
    expect(text).toContain("Ships from Brooklyn hub, Brooklyn · Bike courier");
    expect(text).toContain("Fastest");
    expect(text).toContain("Lowest price");
    await expect(page.locator(".nearhub-promise__error").isHidden()).resolves.toBe(true);

    expect(proxied).toHaveLength(1);
    expect(Object.fromEntries(proxied[0])).toEqual({ country: "US", postal_code: "11211", lines: "7001:1:2400", locale: "en" });

    const sameDay = page.locator(".nearhub-promise__option", { hasText: "Same-day delivery" });
    await sameDay.locator("summary").click();
    await expect(sameDay.locator(".nearhub-promise__breakdown").textContent()).resolves.toMatch(/Courier fee: \$\d+\.\d\d/);
    mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, "test-results", "theme-delivery-promise.png"), fullPage: true });
  });

  it("remembers the postal code and asks again on the next page view", async () => {
    proxied.length = 0;
    await page.goto(`${STORE}/products/mug`);
    await page.waitForSelector(".nearhub-promise__option");
    await expect(page.locator(".nearhub-promise__input").inputValue()).resolves.toBe("11211");
    expect(proxied.map((p) => p.get("postal_code"))).toEqual(["11211"]);
  });
});
