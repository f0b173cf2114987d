// @vitest-environment happy-dom
// The checkout UI extension as Shopify's host would run it, through @shopify/ui-extensions-tester
// (mock `shopify` global for purchase.checkout.shipping-option-list.render-after, built from
// the extension's own shopify.extension.toml): what it asks the backend, and what the shopper
// sees for an answer, a failure, and a checkout without an address yet.
import path from "node:path";
import { createCartLine } from "@shopify/ui-extensions-tester/checkout";
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ENDPOINT_PATH, DEFAULT_APP_URL, type DeliveryPromise } from "../../extensions/delivery-promise/src/promise-view";

const TARGET = "purchase.checkout.shipping-option-list.render-after";
const extension = getExtension(TARGET, { configSearchDir: path.resolve(__dirname, "../../extensions/delivery-promise") });

const money = (amountMinor: number) => ({ amountMinor, currency: "USD", formatted: `$${(amountMinor / 100).toFixed(2)}` });

/** An answer shaped like the backend's (test/routes/checkout-promise.test.ts checks the real one parses the same way). */
const PROMISE: DeliveryPromise & Record<string, unknown> = {
  status: "live",
  message: "Fastest: Today by 8 pm from the Brooklyn hub, $9.99.",
  currency: "USD",
  quotedAt: "2026-11-18T15:00:00.000Z",
  placed: "postal_code",
  options: [
    {
      serviceCode: "NH:brooklyn:SAME_DAY",
      service: "SAME_DAY",
      title: "Same-day delivery",
      shipsFrom: { name: "Brooklyn hub", city: "Brooklyn", kind: "city hub" },
      carriedBy: "Bike courier",
      arrives: { text: "Today by 8 pm", earliest: "2026-11-18T22:10:00.000Z", latest: "2026-11-19T01:00:00.000Z", timezone: "America/New_York" },
      summary: "Today by 8 pm from the Brooklyn hub",
      price: money(999),
      breakdown: {
        costs: [
          { label: "Packing at Brooklyn hub", note: null, amount: money(120) },
          { label: "Courier fee", note: null, amount: money(450) },
          { label: "Distance", note: "3.4 km by road", amount: money(272) },
        ],
        costTotal: money(842),
        steps: [
          { label: "Shop margin (+10%)", change: { ...money(84), formatted: "+$0.84" }, after: money(926) },
          { label: "Rounded", change: { ...money(73), formatted: "+$0.73" }, after: money(999) },
        ],
      },
      cheapest: false,
      fastest: true,
    },
    {
      serviceCode: "NH:lic-warehouse:STANDARD",
      service: "STANDARD",
      title: "Standard shipping",
      shipsFrom: { name: "Long Island City warehouse", city: "Long Island City", kind: "warehouse" },
      carriedBy: "Metro Parcel / Ground",
      arrives: { text: "Thu, Nov 19 – Fri, Nov 20", earliest: "2026-11-19T14:00:00.000Z", latest: "2026-11-20T23:00:00.000Z", timezone: "America/New_York" },
      summary: "Thu, Nov 19 – Fri, Nov 20 from the Long Island City warehouse",
      price: money(0),
      breakdown: { costs: [{ label: "Postage", note: "Metro Parcel / Ground, zone 2", amount: money(895) }], costTotal: money(895), steps: [{ label: "Free delivery: your order qualifies", change: { ...money(-895), formatted: "−$8.95" }, after: money(0) }] },
      cheapest: true,
      fastest: false,
    },
  ],
  backupRates: [],
  notes: [],
};

const ADDRESS = { countryCode: "US", zip: "11211", provinceCode: "NY", city: "Brooklyn" };

function setAddress(value: object | undefined) {
  // Only present when the app has protected customer data access, so not in the target's mock
  // (which refuses to set unknown keys): define it, as a host granting that access would.
  Object.defineProperty(extension.shopify, "shippingAddress", {
    value: { value, subscribe: () => () => {} },
    configurable: true,
    enumerable: true,
    writable: true,
  });
}

function setLines() {
  extension.shopify.lines.value = [
    createCartLine({
      id: "gid://shopify/CartLine/1",
      quantity: 2,
      merchandise: {
        type: "variant",
        id: "gid://shopify/ProductVariant/44120113000",
        title: "Stoneware mug",
        sku: "MUG-01",
        selectedOptions: [],
        product: { id: "gid://shopify/Product/1", vendor: "Clay Co", productType: "mug" },
        requiresShipping: true,
      },
      cost: { totalAmount: { amount: 48, currencyCode: "USD" } },
    } as Parameters<typeof createCartLine>[0]),
  ];
}

const text = () => document.body.textContent ?? "";

beforeEach(() => extension.setUp());
afterEach(() => extension.tearDown());

describe("checkout delivery promise extension", () => {
  it("asks the backend with the session token, the address and the cart lines, and shows the promise", async () => {
    setAddress(ADDRESS);
    setLines();
    const fetchMock = vi.fn(async () => Response.json(PROMISE));
    extension.fetch = fetchMock as unknown as typeof fetch;

    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("Today by 8 pm"));

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`${DEFAULT_APP_URL}${ENDPOINT_PATH}`);
    expect(init.method).toBe("POST");
    expect(new Headers(init.headers).get("Authorization")).toBe("Bearer mock-session-token");
    expect(JSON.parse(String(init.body))).toEqual({
      destination: { country: "US", postalCode: "11211", province: "NY", city: "Brooklyn" },
      lines: [{ variantId: "gid://shopify/ProductVariant/44120113000", sku: "MUG-01", quantity: 2, unitPriceMinor: 2400 }],
      locale: "en",
    });

    // Where from, when, what the price is made of, and which is fastest / cheapest.
    expect(document.body.querySelector("s-heading")?.textContent).toBe("How your order gets to you");
    expect(text()).toContain("Ships from Brooklyn hub, Brooklyn · Bike courier");
    expect(text()).toContain("Thu, Nov 19 – Fri, Nov 20");
    const badges = [...document.body.querySelectorAll("s-badge")].map((b) => b.textContent);
    expect(badges).toEqual(["Fastest", "Lowest price"]);
    expect(text()).toContain("Distance (3.4 km by road): $2.72");
    expect(text()).toContain("Shop margin (+10%): +$0.84");
    expect(text()).toContain("You pay: $9.99");
    expect(text()).toContain("Free delivery: your order qualifies: −$8.95");
    expect(text()).toContain("You pay: Free");
    expect(document.body.querySelectorAll("s-details")).toHaveLength(2);
  });

  it("uses the merchant's heading and a self-hosted app URL from the settings", async () => {
    setAddress(ADDRESS);
    setLines();
    extension.shopify.settings.value = { heading: "Delivery from our city hubs", app_url: "https://hub.example.org/" };
    const fetchMock = vi.fn(async () => Response.json(PROMISE));
    extension.fetch = fetchMock as unknown as typeof fetch;

    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("Today by 8 pm"));
    expect(fetchMock.mock.calls[0][0 as never]).toBe(`https://hub.example.org${ENDPOINT_PATH}`);
    expect(document.body.querySelector("s-heading")?.textContent).toBe("Delivery from our city hubs");
  });

  it("shows one quiet line, and no error, when the backend fails", async () => {
    setAddress(ADDRESS);
    setLines();
    extension.fetch = vi.fn(async () => new Response("upstream down", { status: 502 })) as unknown as typeof fetch;

    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")).not.toBeNull());
    expect(text()).toContain("Delivery details are not available right now. The shipping options above still apply.");
    expect(document.body.querySelector("s-banner")?.getAttribute("tone")).toBe("info");
  });

  it("survives a network error and a malformed answer the same way", async () => {
    for (const answer of [
      async () => {
        throw new TypeError("Failed to fetch");
      },
      async () => Response.json({ status: "live", options: "nope" }),
    ]) {
      extension.tearDown();
      extension.setUp();
      setAddress(ADDRESS);
      setLines();
      extension.fetch = vi.fn(answer) as unknown as typeof fetch;
      await extension.render();
      await vi.waitFor(() => expect(text()).toContain("Delivery details are not available right now."));
    }
  });

  it("lists the backup rates when only they apply", async () => {
    setAddress(ADDRESS);
    setLines();
    const backup = {
      ...PROMISE,
      status: "backup",
      message: "Live delivery times are not available right now; our standard rates apply.",
      options: [],
      backupRates: [{ name: "Standard shipping", description: "", price: money(899), freeOver: null, transit: "3–7 business days" }],
    };
    extension.fetch = vi.fn(async () => Response.json(backup)) as unknown as typeof fetch;
    await extension.render();
    await vi.waitFor(() => expect(text()).toContain("Standard shipping: $8.99, 3–7 business days"));
    expect(text()).toContain("our standard rates apply");
  });

  it("stays out of the way without an address API, an address or a postal code", async () => {
    for (const address of ["absent", undefined, { countryCode: "US" }] as const) {
      extension.tearDown();
      extension.setUp();
      if (address !== "absent") setAddress(address);
      setLines();
      const fetchMock = vi.fn(async () => Response.json(PROMISE));
      extension.fetch = fetchMock as unknown as typeof fetch;
      await extension.render();
      await new Promise((r) => setTimeout(r, 0));
      expect(fetchMock).not.toHaveBeenCalled();
      expect(document.body.innerHTML).toBe("");
    }
  });
});
