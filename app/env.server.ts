// Process configuration, parsed once with zod. A bad value stops the process with a
// message naming the variable; secrets are never printed.
import path from "node:path";
import { z } from "zod";

export const DEMO_SHOP_DOMAIN = "nearhub-demo.myshopify.com";
/** Documented demo defaults: only ever used when NEARHUB_DEMO=1 (loopback, never production). */
export const DEMO_DEFAULTS = {
  SHOPIFY_API_KEY: "nearhub-demo-api-key",
  SHOPIFY_API_SECRET: "nearhub-demo-secret",
  NEARHUB_DEMO_API_KEY: "nh_demo_0123456789abcdef0123456789abcdef",
  // base64 of the 32 ASCII bytes "nearhub-demo-key-not-a-secret-!!": the demo's tokens are made up.
  NEARHUB_ENCRYPTION_KEY: "bmVhcmh1Yi1kZW1vLWtleS1ub3QtYS1zZWNyZXQtISE=",
} as const;

/** The origin Shopify's checkout UI extensions fetch from (their sandboxed web worker). */
export const DEFAULT_CHECKOUT_CORS_ORIGINS = ["https://extensions.shopifycdn.com"] as const;

/**
 * A 256-bit key for secrets at rest: 32 bytes as base64 (`openssl rand -base64 32`) or 64 hex digits.
 * Returns null when the text is neither.
 */
export function parseEncryptionKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) return null;
  const key = Buffer.from(t, /[-_]/.test(t) ? "base64url" : "base64");
  return key.length === 32 ? key : null;
}

const KEY_HELP = "must be 32 random bytes in base64 (openssl rand -base64 32) or 64 hex digits";
const list = (value: string | undefined) => (value ?? "").split(",").map((p) => p.trim()).filter(Boolean);

/** Comma-separated keys, each checked; parsed to 32-byte buffers. */
const encryptionKeys = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    const parts = list(value);
    parts.forEach((part, i) => {
      if (!parseEncryptionKey(part)) ctx.addIssue({ code: "custom", message: parts.length > 1 ? `key ${i + 1} ${KEY_HELP}` : KEY_HELP });
    });
  })
  .transform((value) => list(value).map((part) => parseEncryptionKey(part)!));

/** Comma-separated origins ("https://host[:port]", or the literal "null"). */
const origins = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    for (const origin of list(value)) {
      if (origin !== "null" && URL.parse(origin)?.origin !== origin) {
        ctx.addIssue({ code: "custom", message: `${JSON.stringify(origin)} is not an origin such as https://extensions.shopifycdn.com` });
      }
    }
  })
  .transform((value) => (value === undefined ? undefined : list(value)));

const boolFlag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).optional(),
    NEARHUB_DEMO: boolFlag,
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().optional(),
    DATABASE_URL: z.string().optional(),
    SHOPIFY_API_KEY: z.string().min(1).optional(),
    SHOPIFY_API_SECRET: z.string().min(1).optional(),
    SHOPIFY_APP_URL: z.url().optional(),
    SCOPES: z.string().optional(),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    NEARHUB_DEMO_API_KEY: z.string().min(24).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // DoorDash Drive access key (developer portal → credentials); all three or none.
    DOORDASH_DEVELOPER_ID: z.string().min(1).optional(),
    DOORDASH_KEY_ID: z.string().min(1).optional(),
    DOORDASH_SIGNING_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_\-+/]+=*$/, "must be the base64url signing secret shown in the DoorDash developer portal")
      .optional(),
    DOORDASH_API_URL: z.url().optional(),
    // The Authorization header DoorDash Drive sends with every webhook to /api/couriers/doordash, exactly
    // as entered in the developer portal's webhook settings (e.g. "Basic <base64 of user:password>").
    DOORDASH_WEBHOOK_AUTHORIZATION: z.string().min(16, "must be the whole Authorization header value, at least 16 characters").optional(),
    // "0" switches the courier quote prefetch job off (tests, benchmarks, a process that only serves).
    NEARHUB_COURIER_QUOTES: z.enum(["0", "1", "true", "false", ""]).optional(),
    // Overdue-inspection mail: smtp(s)://user:pass@host:port; unset: no mail, the merchant webhook only.
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
    MAIL_FROM: z.string().min(3).default("Nearhub <returns@nearhub.local>"),
    // "0" switches the returns job (outbox, pending decisions, inspection escalations) off.
    NEARHUB_RETURNS_JOB: z.enum(["0", "1", "true", "false", ""]).optional(),
    // "0" switches the routing jobs off in this process: routing the orders webhooks enqueue, and
    // retrying throttled or failed fulfillment-order moves.
    NEARHUB_ROUTING_JOB: z.enum(["0", "1", "true", "false", ""]).optional(),
    // The job engine (app/services/jobs, ADR 0022). "0": this process runs no job at all (it still
    // enqueues them, for another process to run).
    NEARHUB_JOBS: z.enum(["0", "1", "true", "false", ""]).optional(),
    // "0" switches the insights job (the density analysis behind the Insights page) off.
    NEARHUB_INSIGHTS_JOB: z.enum(["0", "1", "true", "false", ""]).optional(),
    // "0" switches the catalogue sync job (products and stock read from Shopify) off.
    NEARHUB_CATALOG_JOB: z.enum(["0", "1", "true", "false", ""]).optional(),
    // "0" switches the order history jobs off: the import from Shopify (orders.import) and the nightly reconciliation (orders.reconcile).
    NEARHUB_ORDERS_JOB: z.enum(["0", "1", "true", "false", ""]).optional(),
    // "0" switches the permit reminders job (reminders, renewal tasks) off.
    NEARHUB_PERMITS_JOB: z.enum(["0", "1", "true", "false", ""]).optional(),
    // The bearer token a Prometheus scraper presents at /metrics; unset: /metrics answers 404.
    NEARHUB_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    // How long a stopping process (SIGTERM) waits for requests and job attempts in flight.
    NEARHUB_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
    // Rate limits (requests per minute, shared by every process on the database): per API key, per client
    // address on the open API (counted before the key is checked), per shop on the app proxy.
    NEARHUB_API_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    NEARHUB_API_IP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1_200),
    NEARHUB_PROXY_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1_200),
    // "1": the process is behind a load balancer that appends the caller's address to X-Forwarded-For.
    NEARHUB_TRUST_PROXY: z.enum(["0", "1", "true", "false", ""]).optional(),
    // "0" switches the deliveries job (posting delivery events to Shopify that could not be posted at once) off.
    NEARHUB_DELIVERIES_JOB: z.enum(["0", "1", "true", "false", ""]).optional(),
    // How often an idle worker looks for due jobs (ms).
    NEARHUB_JOBS_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    // How long a running job's lease lasts without a heartbeat before another process takes the job
    // over (s; renewed every third of it while the job runs).
    NEARHUB_JOBS_LEASE_SECONDS: z.coerce.number().int().min(10).max(3_600).default(30),
    // PostgreSQL: how often pg-boss's supervisor looks for jobs whose worker stopped beating (s).
    NEARHUB_JOBS_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
    // The longest any job waits before its next attempt (s), whatever its own backoff says.
    NEARHUB_JOBS_MAX_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
    // Secrets at rest (Shopify access and refresh tokens): the key new values are encrypted with, and
    // the retired keys still accepted for reading while `npm run secrets:reencrypt` moves rows off them.
    NEARHUB_ENCRYPTION_KEY: encryptionKeys.refine((keys) => keys.length <= 1, "one key only; retired keys go in NEARHUB_ENCRYPTION_OLD_KEYS"),
    NEARHUB_ENCRYPTION_OLD_KEYS: encryptionKeys,
    // The folder uploaded files (permit documents) are kept in (services/storage.server.ts); default `storage/` under the working directory.
    NEARHUB_STORAGE_DIR: z.string().trim().min(1, "must name a folder").optional(),
    // Origins whose browsers may read the checkout endpoint's answers (comma-separated; "null" allowed).
    NEARHUB_CHECKOUT_CORS_ORIGINS: origins,
    // Ad platforms (issue 15, app/services/ads). Meta: the app's id and secret (developers.facebook.com →
    // app settings), both or neither; unset: Meta shows "not configured" in settings.
    META_APP_ID: z.string().regex(/^\d+$/, "must be the numeric Meta app id").optional(),
    META_APP_SECRET: z.string().min(16, "must be the Meta app secret").optional(),
    // The Graph API version called (default v26.0) and its base URL (default https://graph.facebook.com).
    META_API_VERSION: z.string().regex(/^v\d+\.\d+$/, "must look like v26.0").optional(),
    META_GRAPH_URL: z.url().optional(),
    // Where the OAuth dialog is (default https://www.facebook.com).
    META_OAUTH_URL: z.url().optional(),
    // Google Ads: the OAuth client of the Cloud project (access follows it; no developer token since
    // 2026-09-09), both or neither; unset: Google shows "not configured".
    GOOGLE_ADS_CLIENT_ID: z.string().min(8).optional(),
    GOOGLE_ADS_CLIENT_SECRET: z.string().min(8).optional(),
    // The REST version (default v26) and base URL (default https://googleads.googleapis.com).
    GOOGLE_ADS_API_VERSION: z.string().regex(/^v\d+$/, "must look like v26").optional(),
    GOOGLE_ADS_URL: z.url().optional(),
    // OAuth endpoints (defaults https://accounts.google.com/o/oauth2/v2/auth and https://oauth2.googleapis.com/token).
    GOOGLE_OAUTH_URL: z.url().optional(),
    GOOGLE_OAUTH_TOKEN_URL: z.url().optional(),
    // The daily minimum assumed until Google names the account's own (micros of its currency; default 1000000, one unit).
    GOOGLE_ADS_MIN_DAILY_BUDGET_MICROS: z.coerce.number().int().min(1).max(1_000_000_000_000).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NEARHUB_DEMO && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["NEARHUB_DEMO"],
        message: "demo mode refuses to run with NODE_ENV=production",
      });
    }
    for (const [a, b] of [["META_APP_ID", "META_APP_SECRET"], ["GOOGLE_ADS_CLIENT_ID", "GOOGLE_ADS_CLIENT_SECRET"]] as const) {
      if (Boolean(env[a]) !== Boolean(env[b])) {
        const missing = env[a] ? b : a;
        ctx.addIssue({ code: "custom", path: [missing], message: `${missing} is needed with ${missing === a ? b : a}` });
      }
    }
    const doordash = [env.DOORDASH_DEVELOPER_ID, env.DOORDASH_KEY_ID, env.DOORDASH_SIGNING_SECRET];
    if (doordash.some(Boolean) && !doordash.every(Boolean)) {
      for (const key of ["DOORDASH_DEVELOPER_ID", "DOORDASH_KEY_ID", "DOORDASH_SIGNING_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `${key} is needed with the other DoorDash credentials` });
      }
    }
    if (!env.NEARHUB_DEMO) {
      for (const key of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const) {
        if (!env[key]) {
          ctx.addIssue({ code: "custom", path: [key], message: `${key} is required outside demo mode` });
        }
      }
      if (env.NEARHUB_ENCRYPTION_KEY.length === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["NEARHUB_ENCRYPTION_KEY"],
          message: `NEARHUB_ENCRYPTION_KEY is required outside demo mode (it encrypts Shopify tokens at rest); ${KEY_HELP}`,
        });
      }
    }
  });

export type Env = {
  nodeEnv: "development" | "production" | "test";
  demo: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string[];
  shopCustomDomain: string | undefined;
  demoApiKey: string | undefined;
  logLevel: string;
  /** DoorDash Drive platform credentials, or null when not configured. */
  doordash: { developerId: string; keyId: string; signingSecret: string; apiUrl: string | undefined } | null;
  /** The Authorization header DoorDash's webhooks carry (DOORDASH_WEBHOOK_AUTHORIZATION), or null: callbacks refused. */
  doordashWebhookAuthorization: string | null;
  /** Whether this process runs the courier quote prefetch job (NEARHUB_COURIER_QUOTES, default on). */
  courierQuoteJob: boolean;
  /** SMTP for inspection escalations (SMTP_URL), or null: no mail. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Whether this process runs the returns job (NEARHUB_RETURNS_JOB, default on). */
  returnsJob: boolean;
  /** Whether this process runs the routing jobs (NEARHUB_ROUTING_JOB, default on). */
  routingJob: boolean;
  /** The job engine's settings for this process (NEARHUB_JOBS*, ADR 0022). */
  jobs: JobSettings;
  /**
   * Keys for secrets at rest (app/services/secrets.server.ts): the first encrypts, every one decrypts.
   * NEARHUB_ENCRYPTION_KEY then NEARHUB_ENCRYPTION_OLD_KEYS; in demo mode the documented demo key.
   */
  encryptionKeys: Buffer[];
  /** Origins allowed to read the checkout endpoint's answers (NEARHUB_CHECKOUT_CORS_ORIGINS). */
  checkoutCorsOrigins: string[];
  /** The bearer token /metrics asks for (NEARHUB_METRICS_TOKEN), or null: no /metrics. */
  metricsToken: string | null;
  /** How long SIGTERM waits for work in flight before the process exits anyway (NEARHUB_SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  /** Requests per minute (NEARHUB_API_RATE_PER_MINUTE, NEARHUB_API_IP_RATE_PER_MINUTE, NEARHUB_PROXY_RATE_PER_MINUTE). */
  rateLimits: { perApiKey: number; perApiAddress: number; perProxyShop: number };
  /** The caller's address is the last X-Forwarded-For entry (NEARHUB_TRUST_PROXY), not the socket's. */
  trustProxy: boolean;
  /** The absolute folder of the local file storage (NEARHUB_STORAGE_DIR, default `storage/` under the working directory). */
  storageDir: string;
  /** Ad platforms (META_*, GOOGLE_ADS_*, GOOGLE_OAUTH_*): credentials null when not configured. */
  ads: AdsConfig;
};

export interface AdsConfig {
  meta: { appId: string | null; appSecret: string | null; apiVersion: string; graphUrl: string; oauthUrl: string };
  google: {
    clientId: string | null;
    clientSecret: string | null;
    apiVersion: string;
    adsUrl: string;
    oauthUrl: string;
    tokenUrl: string;
    defaultMinDailyBudgetMicros: number;
  };
}

/** Which jobs a process runs: every job belongs to one switch. */
export type JobSwitch = "returns" | "routing" | "courierQuotes" | "insights" | "catalog" | "deliveries" | "orders" | "permits";

export interface JobSettings {
  /** NEARHUB_JOBS: whether this process runs any job (its worker). */
  worker: boolean;
  /** Each switch's variable: NEARHUB_RETURNS_JOB, NEARHUB_ROUTING_JOB, NEARHUB_COURIER_QUOTES, NEARHUB_INSIGHTS_JOB, NEARHUB_CATALOG_JOB, NEARHUB_DELIVERIES_JOB, NEARHUB_ORDERS_JOB, NEARHUB_PERMITS_JOB. */
  switches: Record<JobSwitch, boolean>;
  pollMs: number;
  leaseSeconds: number;
  superviseSeconds: number;
  maxRetryDelaySeconds: number | null;
}

export const DEFAULT_SCOPES = [
  "read_products",
  "read_orders",
  // The order history import reads 12 months of orders; without it Shopify gives the last 60 days (ADR 0025).
  "read_all_orders",
  "read_locations",
  "read_inventory",
  "write_inventory",
  "write_shipping",
  "read_merchant_managed_fulfillment_orders",
  "write_merchant_managed_fulfillment_orders",
  "read_returns",
  "write_returns",
  // Fulfillments: when orders shipped and were delivered, and fulfillmentEventCreate for Nearhub's own couriers and riders.
  "write_fulfillments",
  // Campaigns: each hub campaign as a marketing activity (marketingActivityUpsertExternal) and its daily results (marketingEngagementCreate).
  "write_marketing_events",
  // The app proxy behind the storefront delivery promise block (shopify.app.toml [app_proxy]).
  "write_app_proxy",
];

/** A switch that is on unless set to "0" or "false". */
const on = (value: string | undefined) => value !== "0" && value !== "false";

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join(".") || "env"}: ${i.message}`)
      .join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = result.data;
  const demo = e.NEARHUB_DEMO;
  const port = e.PORT;
  return {
    nodeEnv: e.NODE_ENV ?? "development",
    demo,
    port,
    // Demo mode listens on loopback only, whatever HOST says.
    host: demo ? "127.0.0.1" : (e.HOST ?? "0.0.0.0"),
    databaseUrl: e.DATABASE_URL,
    apiKey: e.SHOPIFY_API_KEY ?? DEMO_DEFAULTS.SHOPIFY_API_KEY,
    apiSecret: e.SHOPIFY_API_SECRET ?? DEMO_DEFAULTS.SHOPIFY_API_SECRET,
    appUrl: e.SHOPIFY_APP_URL ?? `http://127.0.0.1:${port}`,
    scopes: e.SCOPES ? e.SCOPES.split(",").map((s) => s.trim()).filter(Boolean) : DEFAULT_SCOPES,
    shopCustomDomain: e.SHOP_CUSTOM_DOMAIN,
    demoApiKey: demo ? (e.NEARHUB_DEMO_API_KEY ?? DEMO_DEFAULTS.NEARHUB_DEMO_API_KEY) : undefined,
    logLevel: e.LOG_LEVEL,
    doordash:
      e.DOORDASH_DEVELOPER_ID && e.DOORDASH_KEY_ID && e.DOORDASH_SIGNING_SECRET
        ? { developerId: e.DOORDASH_DEVELOPER_ID, keyId: e.DOORDASH_KEY_ID, signingSecret: e.DOORDASH_SIGNING_SECRET, apiUrl: e.DOORDASH_API_URL }
        : null,
    doordashWebhookAuthorization: e.DOORDASH_WEBHOOK_AUTHORIZATION ?? null,
    courierQuoteJob: e.NEARHUB_COURIER_QUOTES !== "0" && e.NEARHUB_COURIER_QUOTES !== "false",
    smtpUrl: e.SMTP_URL ?? null,
    metricsToken: e.NEARHUB_METRICS_TOKEN ?? null,
    shutdownGraceMs: e.NEARHUB_SHUTDOWN_GRACE_MS,
    rateLimits: { perApiKey: e.NEARHUB_API_RATE_PER_MINUTE, perApiAddress: e.NEARHUB_API_IP_RATE_PER_MINUTE, perProxyShop: e.NEARHUB_PROXY_RATE_PER_MINUTE },
    trustProxy: e.NEARHUB_TRUST_PROXY === "1" || e.NEARHUB_TRUST_PROXY === "true",
    mailFrom: e.MAIL_FROM,
    returnsJob: e.NEARHUB_RETURNS_JOB !== "0" && e.NEARHUB_RETURNS_JOB !== "false",
    routingJob: on(e.NEARHUB_ROUTING_JOB),
    jobs: {
      worker: on(e.NEARHUB_JOBS),
      switches: {
        returns: on(e.NEARHUB_RETURNS_JOB),
        routing: on(e.NEARHUB_ROUTING_JOB),
        courierQuotes: on(e.NEARHUB_COURIER_QUOTES),
        insights: on(e.NEARHUB_INSIGHTS_JOB),
        catalog: on(e.NEARHUB_CATALOG_JOB),
        deliveries: on(e.NEARHUB_DELIVERIES_JOB),
        orders: on(e.NEARHUB_ORDERS_JOB),
        permits: on(e.NEARHUB_PERMITS_JOB),
      },
      pollMs: e.NEARHUB_JOBS_POLL_MS,
      leaseSeconds: e.NEARHUB_JOBS_LEASE_SECONDS,
      superviseSeconds: e.NEARHUB_JOBS_SUPERVISE_SECONDS,
      maxRetryDelaySeconds: e.NEARHUB_JOBS_MAX_RETRY_DELAY_SECONDS ?? null,
    },
    encryptionKeys: [
      ...(e.NEARHUB_ENCRYPTION_KEY.length > 0 ? e.NEARHUB_ENCRYPTION_KEY : [parseEncryptionKey(DEMO_DEFAULTS.NEARHUB_ENCRYPTION_KEY)!]),
      ...e.NEARHUB_ENCRYPTION_OLD_KEYS,
    ],
    checkoutCorsOrigins: e.NEARHUB_CHECKOUT_CORS_ORIGINS ?? [...DEFAULT_CHECKOUT_CORS_ORIGINS],
    storageDir: path.resolve(e.NEARHUB_STORAGE_DIR ?? "storage"),
    ads: {
      meta: {
        appId: e.META_APP_ID ?? null,
        appSecret: e.META_APP_SECRET ?? null,
        apiVersion: e.META_API_VERSION ?? "v26.0",
        graphUrl: (e.META_GRAPH_URL ?? "https://graph.facebook.com").replace(/\/+$/, ""),
        oauthUrl: (e.META_OAUTH_URL ?? "https://www.facebook.com").replace(/\/+$/, ""),
      },
      google: {
        clientId: e.GOOGLE_ADS_CLIENT_ID ?? null,
        clientSecret: e.GOOGLE_ADS_CLIENT_SECRET ?? null,
        apiVersion: e.GOOGLE_ADS_API_VERSION ?? "v26",
        adsUrl: (e.GOOGLE_ADS_URL ?? "https://googleads.googleapis.com").replace(/\/+$/, ""),
        oauthUrl: e.GOOGLE_OAUTH_URL ?? "https://accounts.google.com/o/oauth2/v2/auth",
        tokenUrl: e.GOOGLE_OAUTH_TOKEN_URL ?? "https://oauth2.googleapis.com/token",
        defaultMinDailyBudgetMicros: e.GOOGLE_ADS_MIN_DAILY_BUDGET_MICROS ?? 1_000_000,
      },
    },
  };
}

/** Every variable the app reads through env() (the README's configuration table lists each). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

let cached: Env | undefined;
/** The process's configuration (parsed on first use so tests can set variables first). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
