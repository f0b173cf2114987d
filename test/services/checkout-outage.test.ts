// Checkout while the database is gone: this file's SQLite database is moved away (the adapter then
// refuses it, as it would a missing file) and back. Rate requests (signed like Shopify's), the quote
// service and the delivery promise must answer from memory or backup rates, never throw, and the
// quote logs they make must wait in the queue and be written once the database is back.
//
// Date is faked at Tuesday 10 June 2025, 11:00 New York time; timers and performance.now are real.
// Date is also the clock of the quote cache, the log sampler and the SQLite adapter's check of the
// file's path: time passes here by vi.setSystemTime, never by sleeping.
import { readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { answerRateRequest } from "~/services/carrier-rates.server";
import { findInstalledShop, noShopPromise, promiseForShop, promiseRequestSchema } from "~/services/delivery-promise.server";
import { quoteSnapshots } from "~/services/quote-snapshot.server";
import { flushQuoteLogs, invalidateQuoteCache, quoteForShop, quoteLogQueue } from "~/services/quotes.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { testDbKind } from "../support/db";
import { freshQuoteState, restoreQuoteState } from "../support/quote-state";
import { sign } from "../support/shopify";

const NOW = new Date("2025-06-10T15:00:00Z");
const sqlite = testDbKind() === "sqlite";
const file = sqlite ? process.env.DATABASE_URL!.replace(/^file:/, "") : "";
const raw = readFileSync(path.join(__dirname, "../fixtures/carrier-service/rate-request.json"), "utf8");
const WILLIAMSBURG = { country: "US", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 };
let shop: { id: string; currency: string };

const rates = async () => {
  const answer = await answerRateRequest({ rawBody: raw, hmac: sign(raw), shopDomain: DEMO_SHOP_DOMAIN, timeout: "10000", now: NOW });
  return { status: answer.status, codes: (JSON.parse(answer.body).rates as { service_code: string }[]).map((r) => r.service_code) };
};

/** Runs `during` with the database file moved away, a second later (the adapter checks the path at most once a second), then puts it back. */
async function withoutDatabase(during: () => Promise<void>) {
  renameSync(file, `${file}.away`);
  try {
    vi.setSystemTime(Date.now() + 1_000);
    await during();
  } finally {
    renameSync(`${file}.away`, file);
  }
}

describe.runIf(sqlite)("checkout while the database is gone", () => {
  beforeAll(async () => {
    const seeded = await seedDemoMarketplace(db, { now: NOW, orderDays: 30 });
    shop = { id: seeded.shopId, currency: "USD" };
  }, 60_000);

  beforeEach(() => freshQuoteState(NOW));
  afterEach(restoreQuoteState);

  it("goes on quoting live from the network in memory, says so once it is stale, then backup rates", async () => {
    const warm = await rates();
    expect(warm.codes).toContain("NH:nyc-bk-hub:SAME_DAY");
    await withoutDatabase(async () => {
      const { ttlMs, staleMaxMs } = quoteSnapshots.timing;
      // Within the snapshot's TTL: no query at all.
      expect(await rates()).toEqual(warm);
      // Past it (loaded at NOW): the reload fails, the last good network answers, and the quote says why.
      vi.setSystemTime(NOW.getTime() + ttlMs + 1_000);
      expect(await rates()).toEqual(warm);
      const q = await quoteForShop(shop, { lines: [{ sku: "KK-MUG-SPK-12", quantity: 1 }], destination: WILLIAMSBURG }, { source: "CARRIER_SERVICE", now: NOW });
      expect(q.fallbackUsed).toBe(false);
      expect(q.result.reasons[0]).toBe(`quoted from the network as loaded ${ttlMs / 1000 + 1} s ago, not reloaded: the database file ${file} does not exist`);
      // Too old to trust: the shop's own backup rates, as last known (nothing can be read)…
      vi.setSystemTime(NOW.getTime() + staleMaxMs);
      const old = await quoteForShop(shop, { lines: [{ sku: "KK-MUG-SPK-12", quantity: 1 }], destination: WILLIAMSBURG }, { source: "CARRIER_SERVICE", now: NOW });
      expect(old).toMatchObject({ fallbackUsed: true, fallbackReason: `live quoting unavailable: the database file ${file} does not exist` });
      expect(old.backupRates.map((r) => r.serviceCode)).toEqual(["NH:BACKUP:STANDARD", "NH:BACKUP:EXPRESS"]);
      // …and the shop itself, last read as long ago, is one the rate callback can no longer vouch for: the default backup rates.
      expect(await rates()).toEqual({ status: 200, codes: ["NH:BACKUP:STANDARD"] });
    });
    invalidateQuoteCache();
    expect(await rates()).toEqual(warm); // and live again once it is back
  });

  it("answers a shop this process has not seen with the default backup rates, and the promise with 'not right now'", async () => {
    await withoutDatabase(async () => {
      expect(await rates()).toEqual({ status: 200, codes: ["NH:BACKUP:STANDARD"] });
      const lookup = await findInstalledShop(DEMO_SHOP_DOMAIN);
      expect(lookup).toMatchObject({ status: "unavailable", error: `the database file ${file} does not exist` });
      if (lookup.status === "found") throw new Error("unreachable");
      expect(noShopPromise(lookup, NOW)).toMatchObject({ status: "unavailable", message: "Delivery estimates are not available right now." });
    });
    expect((await rates()).codes).toContain("NH:nyc-bk-hub:SAME_DAY");
  });

  it("keeps a shop it has seen, and its delivery promise with the hub's city, from memory", async () => {
    const found = await findInstalledShop(DEMO_SHOP_DOMAIN);
    if (found.status !== "found") throw new Error(`shop not found: ${found.status}`);
    const req = promiseRequestSchema.parse({ destination: { country: "US", postalCode: "11211" }, lines: [{ sku: "KK-MUG-SPK-12", quantity: 1 }] });
    const before = await promiseForShop(found.shop, req, "CHECKOUT_EXTENSION", NOW);
    expect(before.status).toBe("live");
    expect(before.options.some((o) => o.shipsFrom.city !== null)).toBe(true);
    await withoutDatabase(async () => {
      vi.setSystemTime(NOW.getTime() + 60_000); // past the shop cache's 30 s
      expect(await findInstalledShop(DEMO_SHOP_DOMAIN)).toEqual(found);
      const during = await promiseForShop(found.shop, req, "CHECKOUT_EXTENSION", NOW);
      expect(during.status).toBe("live");
      expect(during.options.map((o) => [o.serviceCode, o.shipsFrom])).toEqual(before.options.map((o) => [o.serviceCode, o.shipsFrom]));
    });
  });

  it("keeps the quote logs made meanwhile in the queue, and writes them once the database is back", async () => {
    await rates(); // warm
    await flushQuoteLogs();
    await db.quoteLog.deleteMany();
    await withoutDatabase(async () => {
      await rates(); // a second after the last sampled one (withoutDatabase moved the clock): in the sample
      await flushQuoteLogs();
      expect(quoteLogQueue()).toEqual({ queued: 1, dropped: 0 }); // not written, not lost
    });
    await flushQuoteLogs();
    expect(quoteLogQueue().queued).toBe(0);
    expect(await db.quoteLog.count({ where: { shopId: shop.id, source: "CARRIER_SERVICE" } })).toBe(1);
  });
});
