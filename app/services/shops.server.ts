// Shop rows: one per installed store, the root every other row hangs from.
import type { Prisma, Shop } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";

export async function ensureShop(
  domain: string,
  data: { scopes?: string | null; name?: string } = {},
): Promise<Shop> {
  // Called on every admin request: a shop that is installed, with these scopes, is not written to (a
  // page view, or a request refused later, changes nothing and never waits for the write lock).
  const stored = await db.shop.findUnique({ where: { domain } });
  if (stored && stored.uninstalledAt === null && (data.scopes === undefined || data.scopes === stored.scopes)) return stored;
  return db.shop.upsert({
    where: { domain },
    create: { domain, name: data.name ?? domain.replace(/\.myshopify\.com$/, ""), scopes: data.scopes ?? null },
    update: { uninstalledAt: null, ...(data.scopes !== undefined ? { scopes: data.scopes } : {}) },
  });
}

export function findShopByDomain(domain: string): Promise<Shop | null> {
  return db.shop.findUnique({ where: { domain } });
}

export const shopSettingsSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(120, "Name is at most 120 characters"),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Currency must be a three-letter ISO code such as USD"),
  timezone: z
    .string()
    .trim()
    .refine(isIanaTimeZone, "Time zone must be an IANA name such as America/New_York"),
  contactEmail: z
    .union([z.literal(""), z.email("Contact email must be an email address")])
    .transform((v) => (v === "" ? null : v)),
});
export type ShopSettingsInput = z.infer<typeof shopSettingsSchema>;

export function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return value.includes("/") || value === "UTC";
  } catch {
    return false;
  }
}

export function updateShopSettings(shopId: string, input: ShopSettingsInput): Promise<Shop> {
  const data: Prisma.ShopUpdateInput = input;
  return db.shop.update({ where: { id: shopId }, data });
}
