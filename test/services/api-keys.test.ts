// Open API keys against a real database: only the hash is stored, a key opens its own shop
// and no other, revoking closes it, and lastUsedAt is written at most once a minute.
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DEMO_DEFAULTS, parseEnv, type Env } from "~/env.server";
import {
  LAST_USED_THROTTLE_MS,
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  parseBearer,
  revokeApiKey,
} from "~/services/api-keys.server";
import { NotFoundError } from "~/services/network.server";
import { makeShop } from "../support/factories";
import { resetDb, testDb } from "../support/db";

// The configuration authenticateApiKey sees: demo mode on or off per test.
const config = vi.hoisted(() => ({ demo: false }));
vi.mock("~/env.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/env.server")>();
  return {
    ...original,
    env: (): Env =>
      original.parseEnv(
        config.demo
          ? { NEARHUB_DEMO: "1", NODE_ENV: "test", DATABASE_URL: process.env.DATABASE_URL }
          : {
              NODE_ENV: "test",
              DATABASE_URL: process.env.DATABASE_URL,
              SHOPIFY_API_KEY: "test-api-key",
              SHOPIFY_API_SECRET: "test-api-secret",
              SHOPIFY_APP_URL: "http://127.0.0.1:3000",
              NEARHUB_ENCRYPTION_KEY: process.env.NEARHUB_ENCRYPTION_KEY,
            },
      ),
  };
});

const db = testDb();
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const bearer = (key: string) => `Bearer ${key}`;

beforeEach(async () => {
  await resetDb();
  config.demo = false;
});

describe("createApiKey", () => {
  it("returns the key once and stores only its SHA-256 hash and a 16-character prefix", async () => {
    const shop = await makeShop(db);
    const { key, record } = await createApiKey(shop.id, "  Warehouse script ");

    expect(key).toMatch(/^nh_live_[0-9a-f]{64}$/);
    expect(record).toMatchObject({ name: "Warehouse script", prefix: key.slice(0, 16), revokedAt: null, lastUsedAt: null });
    expect(record).not.toHaveProperty("hash");

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.hash).toBe(sha256(key));
    expect(row.prefix).toBe(key.slice(0, 16));
    // The secret part never reaches the database, in any column.
    const secret = key.slice(12);
    for (const value of Object.values(row)) expect(String(value)).not.toContain(secret);
  });

  it("draws a different key every time", async () => {
    const shop = await makeShop(db);
    const a = await createApiKey(shop.id, "a");
    const b = await createApiKey(shop.id, "b");
    expect(a.key).not.toBe(b.key);
  });

  it("refuses a blank name", async () => {
    const shop = await makeShop(db);
    await expect(createApiKey(shop.id, "   ")).rejects.toThrow(/name/);
  });
});

describe("authenticateApiKey", () => {
  it("create → authenticate → revoke → refused", async () => {
    const shop = await makeShop(db);
    const { key, record } = await createApiKey(shop.id, "script");
    const now = new Date("2026-11-20T12:00:00Z");

    const result = await authenticateApiKey(bearer(key), { now });
    expect(result?.shop.id).toBe(shop.id);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: record.id } })).lastUsedAt).toEqual(now);

    await revokeApiKey(shop.id, record.id, { now });
    expect(await authenticateApiKey(bearer(key), { now })).toBeNull();
    const [listed] = await listApiKeys(shop.id);
    expect(listed.revokedAt).toEqual(now);
  });

  it("a key opens its own shop and never another", async () => {
    const mine = await makeShop(db);
    const theirs = await makeShop(db);
    const myKey = await createApiKey(mine.id, "mine");
    const theirKey = await createApiKey(theirs.id, "theirs");

    expect((await authenticateApiKey(bearer(myKey.key)))?.shop.id).toBe(mine.id);
    expect((await authenticateApiKey(bearer(theirKey.key)))?.shop.id).toBe(theirs.id);
    expect((await listApiKeys(mine.id)).map((k) => k.id)).toEqual([myKey.record.id]);
  });

  it("another shop cannot revoke a key it does not own", async () => {
    const mine = await makeShop(db);
    const theirs = await makeShop(db);
    const { key, record } = await createApiKey(mine.id, "mine");

    await expect(revokeApiKey(theirs.id, record.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeApiKey(mine.id, "no-such-id")).rejects.toBeInstanceOf(NotFoundError);
    expect((await authenticateApiKey(bearer(key)))?.shop.id).toBe(mine.id);
  });

  it("refuses headers that are not a known Bearer key", async () => {
    const shop = await makeShop(db);
    const { key } = await createApiKey(shop.id, "script");
    for (const header of [
      null,
      "",
      key, // no scheme
      `Basic ${key}`,
      "Bearer",
      "Bearer ",
      `Bearer ${key}x`,
      `Bearer ${key.slice(0, -1)}`,
      `Bearer ${key} extra`,
      `Bearer ${"a".repeat(10_000)}`,
    ]) {
      expect(await authenticateApiKey(header), String(header).slice(0, 40)).toBeNull();
    }
    expect((await authenticateApiKey(`bearer  ${key}`))?.shop.id).toBe(shop.id);
  });

  it("refuses the key of an uninstalled shop", async () => {
    const shop = await makeShop(db);
    const { key } = await createApiKey(shop.id, "script");
    await db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    expect(await authenticateApiKey(bearer(key))).toBeNull();
  });

  it("writes lastUsedAt at most once per minute", async () => {
    const shop = await makeShop(db);
    const { key, record } = await createApiKey(shop.id, "busy script");
    const t0 = new Date("2026-11-20T12:00:00Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const lastUsed = async () => (await db.apiKey.findUniqueOrThrow({ where: { id: record.id } })).lastUsedAt;

    await authenticateApiKey(bearer(key), { now: t0 });
    await authenticateApiKey(bearer(key), { now: at(30_000) });
    expect(await lastUsed()).toEqual(t0);
    await authenticateApiKey(bearer(key), { now: at(LAST_USED_THROTTLE_MS + 1_000) });
    expect(await lastUsed()).toEqual(at(LAST_USED_THROTTLE_MS + 1_000));
  });

  it("accepts the documented demo key for the demo shop only in demo mode", async () => {
    const demoKey = DEMO_DEFAULTS.NEARHUB_DEMO_API_KEY;
    expect(await authenticateApiKey(bearer(demoKey))).toBeNull();

    config.demo = true;
    const result = await authenticateApiKey(bearer(demoKey));
    expect(result?.shop.domain).toBe("nearhub-demo.myshopify.com");
    expect(await authenticateApiKey(bearer(demoKey + "0"))).toBeNull();
    // Real keys keep working in demo mode.
    const shop = await makeShop(db);
    const { key } = await createApiKey(shop.id, "script");
    expect((await authenticateApiKey(bearer(key)))?.shop.id).toBe(shop.id);
  });
});

describe("parseBearer", () => {
  it("reads the token of a Bearer header only", () => {
    expect(parseBearer("Bearer abc")).toBe("abc");
    expect(parseBearer("Token abc")).toBeNull();
    expect(parseBearer(undefined)).toBeNull();
  });
});

it("parseEnv keeps the demo key out of non-demo configurations", () => {
  expect(parseEnv({ NODE_ENV: "test", SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "http://x.test", NEARHUB_ENCRYPTION_KEY: process.env.NEARHUB_ENCRYPTION_KEY }).demoApiKey).toBeUndefined();
});
