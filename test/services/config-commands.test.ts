// Configuration commands across real processes (ADR 0019): two app processes saving the same thing
// from the same version (one wins, the other is refused and writes nothing), a quote cache in this
// process learning of a save made in another one through Shop.configVersion, and checkout answering
// with the backup rates while a stored part does not read.
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { checkQuoteCacheVersion, quoteForShop, type QuoteDestinationInput } from "~/services/quotes.server";
import { getShopShipping, savePricingRules } from "~/services/shipping-settings.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { freshQuoteState, restoreQuoteState } from "../support/quote-state";

const NOW = new Date("2025-06-10T15:00:00Z");
const WILLIAMSBURG: QuoteDestinationInput = { country: "US", postalCode: "11211", latitude: 40.7181, longitude: -73.9571 };
const MUG = "KK-MUG-SPK-12";
const ROOT = path.resolve(__dirname, "../..");

let shop: { id: string; currency: string };
const quote = () => quoteForShop(shop, { lines: [{ sku: MUG, quantity: 1 }], destination: WILLIAMSBURG }, { source: "SIMULATOR", now: NOW, log: false });

interface Child {
  go(): void;
  result: Promise<{ outcome: string; message?: string }>;
}

/** Starts config-child.ts in its own process; it runs its command when told to go. */
async function startChild(command: string, args: object): Promise<Child> {
  const child = spawn(path.join(ROOT, "node_modules/.bin/vite-node"), ["--config", "vitest.config.ts", "test/services/support/config-child.ts", command, shop.id, JSON.stringify(args)], {
    cwd: ROOT,
    env: { ...process.env, NEARHUB_RETURNS_JOB: "0", NEARHUB_COURIER_QUOTES: "0" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  lines.on("line", (line) => {
    if (!line.startsWith("{")) return;
    messages.push(JSON.parse(line));
    waiters.splice(0).forEach((w) => w());
  });
  const next = (key: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const look = () => {
        const found = messages.find((m) => key in m);
        if (found) resolve(found);
        else waiters.push(look);
      };
      child.once("exit", (code) => reject(new Error(`child exited (${code}) before saying ${key}: ${stderr.slice(-2000)}`)));
      look();
    });
  await next("ready");
  return { go: () => child.stdin.write("go\n"), result: next("outcome") as Promise<{ outcome: string; message?: string }> };
}

beforeAll(async () => {
  const seeded = await seedDemoMarketplace(db, { now: NOW, orderDays: 3 });
  shop = { id: seeded.shopId, currency: "USD" };
}, 60_000);

beforeEach(() => freshQuoteState(NOW));
afterEach(restoreQuoteState);

describe("two processes saving the same thing", () => {
  it("from the same version at once: one is saved, the other is told it changed since it was opened and writes nothing", async () => {
    const { version, config } = await getShopShipping(shop.id);
    const margin = (percent: number) => [{ code: "MARGIN_PERCENT", args: { percent } }];
    const a = await startChild("save-pricing", { version, rules: margin(11) });
    const b = await startChild("save-pricing", { version, rules: margin(22) });
    a.go();
    b.go();
    const outcomes = await Promise.all([a.result, b.result]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["saved", "stale"]);
    expect(outcomes.find((o) => o.outcome === "stale")!.message).toMatch(/^The pricing rules changed since you opened it/);
    const after = await getShopShipping(shop.id);
    const winner = outcomes[0].outcome === "saved" ? 11 : 22;
    expect(after.version).toBe(version + 1);
    expect(after.config.pricingRules).toEqual([{ code: "MARGIN_PERCENT", args: { percent: winner, services: null } }]);
    // Nothing else of the document moved.
    expect({ ...after.config, pricingRules: [] }).toEqual({ ...config, pricingRules: [] });
    await savePricingRules(shop.id, after.version, config.pricingRules);
  }, 120_000);
});

describe("a quote cache in this process", () => {
  it("learns of settings saved by another process from the stored version, not from a call in its own process", async () => {
    const standard = async () => (await quote()).result.options.find((o) => o.service === "STANDARD")!.priceMinor;
    const before = await standard();
    const { version, config } = await getShopShipping(shop.id);
    const other = await startChild("save-pricing", { version, rules: [{ code: "MARGIN_PERCENT", args: { percent: 200 } }] });
    other.go();
    expect(await other.result).toEqual({ outcome: "saved" });
    try {
      expect(await standard()).toBe(before); // this process was not told: the snapshot stands until its check
      expect(await checkQuoteCacheVersion(shop.id)).toBe(true);
      expect(await standard()).toBeGreaterThan(before * 2);
      expect(await checkQuoteCacheVersion(shop.id)).toBe(false);
    } finally {
      await savePricingRules(shop.id, (await getShopShipping(shop.id)).version, config.pricingRules);
    }
  }, 120_000);

  it("learns of a node taken out of service by another process", async () => {
    const hub = await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle: "nyc-bk-hub" } });
    expect((await quote()).result.options.map((o) => o.nodeHandle)).toContain("nyc-bk-hub");
    const other = await startChild("disable-node", { nodeId: hub.id });
    other.go();
    expect(await other.result).toEqual({ outcome: "saved" });
    try {
      expect(await checkQuoteCacheVersion(shop.id)).toBe(true);
      const q = await quote();
      expect(q.result.options.map((o) => o.nodeHandle)).not.toContain("nyc-bk-hub");
    } finally {
      await db.node.update({ where: { id: hub.id }, data: { status: "ACTIVE" } });
      await db.shop.update({ where: { id: shop.id }, data: { configVersion: { increment: 1 } } });
    }
  }, 120_000);
});

describe("stored configuration that no longer reads", () => {
  it("a node's closed days in an old shape: checkout answers the shop's backup rates, naming the node and what to fix", async () => {
    const hub = await db.node.findFirstOrThrow({ where: { shopId: shop.id, handle: "nyc-bk-hub" } });
    await db.node.update({ where: { id: hub.id }, data: { holidaysJson: '{"2026-12-25":true}' } });
    await db.shop.update({ where: { id: shop.id }, data: { configVersion: { increment: 1 } } });
    try {
      const q = await quote();
      expect(q.fallbackUsed).toBe(true);
      expect(q.fallbackReason).toContain("Williamsburg Micro-hub: the stored operations do not read (holidays: Invalid input: expected array, received object)");
      expect(q.backupRates.map((r) => r.serviceCode)).toEqual(["NH:BACKUP:STANDARD", "NH:BACKUP:EXPRESS"]); // the shop's own
    } finally {
      await db.node.update({ where: { id: hub.id }, data: { holidaysJson: "[]" } });
      await db.shop.update({ where: { id: shop.id }, data: { configVersion: { increment: 1 } } });
    }
  });

  it("a courier stored by an older version: checkout answers the backup rates, then live rates once it is deleted", async () => {
    const row = await db.shippingSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const doc = JSON.parse(row.configJson);
    doc.couriers.push({ id: "old-bike", name: "Old bike", base: 5, perKm: 1 }); // fares before they were minor units
    await db.shippingSettings.update({ where: { shopId: shop.id }, data: { configJson: JSON.stringify(doc), version: { increment: 1 } } });
    await db.shop.update({ where: { id: shop.id }, data: { configVersion: { increment: 1 } } });
    const q = await quote();
    expect(q.fallbackUsed).toBe(true);
    expect(q.fallbackReason).toContain("Courier Old bike: baseMinor: Invalid input: expected number, received undefined");
    const shipping = await getShopShipping(shop.id);
    expect(shipping.problems.map((p) => [p.part, p.key])).toEqual([["couriers", "old-bike"]]);
    const { deleteCourier } = await import("~/services/shipping-settings.server");
    await deleteCourier(shop.id, shipping.version, "old-bike");
    expect((await quote()).fallbackUsed).toBe(false);
  });
});
