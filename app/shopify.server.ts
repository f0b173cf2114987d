// The one Shopify app instance: OAuth/token exchange, session tokens, webhooks HMAC.
import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { db } from "./db.server";
import { env } from "./env.server";
import { registerCarrierService } from "./services/carrier-service.server";
import { EncryptedSessionStorage } from "./services/session-storage.server";
import { syncCatalog } from "./services/catalog-sync.server";
import { logger } from "./services/logger.server";
import { ensureShop } from "./services/shops.server";

const config = env();

export const apiVersion = ApiVersion.October26;

const shopify = shopifyApp({
  apiKey: config.apiKey,
  apiSecretKey: config.apiSecret,
  apiVersion,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  // Tokens sealed at rest, and the library's storage built once the database answers: one that is
  // away at start no longer ends the process (services/session-storage.server.ts).
  sessionStorage: new EncryptedSessionStorage(db),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      const shop = await ensureShop(session.shop, { scopes: session.scope ?? null });
      // Live rates at checkout: register (or re-confirm) our carrier service. The outcome,
      // including "plan not eligible", is recorded for the Shipping page; install never fails on it.
      try {
        await registerCarrierService(shop, admin);
      } catch (error) {
        logger.error({ shop: session.shop, err: error }, "carrier service registration after install failed");
      }
      // Products and stock per location: read in the background so install is not held up by a
      // large catalogue; the Network page can run it again and shows what it found.
      void syncCatalog(shop, admin).catch((error: unknown) => {
        logger.error({ shop: session.shop, err: (error as Error).message }, "catalog sync after install failed");
      });
    },
  },
  ...(config.shopCustomDomain ? { customShopDomains: [config.shopCustomDomain] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
