// Who is asking: the merchant in Shopify admin (session token), or, in demo mode only,
// the demo shop without Shopify.
import type { Shop } from "@prisma/client";
import { env, DEMO_SHOP_DOMAIN } from "~/env.server";
import { authenticate } from "~/shopify.server";
import { ensureShop } from "./shops.server";

type ShopifyAdmin = Awaited<ReturnType<typeof authenticate.admin>>["admin"];

export interface AdminContext {
  shop: Shop;
  /** Admin GraphQL client; null in demo mode, where no store is connected. */
  admin: ShopifyAdmin | null;
  demo: boolean;
}

export async function requireAdmin(request: Request): Promise<AdminContext> {
  if (env().demo) {
    return { shop: await ensureShop(DEMO_SHOP_DOMAIN, { name: "Nearhub Demo Market" }), admin: null, demo: true };
  }
  const { session, admin } = await authenticate.admin(request);
  return { shop: await ensureShop(session.shop), admin, demo: false };
}
