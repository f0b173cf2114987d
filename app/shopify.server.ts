// The one Shopify app instance: OAuth/token exchange, session tokens, webhooks HMAC. It imports no
// service: what runs after a merchant installs (or re-authorises) the app is wired in by the one
// hook module, services/after-install.server.ts, through `onAfterInstall`, so services may import
// this file without an import cycle.
import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
  type AdminApiContext,
  type Session,
} from "@shopify/shopify-app-remix/server";
import { db } from "./db.server";
import { env } from "./env.server";
import { EncryptedSessionStorage } from "./session-storage.server";

const config = env();

/** The work after a merchant installs or re-authorises the app (services/after-install.server.ts). */
export type AfterInstall = (ctx: { session: Session; admin: AdminApiContext }) => Promise<void>;
let afterInstall: AfterInstall | null = null;

/** Wires the after-install work; called once, by services/after-install.server.ts when it loads. */
export function onAfterInstall(work: AfterInstall): void {
  afterInstall = work;
}

export const apiVersion = ApiVersion.October26;

const shopify = shopifyApp({
  apiKey: config.apiKey,
  apiSecretKey: config.apiSecret,
  apiVersion,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  // Tokens sealed at rest, and the library's storage built once the database answers: one that is
  // away at start no longer ends the process (session-storage.server.ts).
  sessionStorage: new EncryptedSessionStorage(db),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async (ctx) => {
      if (!afterInstall) throw new Error("after-install work is not wired: import services/after-install.server.ts where admin requests are authenticated");
      await afterInstall(ctx);
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
