// Shopify sessions with encrypted tokens (app/session-storage.server.ts) on a real database:
// what reaches the Session table is ciphertext; rows written in clear text before this change, or
// under a retired key, are rewritten on first read and by `npm run secrets:reencrypt`.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Session } from "@shopify/shopify-app-remix/server";
import { beforeEach, describe, expect, it } from "vitest";
import { EncryptedSessionStorage, reencryptSessionTokens } from "~/session-storage.server";
import { SecretBox, keyId } from "~/services/secrets.server";
import { parseEncryptionKey } from "~/env.server";
import { resetDb, testDb } from "../support/db";

const db = testDb();
const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const SHOP = "cipher-alpha.myshopify.com";
const ACCESS = "shpat_live_access_token_0123456789";
const REFRESH = "shprt_live_refresh_token_9876543210";

const storage = (...keys: Buffer[]) => {
  const box = new SecretBox(keys);
  return new EncryptedSessionStorage(db, () => box);
};
const offline = (shop = SHOP) =>
  new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products", accessToken: ACCESS, refreshToken: REFRESH, refreshTokenExpires: new Date("2027-01-01T00:00:00Z") });
const rawRow = (id = `offline_${SHOP}`) => db.session.findUniqueOrThrow({ where: { id }, select: { accessToken: true, refreshToken: true } });

beforeEach(() => resetDb());

describe("EncryptedSessionStorage", () => {
  it("stores ciphertext only and loads the tokens back", async () => {
    const s = storage(newKey);
    await s.storeSession(offline());
    const row = await rawRow();
    for (const value of [row.accessToken, row.refreshToken!]) {
      expect(value).toMatch(new RegExp(`^nh1\\.${keyId(newKey)}\\.`));
      expect(value).not.toContain("shpat");
      expect(value).not.toContain("shprt");
    }
    const loaded = await s.loadSession(`offline_${SHOP}`);
    expect(loaded).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH, shop: SHOP, scope: "read_products" });
    expect(await s.findSessionsByShop(SHOP)).toEqual([expect.objectContaining({ accessToken: ACCESS })]);
  });

  it("encrypts a clear-text row from before encryption the first time it is read", async () => {
    await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: ACCESS, refreshToken: REFRESH } });
    const loaded = await storage(newKey).loadSession(`offline_${SHOP}`);
    expect(loaded?.accessToken).toBe(ACCESS);
    const row = await rawRow();
    expect(row.accessToken.startsWith(`nh1.${keyId(newKey)}.`)).toBe(true);
    expect(row.refreshToken!.startsWith(`nh1.${keyId(newKey)}.`)).toBe(true);
  });

  it("moves a retired key's row to the current key on read, and gives up a row no key opens", async () => {
    await storage(oldKey).storeSession(offline());
    expect((await storage(newKey, oldKey).loadSession(`offline_${SHOP}`))?.refreshToken).toBe(REFRESH);
    expect((await rawRow()).accessToken.split(".")[1]).toBe(keyId(newKey));

    // A key that is gone: no session (Shopify's token exchange replaces it), nothing thrown.
    await storage(oldKey).storeSession(offline());
    expect(await storage(newKey).loadSession(`offline_${SHOP}`)).toBeUndefined();
    expect(await storage(newKey).findSessionsByShop(SHOP)).toEqual([]);
  });

  it("refuses a token copied from another shop's row", async () => {
    const s = storage(newKey);
    await s.storeSession(offline());
    await s.storeSession(offline("cipher-bravo.myshopify.com"));
    const bravo = await rawRow("offline_cipher-bravo.myshopify.com");
    await db.session.update({ where: { id: `offline_${SHOP}` }, data: { accessToken: bravo.accessToken } });
    expect(await s.loadSession(`offline_${SHOP}`)).toBeUndefined();
  });
});

describe("reencryptSessionTokens (npm run secrets:reencrypt)", () => {
  it("seals clear text and retired-key tokens with the current key, reports the rest, and changes nothing on a second run", async () => {
    await db.session.create({ data: { id: "offline_clear.myshopify.com", shop: "clear.myshopify.com", state: "", accessToken: ACCESS } });
    await storage(oldKey).storeSession(offline("rotate.myshopify.com"));
    await storage(newKey).storeSession(offline("current.myshopify.com"));
    await storage(randomBytes(32)).storeSession(offline("lost.myshopify.com"));

    const box = new SecretBox([newKey, oldKey]);
    // A page size of 1: every row is its own page.
    expect(await reencryptSessionTokens(db, box, 1)).toEqual({ rows: 4, encrypted: 1, rotated: 2, unreadable: ["offline_lost.myshopify.com"] });
    for (const shop of ["clear", "rotate", "current"]) {
      const row = await rawRow(`offline_${shop}.myshopify.com`);
      expect(row.accessToken.split(".")[1]).toBe(keyId(newKey));
      expect(box.open(row.accessToken, `Session.accessToken:offline_${shop}.myshopify.com`)).toBe(ACCESS);
    }
    expect(await reencryptSessionTokens(db, box)).toEqual({ rows: 4, encrypted: 0, rotated: 0, unreadable: ["offline_lost.myshopify.com"] });
    // The key that is no longer needed can go.
    expect((await storage(newKey).loadSession("offline_rotate.myshopify.com"))?.accessToken).toBe(ACCESS);
  });
});

describe("npm run secrets:reencrypt", () => {
  const ROOT = path.resolve(__dirname, "../..");
  const cli = (env: Record<string, string>) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    Reflect.deleteProperty(childEnv, "NEARHUB_DEMO");
    return spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/secrets-reencrypt.ts")], {
      cwd: ROOT,
      env: childEnv,
      encoding: "utf8",
    });
  };

  it("encrypts clear-text rows with the configured key, and exits 1 naming a row it cannot open", async () => {
    await db.session.create({ data: { id: "offline_legacy.myshopify.com", shop: "legacy.myshopify.com", state: "", accessToken: ACCESS } });
    const done = cli({});
    expect(done.status, done.stderr).toBe(0);
    const current = new SecretBox([parseEncryptionKey(process.env.NEARHUB_ENCRYPTION_KEY!)!]);
    expect(done.stdout).toContain(`Sessions: 1 row(s); 1 token(s) encrypted from clear text, 0 moved to key ${current.current.id}`);
    const row = await rawRow("offline_legacy.myshopify.com");
    expect(current.open(row.accessToken, "Session.accessToken:offline_legacy.myshopify.com")).toBe(ACCESS);

    const stranger = cli({ NEARHUB_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
    expect(stranger.status).toBe(1);
    expect(stranger.stderr).toContain("1 row(s) hold a token no configured key opens, left as they are: offline_legacy.myshopify.com");
    expect(cli({ NEARHUB_ENCRYPTION_KEY: "" }).status).toBe(2);
  }, 60_000);
});
