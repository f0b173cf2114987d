// Open API keys, one set per shop. The full key is shown to the merchant once, at creation;
// only its SHA-256 hash is stored (plus a short prefix so a person can tell keys apart).
// Keys are never logged: errors below name the key's id or prefix, never the key.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Prisma, type ApiKey, type Shop } from "@prisma/client";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN, env } from "~/env.server";
import { NotFoundError } from "./network.server";
import { ensureShop } from "./shops.server";

export { NotFoundError };

export const API_KEY_PREFIX = "nh_live_";
/** Characters of the key kept in clear text to identify it in settings. */
export const API_KEY_PREFIX_LENGTH = 16;
/** lastUsedAt is written at most this often per key, so a busy script does not write on every call. */
export const LAST_USED_THROTTLE_MS = 60_000;

/** A key as settings lists it: never the key nor its hash. */
export type ApiKeySummary = Pick<ApiKey, "id" | "name" | "prefix" | "createdAt" | "lastUsedAt" | "revokedAt">;

const SUMMARY_SELECT = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function generateKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("hex");
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Creates a key for the shop. Returns the full key (to show once) and the stored record.
 * The prefix is unique across all shops; on the rare prefix clash a fresh key is drawn.
 */
export async function createApiKey(
  shopId: string,
  name: string,
): Promise<{ key: string; record: ApiKeySummary }> {
  const cleanName = name.trim();
  if (!cleanName) throw new Error("An API key needs a name");
  for (let attempt = 0; attempt < 5; attempt++) {
    const key = generateKey();
    try {
      const record = await db.apiKey.create({
        data: { shopId, name: cleanName, prefix: key.slice(0, API_KEY_PREFIX_LENGTH), hash: hashApiKey(key) },
        select: SUMMARY_SELECT,
      });
      return { key, record };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error("Could not draw an unused API key prefix; try again");
}

/** The shop's keys, newest first, revoked ones included (marked). */
export function listApiKeys(shopId: string): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: SUMMARY_SELECT,
  });
}

/** Revokes one of the shop's keys. Another shop's key id is not found, as is an unknown id. */
export async function revokeApiKey(
  shopId: string,
  id: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<ApiKeySummary> {
  const existing = await db.apiKey.findFirst({ where: { shopId, id }, select: SUMMARY_SELECT });
  if (!existing) throw new NotFoundError(`No API key ${id} in this shop`);
  if (existing.revokedAt) return existing;
  return db.apiKey.update({ where: { id }, data: { revokedAt: now }, select: SUMMARY_SELECT });
}

/** "Bearer <key>" → the key, or null for anything else. */
export function parseBearer(authorizationHeader: string | null | undefined): string | null {
  if (!authorizationHeader) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorizationHeader);
  return match ? match[1] : null;
}

function safeEqual(a: string, b: string): boolean {
  // Compare fixed-length digests so neither the content nor the length leaks through timing.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/**
 * Who is calling the open API: the shop whose unrevoked key is in the Authorization header,
 * or null (the caller answers 401). In demo mode the documented demo key also opens the demo shop.
 */
export async function authenticateApiKey(
  authorizationHeader: string | null,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ shop: Shop; keyId: string } | null> {
  const key = parseBearer(authorizationHeader);
  if (!key || key.length > 256) return null;

  const config = env();
  if (config.demo && config.demoApiKey && safeEqual(key, config.demoApiKey)) {
    return { shop: await ensureShop(DEMO_SHOP_DOMAIN, { name: "Nearhub Demo Market" }), keyId: "demo" };
  }

  // The lookup is by hash, so the database never sees the key and a timing difference
  // tells an attacker nothing about how close a guess was.
  const found = await db.apiKey.findUnique({ where: { hash: hashApiKey(key) }, include: { shop: true } });
  if (!found || found.revokedAt || found.shop.uninstalledAt) return null;

  const staleBefore = new Date(now.getTime() - LAST_USED_THROTTLE_MS);
  if (!found.lastUsedAt || found.lastUsedAt < staleBefore) {
    // Conditional update: concurrent requests write at most once per throttle window.
    await db.apiKey.updateMany({
      where: { id: found.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
  return { shop: found.shop, keyId: found.id };
}
