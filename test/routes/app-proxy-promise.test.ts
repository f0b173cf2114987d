// GET /apps/nearhub/promise (the storefront app block's backend) with requests signed the way
// Shopify's app proxy signs them: the query parameters Shopify adds (shop, logged_in_customer_id,
// path_prefix, timestamp) plus the block's own, sorted by key, each as key=value, joined with
// nothing, HMAC-SHA256 with the app secret, hex, in `signature`.
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { loader, requestFromQuery } from "~/routes/apps.nearhub.promise";
import type { DeliveryPromise } from "~/services/delivery-promise.server";
import { invalidateQuoteCache } from "~/services/quotes.server";
import { saveBackupRates, saveQuoteConfig } from "~/services/shipping-settings.server";
import { bikeCourier, groundCard, hours } from "../core/fixtures";
import { makeNode, makeProduct, makeShop } from "../support/factories";
import { warmQuotes } from "../extensions/support/warm-quotes";
import { appProxySignature, TEST_SHOPIFY } from "../support/shopify";

const NOW = new Date("2026-11-18T15:00:00Z"); // Wednesday, 10:00 in New York
const SHOP = "proxy-alpha.myshopify.com";

function proxyRequest(
  query: Record<string, string>,
  { shop = SHOP, secret, signature, timestamp }: { shop?: string; secret?: string; signature?: string | null; timestamp?: number } = {},
): Request {
  const params: Record<string, string> = {
    ...query,
    shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/nearhub",
    timestamp: String(timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const sig = signature === undefined ? appProxySignature(params, secret) : signature;
  const search = new URLSearchParams(params);
  if (sig !== null) search.set("signature", sig);
  return new Request(`${TEST_SHOPIFY.appUrl}/apps/nearhub/promise?${search}`);
}

async function call(req: Request): Promise<Response> {
  try {
    return await loader({ request: req, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const QUERY = { country: "US", postal_code: "11211", lines: "7001:2:2400" };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  const shop = await makeShop(db, SHOP);
  const hub = await makeNode(db, shop.id, {
    handle: "brooklyn", name: "Brooklyn hub", city: "Brooklyn", latitude: 40.7142, longitude: -73.9614,
    serviceRadiusM: 6000, openingHoursJson: JSON.stringify(hours("08:00", "20:00")), sameDayCutoff: "16:00",
  });
  const mug = await makeProduct(db, shop.id, { sku: "MUG-01", shopifyVariantId: "gid://shopify/ProductVariant/7001", weightGrams: 450 });
  await db.stockLevel.create({ data: { shopId: shop.id, nodeId: hub.id, productId: mug.id, available: 10 } });
  await saveQuoteConfig(shop.id, { rateCards: [groundCard()], couriers: [bikeCourier({ surge: [] })] });
  await saveBackupRates(shop.id, null, [], 5000);
  const other = await makeShop(db, "proxy-bravo.myshopify.com");
  await makeNode(db, other.id, { name: "Bravo secret hub" });
  invalidateQuoteCache();
  await warmQuotes(shop);
});

afterAll(() => {
  vi.useRealTimers();
});

describe("GET /apps/nearhub/promise", () => {
  it("answers a request signed like Shopify's proxy with the promise for the product and postal code", async () => {
    const res = await call(proxyRequest(QUERY));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const promise = (await res.json()) as DeliveryPromise;
    expect(promise.status).toBe("live");
    const sameDay = promise.options.find((o) => o.service === "SAME_DAY");
    expect(sameDay).toMatchObject({ serviceCode: "NH:brooklyn:SAME_DAY", shipsFrom: { name: "Brooklyn hub", city: "Brooklyn" } });
    expect(sameDay!.arrives.text).toMatch(/^Today by /);
    expect(JSON.stringify(promise)).not.toContain("Bravo");
  });

  it("refuses a missing, wrong or stale signature with 400, as the library does", async () => {
    const stale = Math.floor(Date.now() / 1000) - 3600;
    const bad = [
      proxyRequest(QUERY, { signature: null }),
      proxyRequest(QUERY, { secret: "not-the-app-secret" }),
      proxyRequest(QUERY, { signature: "0".repeat(64) }),
      proxyRequest(QUERY, { timestamp: stale }),
    ];
    for (const req of bad) expect((await call(req)).status).toBe(400);

    // A parameter changed after signing (another shop's domain) fails too.
    const signed = new URL(proxyRequest(QUERY).url);
    signed.searchParams.set("shop", "proxy-bravo.myshopify.com");
    expect((await call(new Request(signed))).status).toBe(400);
  });

  it("gives an unknown shop a clear empty promise", async () => {
    const res = await call(proxyRequest(QUERY, { shop: "never-installed.myshopify.com" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "unavailable", options: [], message: "Delivery estimates are not available for this shop." });
  });

  it("names the query field that is wrong", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...QUERY, lines: "7001" }, /^lines: "7001" is not variantId:quantity/],
      [{ ...QUERY, lines: "" }, /^lines: at least one line/],
      [{ ...QUERY, country: "USA" }, /^destination\.country: must be a two-letter country code/],
      [{ ...QUERY, lines: "7001:0" }, /^lines\.0\.quantity: must be at least 1/],
    ];
    for (const [query, message] of cases) {
      const res = await call(proxyRequest(query));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
  });

  it("refuses a signed request with an invalid or duplicated shop, or NUL in a parameter, with 400 naming it", async () => {
    /** Shopify's proxy signature where a key repeats: its values joined by commas. */
    const signedWith = (pairs: [string, string][]) => {
      const byKey = new Map<string, string[]>();
      for (const [k, v] of pairs) byKey.set(k, [...(byKey.get(k) ?? []), v]);
      const message = [...byKey.keys()].sort().map((k) => `${k}=${byKey.get(k)!.join(",")}`).join("");
      const search = new URLSearchParams(pairs);
      search.set("signature", createHmac("sha256", TEST_SHOPIFY.apiSecret).update(message).digest("hex"));
      return new Request(`${TEST_SHOPIFY.appUrl}/apps/nearhub/promise?${search}`);
    };
    const base: [string, string][] = [...Object.entries(QUERY), ["logged_in_customer_id", ""], ["path_prefix", "/apps/nearhub"], ["timestamp", String(Math.floor(Date.now() / 1000))]];
    const cases: [[string, string][], string][] = [
      [[...base, ["shop", "not a shop"]], 'shop: "not a shop" is not a shop domain such as example.myshopify.com'],
      [[...base, ["shop", "evil.example.com"]], 'shop: "evil.example.com" is not a shop domain such as example.myshopify.com'],
      [[...base, ["shop", SHOP], ["shop", "proxy-bravo.myshopify.com"]], "shop: must appear once (got 2 values)"],
      [[...base, ["shop", SHOP], ["shop", SHOP]], "shop: must appear once (got 2 values)"],
      [base, "shop: is required"],
      [[...base.map(([k, v]): [string, string] => (k === "postal_code" ? [k, "112\u000011"] : [k, v])), ["shop", SHOP]], "postal_code: not well-formed Unicode (NUL)"],
    ];
    for (const [pairs, error] of cases) {
      const res = await call(signedWith(pairs));
      expect(res.status, error).toBe(400);
      expect(await res.json()).toEqual({ error });
    }
  });

  it("reads Liquid's numeric variant ids as Shopify variant gids", () => {
    const input = requestFromQuery(new URLSearchParams({ country: "us", postal_code: "11211", lines: "7001:2,gid://shopify/ProductVariant/9:1:500" }));
    expect(input).toMatchObject({
      lines: [{ variantId: "7001", quantity: 2 }, { variantId: "gid://shopify/ProductVariant/9", quantity: 1, unitPriceMinor: 500 }],
    });
  });

  it("is where shopify.app.toml's [app_proxy] sends /apps/nearhub/promise, with the scope it needs", () => {
    const toml = readFileSync(path.resolve(__dirname, "../../shopify.app.toml"), "utf8");
    const section = /\[app_proxy\]([^[]*)/.exec(toml)?.[1] ?? "";
    const value = (key: string) => new RegExp(`${key}\\s*=\\s*"([^"]+)"`).exec(section)?.[1];
    expect([value("prefix"), value("subpath")]).toEqual(["apps", "nearhub"]);
    // https://<shop>/apps/nearhub/promise → <app>/<url>/promise → this route file.
    const file = `${value("url")!.slice(1).replaceAll("/", ".")}.promise.ts`;
    expect(existsSync(path.resolve(__dirname, "../../app/routes", file))).toBe(true);
    expect(/scopes\s*=\s*"([^"]+)"/.exec(toml)?.[1].split(",")).toContain("write_app_proxy");
  });
});
