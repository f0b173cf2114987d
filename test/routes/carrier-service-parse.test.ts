// The pieces of the carrier-service callback that turn Shopify's bytes into a quote request:
// the signature check, the rate-request schema and item prices in either of Shopify's shapes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { priceToMinor, rateRequestSchema, toQuoteLines, validShopifyHmac } from "~/services/carrier-rates.server";
import { sign, TEST_SHOPIFY } from "../support/shopify";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../fixtures/carrier-service", name), "utf8");

describe("item prices", () => {
  it("takes integers as minor units and decimal strings as major units, exactly", () => {
    expect(priceToMinor(1999, 2)).toBe(1999);
    expect(priceToMinor("10.00", 2)).toBe(1000);
    expect(priceToMinor("10.5", 2)).toBe(1050);
    expect(priceToMinor("0.29", 2)).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(priceToMinor("10.005", 2)).toBe(1001);
    expect(priceToMinor("1500", 0)).toBe(1500); // JPY
    expect(priceToMinor("12.3456", 3)).toBe(12346); // KWD
  });
});

describe("signature", () => {
  it("accepts Shopify's base64 HMAC of the raw body and nothing else", () => {
    const raw = fixture("rate-request.json");
    expect(validShopifyHmac(raw, sign(raw), TEST_SHOPIFY.apiSecret)).toBe(true);
    expect(validShopifyHmac(raw + "\n", sign(raw), TEST_SHOPIFY.apiSecret)).toBe(false);
    expect(validShopifyHmac(raw, sign(raw, "wrong"), TEST_SHOPIFY.apiSecret)).toBe(false);
    expect(validShopifyHmac(raw, null, TEST_SHOPIFY.apiSecret)).toBe(false);
    expect(validShopifyHmac(raw, "short", TEST_SHOPIFY.apiSecret)).toBe(false);
  });
});

describe("rate request schema", () => {
  it("reads all three fixtures, keeping what the quote needs", () => {
    for (const name of ["rate-request.json", "rate-request-decimal-prices.json", "rate-request-changelog-example.json"]) {
      expect(rateRequestSchema.safeParse(JSON.parse(fixture(name))).success, name).toBe(true);
    }
    const rate = rateRequestSchema.parse(JSON.parse(fixture("rate-request.json"))).rate;
    expect(toQuoteLines(rate.items, 2)).toEqual([
      { sku: "KK-MUG-SPK-12", variantId: "44120113000", quantity: 2, unitPriceMinor: 3800, grams: 520, requiresShipping: true },
      { sku: "PM-PIN-BCT-ENM", variantId: "44120115489", quantity: 1, unitPriceMinor: 1200, grams: 30, requiresShipping: true },
      { sku: "", variantId: "44120999999", quantity: 1, unitPriceMinor: 2500, grams: 0, requiresShipping: false },
    ]);
  });

  it("accepts coordinates as numeric strings and treats junk coordinates as absent", () => {
    const body = JSON.parse(fixture("rate-request.json"));
    body.rate.destination.latitude = "40.7181";
    body.rate.destination.longitude = "not a number";
    body.rate.destination.country = "us";
    const d = rateRequestSchema.parse(body).rate.destination;
    expect([d.latitude, d.longitude, d.country]).toEqual([40.7181, null, "US"]);
  });

  it("accepts a missing postal code, missing prices and unknown extra fields", () => {
    const body = JSON.parse(fixture("rate-request.json"));
    delete body.rate.destination.postal_code;
    delete body.rate.items[0].price;
    body.rate.items[0].discounted_price = 3000;
    body.rate.customer_id = 42;
    const rate = rateRequestSchema.parse(body).rate;
    expect(rate.destination.postal_code).toBeUndefined();
    expect(toQuoteLines(rate.items, 2)[0].unitPriceMinor).toBeUndefined();
  });
});
