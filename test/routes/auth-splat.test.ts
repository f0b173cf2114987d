// /auth/* is the Shopify library's (OAuth callback, bounce page, exit-iframe). The fuzzer of issue 9
// found GET /auth/exit-iframe without a destination the library trusts answered 500 (the library
// throws an Error there, not a Response); it is the caller's mistake, so 400 with a sentence.
import { describe, expect, it } from "vitest";
import { loader } from "~/routes/auth.$";

async function answer(url: string): Promise<Response> {
  try {
    await loader({ request: new Request(url), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("the loader answered nothing");
}

describe("GET /auth/exit-iframe", () => {
  it("refuses a missing or foreign destination with 400 and a sentence", async () => {
    for (const query of ["", "?code=%3F%3F", "?exitIframe=https%3A%2F%2Fevil.example%2F", "?exitIframe=https%3A%2F%2Fcdn.shopify.com%2Fx"]) {
      const res = await answer(`http://127.0.0.1:3000/auth/exit-iframe${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toBe("exitIframe: missing, or not a destination Nearhub redirects to (the app itself or the shop's admin)");
    }
  });

  it("still renders the exit page for the shop's admin", async () => {
    const destination = "https://admin.shopify.com/store/alpha/apps/nearhub";
    const res = await answer(`http://127.0.0.1:3000/auth/exit-iframe?shop=alpha.myshopify.com&exitIframe=${encodeURIComponent(destination)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`window.open(${JSON.stringify(destination)}, "_top")`);
  });
});
