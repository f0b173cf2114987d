// The checkout extension's plain logic: what it sends, where, how it reads the answer, and
// that asking never throws into checkout.
import { describe, expect, it, vi } from "vitest";
import {
  DEFAULT_APP_URL,
  ENDPOINT_PATH,
  endpointOf,
  fetchPromise,
  parsePromise,
  planRequest,
  requestKey,
  viewOf,
  type CartLineLike,
} from "../../extensions/delivery-promise/src/promise-view";

const line = (over: Partial<CartLineLike> & { merchandise?: Partial<CartLineLike["merchandise"]> } = {}): CartLineLike => ({
  quantity: over.quantity ?? 1,
  merchandise: { type: "variant", id: "gid://shopify/ProductVariant/1", requiresShipping: true, ...over.merchandise },
  ...(over.cost ? { cost: over.cost } : {}),
});

describe("planRequest", () => {
  it("sends unit prices in minor units of the line's currency (yen have none, dinars three)", () => {
    const plan = planRequest({ countryCode: "JP", zip: "150-0001" }, [
      line({ quantity: 3, cost: { totalAmount: { amount: 4500, currencyCode: "JPY" } } }),
      line({ quantity: 2, merchandise: { id: "gid://shopify/ProductVariant/2" }, cost: { totalAmount: { amount: 1.5, currencyCode: "KWD" } } }),
    ]);
    expect(plan.ok && plan.body.lines.map((l) => l.unitPriceMinor)).toEqual([1500, 750]);
  });

  it("leaves out lines that do not ship, and says why nothing is asked", () => {
    const digital = line({ merchandise: { id: "gid://shopify/ProductVariant/9", requiresShipping: false } });
    expect(planRequest(undefined, [line()])).toEqual({ ok: false, reason: "no-address" });
    expect(planRequest({ countryCode: "US", zip: "  " }, [line()])).toEqual({ ok: false, reason: "no-postal-code" });
    expect(planRequest({ countryCode: "US", zip: "11211" }, [digital])).toEqual({ ok: false, reason: "nothing-to-ship" });
    const plan = planRequest({ countryCode: "US", zip: "11211" }, [digital, line({ quantity: 2 })]);
    expect(plan.ok && plan.body.lines).toEqual([{ variantId: "gid://shopify/ProductVariant/1", quantity: 2 }]);
  });

  it("gives the same key for the same address and cart, so the extension does not ask twice", () => {
    const a = planRequest({ countryCode: "US", zip: "11211", city: "Brooklyn" }, [line()]);
    const b = planRequest({ countryCode: "US", zip: "11211", city: "Brooklyn" }, [line()]);
    const c = planRequest({ countryCode: "US", zip: "11215", city: "Brooklyn" }, [line()]);
    expect(requestKey(a)).toBe(requestKey(b));
    expect(requestKey(a)).not.toBe(requestKey(c));
  });
});

describe("endpointOf", () => {
  it("uses the app's URL unless the setting is an https (or loopback http) URL", () => {
    const fallback = `${DEFAULT_APP_URL}${ENDPOINT_PATH}`;
    expect(endpointOf(undefined)).toBe(fallback);
    expect(endpointOf("not a url")).toBe(fallback);
    expect(endpointOf("http://evil.example.com")).toBe(fallback);
    expect(endpointOf("javascript:alert(1)")).toBe(fallback);
    expect(endpointOf("https://hub.example.org/some/path")).toBe(`https://hub.example.org${ENDPOINT_PATH}`);
    expect(endpointOf("http://127.0.0.1:3000")).toBe(`http://127.0.0.1:3000${ENDPOINT_PATH}`);
  });
});

describe("parsePromise and viewOf", () => {
  it("refuses answers that do not have the promised shape", () => {
    expect(parsePromise(null)).toBeNull();
    expect(parsePromise({ status: "live", message: "x", options: [{}], backupRates: [], notes: [] })).toBeNull();
    expect(parsePromise({ status: "maybe", message: "x", options: [], backupRates: [], notes: [] })).toBeNull();
    expect(parsePromise({ status: "unavailable", message: "x", options: [], backupRates: [], notes: [] })).not.toBeNull();
  });

  it("shows nothing for a shop without Nearhub and while there is nothing to ask", () => {
    const unavailable = parsePromise({ status: "unavailable", message: "x", options: [], backupRates: [], notes: [] })!;
    expect(viewOf({ kind: "ready", promise: unavailable })).toEqual({ kind: "hidden" });
    expect(viewOf({ kind: "idle", reason: "no-postal-code" })).toEqual({ kind: "hidden" });
    expect(viewOf({ kind: "loading" }, "  ")).toEqual({ kind: "loading", heading: "How your order gets to you" });
  });
});

describe("fetchPromise", () => {
  const body = { destination: { country: "US", postalCode: "11211", province: null, city: null }, lines: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1 }] };

  it("gives up at its time limit instead of waiting on a hung backend", async () => {
    const hung = vi.fn(
      (_url: unknown, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted")))),
    );
    const state = await fetchPromise("https://app.test/x", body, { fetch: hung as unknown as typeof fetch, token: async () => "t", timeoutMs: 5 });
    expect(state).toEqual({ kind: "error", detail: "aborted" });
  });

  it("turns a failing session token into the error state too", async () => {
    const state = await fetchPromise("https://app.test/x", body, {
      fetch: vi.fn() as unknown as typeof fetch,
      token: async () => {
        throw new Error("no token");
      },
    });
    expect(state).toEqual({ kind: "error", detail: "no token" });
  });
});
