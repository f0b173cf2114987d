// The one hook module: what runs after a merchant installs (or re-authorises) the app, wired into
// the SDK instance (shopify.server.ts, which imports no service) when this module loads. Loaded by
// entry.server.tsx (every server process; the OAuth routes, auth.$.tsx) and by auth.server.ts (the
// admin pages, also when a test calls their loaders), the places where the library runs afterAuth.
import { db } from "~/db.server";
import { onAfterInstall, type AfterInstall } from "~/shopify.server";
import { registerCarrierService } from "./carrier-service.server";
import { queueCatalogSync } from "./catalog-sync.server";
import { logger } from "./logger.server";
import { queueOrderImport, syncBusy } from "./orders/import.server";
import { ensureShop } from "./shops.server";

export const afterInstall: AfterInstall = async ({ session, admin }) => {
  const shop = await ensureShop(session.shop, { scopes: session.scope ?? null });
  // Live rates at checkout: register (or re-confirm) our carrier service. The outcome, including
  // "plan not eligible", is recorded for the Shipping page; install never fails on it.
  try {
    await registerCarrierService(shop, admin);
  } catch (error) {
    logger.error({ shop: session.shop, err: (error as Error).message }, "carrier service registration after install failed");
  }
  // Products and stock per location: the catalogue sync job, so install is not held up by a large
  // catalogue and a failure is retried; the Network page can queue it again and shows how it went.
  try {
    await queueCatalogSync(shop.id);
  } catch (error) {
    logger.error({ shop: session.shop, err: (error as Error).message }, "catalog sync after install could not be queued");
  }
  // The last 12 months of orders (a bulk operation; ADR 0025), once: a re-authorisation does not start
  // it again while one runs or after it completed (the Insights page's button does).
  try {
    const sync = await db.orderSync.findUnique({ where: { shopId: shop.id }, select: { status: true } });
    if (!sync || (!syncBusy(sync.status) && sync.status !== "completed")) await queueOrderImport(shop.id);
  } catch (error) {
    logger.error({ shop: session.shop, err: (error as Error).message }, "order history import after install could not be queued");
  }
};

onAfterInstall(afterInstall);
