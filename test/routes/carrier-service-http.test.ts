// The production server's fast path for rate requests (handleCarrierRatesNode, mounted before
// Express by server.mjs), over real HTTP on 127.0.0.1: it must answer exactly as the Remix route.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { action } from "~/routes/api.carrier-service.rates";
import { handleCarrierRatesNode, MAX_RATE_REQUEST_BYTES } from "~/services/carrier-rates.server";
import { invalidateQuoteCache } from "~/services/quotes.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { sign } from "../support/shopify";

const NOW = new Date("2025-06-10T15:00:00Z");
const raw = readFileSync(path.join(__dirname, "../fixtures/carrier-service/rate-request.json"), "utf8");
let server: http.Server;
let base: string;

function headers(body: string | Buffer, hmac = sign(body.toString())) {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": hmac,
    "X-Shopify-Shop-Domain": DEMO_SHOP_DOMAIN,
    "X-Shopify-Timeout": "10000",
  };
}

/** A POST whose body is written in several chunks, as a slow client would send it. */
function postChunked(chunks: string[], hmac: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/carrier-service/rates`, { method: "POST", headers: { ...headers("", hmac) } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

beforeAll(async () => {
  await seedDemoMarketplace(db, { now: NOW, orderDays: 30 });
  server = http.createServer(handleCarrierRatesNode);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  invalidateQuoteCache();
  return () => vi.useRealTimers();
});

describe("the node fast path", () => {
  it("answers exactly what the Remix route answers", async () => {
    const fast = await fetch(`${base}/api/carrier-service/rates`, { method: "POST", headers: headers(raw), body: raw });
    const request = new Request("http://127.0.0.1:3000/api/carrier-service/rates", { method: "POST", headers: headers(raw), body: raw });
    const remix = await (action as unknown as (a: { request: Request; params: object; context: object }) => Promise<Response>)({
      request,
      params: {},
      context: {},
    });
    expect(fast.status).toBe(200);
    expect(fast.headers.get("content-type")).toBe("application/json");
    const body = await fast.text();
    expect(body).toBe(await remix.text());
    expect(JSON.parse(body).rates.map((r: { service_code: string }) => r.service_code)).toContain("NH:nyc-bk-hub:SAME_DAY");
  });

  it("verifies the signature over the bytes as they arrived, whatever the chunking", async () => {
    const cut = [raw.slice(0, 100), raw.slice(100, 1500), raw.slice(1500)];
    const ok = await postChunked(cut, sign(raw));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).rates.length).toBeGreaterThan(0);
    const forged = await postChunked(cut, sign(raw.replace("Bob Bobsen", "Eve")));
    expect(forged.status).toBe(401);
  });

  it("answers 400 to a body that is not JSON and 413 to one too large to be a rate request", async () => {
    const notJson = await fetch(`${base}/api/carrier-service/rates`, { method: "POST", headers: headers("nope"), body: "nope" });
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: "body: not valid JSON" }]);
    const huge = "x".repeat(MAX_RATE_REQUEST_BYTES + 10);
    const tooLarge = await fetch(`${base}/api/carrier-service/rates`, { method: "POST", headers: headers(huge), body: huge });
    expect(tooLarge.status).toBe(413);
  });
});
