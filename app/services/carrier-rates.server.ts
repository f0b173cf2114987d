// Shopify's CarrierService rate request → our quote → Shopify's rate response.
//
// Shopify POSTs the cart and address to /api/carrier-service/rates, signed like a webhook
// (X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body with the app's secret), naming the
// shop in X-Shopify-Shop-Domain and its current read timeout in X-Shopify-Timeout (ms).
// See ../shared/reference/shopify-platform.md §1.
//
// Answers:
//   401  the signature is missing or wrong (nothing is read, nothing logged)
//   400  the body is not JSON or not a rate request; the message names the field
//   200  { rates: [] } for a shop we do not know or that uninstalled us
//   200  { rates: [...] } otherwise: live options, or the merchant's backup rates when anything
//        behind the quote fails or runs out of time; the default backup rates (in the request's
//        currency) for a shop this process has not seen lately while the database is unavailable.
//        Never a 5xx.
//
// The hot path is pure CPU once the shop is known: the shop (by domain) and its prepared network
// are cached in process memory (quote-snapshot.server.ts), so a warm request makes no database
// query, and goes on answering from memory while the database is away.
import { AsyncResource } from "node:async_hooks";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { currencyDigits } from "~/core/money/money";
import { DEFAULT_BACKUP_RATES } from "~/core/quoting";
import { env } from "~/env.server";
import { logger } from "./logger.server";
import { checkoutSeconds } from "./metrics.server";
import { checkoutShop } from "./quote-snapshot.server";
import { backupOffers, checkoutOffers, type CheckoutOffer } from "~/core/quoting";
import { quoteForShop, shopifyDate, type QuoteCartLineInput } from "./quotes.server";
import { issueSummary } from "~/core/validation/issues";

/** Bodies larger than this are refused (a 500-line cart is about 400 KB). */
export const MAX_RATE_REQUEST_BYTES = 2_000_000;
export const MAX_RATE_REQUEST_ITEMS = 1000;
/** Share of Shopify's read timeout we allow ourselves; the rest is network and Shopify's own work. */
const TIMEOUT_SHARE = 0.5;

// ---------------------------------------------------------------------------------------------
// The rate request, as Shopify sends it: permissive where Shopify varies (item prices as integer
// cents in the current reference, as decimal strings in older samples; coordinates present or
// not; extra fields, which are accepted and dropped), strict where a value we use would be
// meaningless.

const optionalText = z.string().nullish();

/** Latitude/longitude: a number or a numeric string; anything else counts as absent. */
const coordinate = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v) => {
    if (v === null || v === undefined || v === "") return null;
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? n : null;
  });

const addressSchema = z.object({
  country: z
    .string({ error: "is required (a two-letter country code)" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be a two-letter country code such as US"),
  postal_code: optionalText,
  province: optionalText,
  city: optionalText,
  latitude: coordinate,
  longitude: coordinate,
});

/** Integer minor units ("subunits", the current reference) or a decimal string ("10.00", older samples). */
const priceSchema = z.union(
  [z.number().nonnegative().finite(), z.string().trim().regex(/^\d+(\.\d+)?$/)],
  { error: "must be an amount: integer cents or a decimal string such as \"10.00\"" },
);

const itemSchema = z.object({
  name: optionalText,
  sku: optionalText,
  quantity: z.number({ error: "must be a number" }).int("must be a whole number").min(0).max(1_000_000),
  grams: z.number().nonnegative().finite().nullish(),
  price: priceSchema.nullish(),
  requires_shipping: z.boolean().nullish(),
  product_id: z.union([z.number(), z.string()]).nullish(),
  variant_id: z.union([z.number(), z.string()]).nullish(),
});

export const rateRequestSchema = z.object({
  rate: z.object(
    {
      origin: z.object({}).nullish(),
      destination: addressSchema,
      items: z
        .array(itemSchema, { error: "must be a list of cart items" })
        .max(MAX_RATE_REQUEST_ITEMS, `at most ${MAX_RATE_REQUEST_ITEMS} items`),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD")
        .nullish(),
      locale: optionalText,
    },
    { error: "is required: this is not a CarrierService rate request" },
  ),
});
export type RateRequest = z.output<typeof rateRequestSchema>;

/** An item price as integer minor units of a currency with `digits` decimals. */
export function priceToMinor(price: number | string, digits: number): number {
  if (typeof price === "number") return Math.round(price);
  const [whole, frac = ""] = price.split(".");
  const padded = frac.padEnd(digits + 1, "0");
  const roundUp = Number(padded[digits]) >= 5 ? 1 : 0;
  return Number(whole) * 10 ** digits + (digits > 0 ? Number(padded.slice(0, digits)) : 0) + roundUp;
}

export function toQuoteLines(items: RateRequest["rate"]["items"], digits: number): QuoteCartLineInput[] {
  return items.map((item) => ({
    sku: item.sku ?? undefined,
    variantId: item.variant_id == null ? undefined : String(item.variant_id),
    quantity: item.quantity,
    unitPriceMinor: item.price == null ? undefined : priceToMinor(item.price, digits),
    grams: item.grams ?? undefined,
    requiresShipping: item.requires_shipping ?? true,
  }));
}

// ---------------------------------------------------------------------------------------------
// The response

export interface ShopifyRate {
  service_name: string;
  service_code: string;
  total_price: string;
  currency: string;
  description: string;
  min_delivery_date: string;
  max_delivery_date: string;
  phone_required?: boolean;
}

export function toShopifyRate(o: CheckoutOffer): ShopifyRate {
  const rate: ShopifyRate = {
    service_name: o.serviceName,
    service_code: o.serviceCode,
    total_price: String(o.priceMinor),
    currency: o.currency,
    description: o.description,
    min_delivery_date: shopifyDate(o.earliestMs, o.timezone),
    max_delivery_date: shopifyDate(o.latestMs, o.timezone),
  };
  if (o.phoneRequired) rate.phone_required = true;
  return rate;
}

// ---------------------------------------------------------------------------------------------

export interface RateCall {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: string | Buffer;
  hmac: string | null;
  shopDomain: string | null;
  /** X-Shopify-Timeout, milliseconds. */
  timeout: string | null;
  now?: Date;
}

export interface RateAnswer {
  status: number;
  body: string;
}

const json = (status: number, value: unknown): RateAnswer => ({ status, body: JSON.stringify(value) });
const TOO_LARGE: RateAnswer = json(413, { error: `body: larger than ${MAX_RATE_REQUEST_BYTES} bytes, not a rate request` });

/** The answer for a body over MAX_RATE_REQUEST_BYTES (checked before reading it all). */
export function tooLargeAnswer(): RateAnswer {
  return TOO_LARGE;
}
const NO_RATES = JSON.stringify({ rates: [] });

/** Timing-safe check of Shopify's signature over the raw body. */
export function validShopifyHmac(rawBody: string | Buffer, header: string | null, secret: string = env().apiSecret): boolean {
  if (!header) return false;
  const given = Buffer.from(header, "base64");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function budgetFromTimeout(header: string | null): number | undefined {
  if (header === null) return undefined;
  const ms = Number(header);
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms * TIMEOUT_SHARE) : undefined;
}

/** The rates callback's answer, timed for /metrics by whether it was live or backup rates. */
export async function answerRateRequest(call: RateCall): Promise<RateAnswer> {
  const stop = checkoutSeconds.startTimer({ route: "carrier_rates" });
  const answered = await rateAnswer(call);
  stop({ answer: answered.backup ? "backup" : answered.answer.status === 200 ? "live" : "refused" });
  return answered.answer;
}

async function rateAnswer(call: RateCall): Promise<{ answer: RateAnswer; backup: boolean }> {
  const done = (answer: RateAnswer, backup = false) => ({ answer, backup });
  if (!validShopifyHmac(call.rawBody, call.hmac)) {
    return done(json(401, { error: "X-Shopify-Hmac-Sha256 does not match the body: not signed by Shopify with this app's secret" }));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(typeof call.rawBody === "string" ? call.rawBody : call.rawBody.toString("utf8"));
  } catch {
    return done(json(400, { error: "body: not valid JSON" }));
  }
  const parsed = rateRequestSchema.safeParse(raw);
  if (!parsed.success) return done(json(400, { error: issueSummary(parsed.error) }));
  if (!call.shopDomain) return done(json(400, { error: "X-Shopify-Shop-Domain: header is required" }));

  const rate = parsed.data.rate;
  let currency = rate.currency ?? "USD";
  const budgetMs = budgetFromTimeout(call.timeout);
  try {
    // Within the default quote budget, whatever Shopify's timeout: without the shop nothing but the
    // default backup rates can be answered, and a warm process answers from memory anyway.
    const lookup = await checkoutShop(call.shopDomain.trim().toLowerCase());
    if (lookup.status === "unknown") return done({ status: 200, body: NO_RATES });
    if (lookup.status === "unavailable") {
      // Signed by Shopify for a shop this process has not seen lately, while the database cannot say
      // whether it is ours: the default backup rates, so the shopper can still check out.
      logger.warn({ shop: call.shopDomain, err: lookup.error }, "carrier-service rates: shop unknown to this process and the database unavailable; default backup rates");
      return done(defaultBackupAnswer(currency, call.now), true);
    }
    const shop = lookup.shop;
    currency = shop.currency;
    const d = rate.destination;
    const quote = await quoteForShop(
      shop,
      {
        lines: toQuoteLines(rate.items, currencyDigits(rate.currency ?? shop.currency)),
        destination: {
          country: d.country,
          postalCode: d.postal_code ?? null,
          province: d.province ?? null,
          city: d.city ?? null,
          latitude: d.latitude,
          longitude: d.longitude,
        },
      },
      { source: "CARRIER_SERVICE", now: call.now, budgetMs },
    );
    return done(json(200, { rates: checkoutOffers(quote, call.now?.getTime()).map(toShopifyRate) }), quote.fallbackUsed);
  } catch (error) {
    // Nothing here is expected to throw (the quote service answers its own failures with backup
    // rates); if something does, the shopper still gets the default backup rates, not an error.
    logger.error({ shop: call.shopDomain, err: (error as Error).message }, "carrier-service rates failed");
    return done(defaultBackupAnswer(currency, call.now), true);
  }
}

function defaultBackupAnswer(currency: string, now: Date = new Date()): RateAnswer {
  const offers = backupOffers(
    { backupRates: DEFAULT_BACKUP_RATES, subtotalMinor: 0, timezone: "UTC", backupCalendar: null, result: { currency, quotedAt: now.getTime(), options: [], excluded: [], reasons: [] } },
    now.getTime(),
  );
  return json(200, { rates: offers.map(toShopifyRate) });
}

// ---------------------------------------------------------------------------------------------
// The production server's fast path (server.mjs, through entry.server.tsx): the same answer as the
// Remix route, straight from Node's request and response. Rate requests are the app's hottest
// path; Express and Remix's Request/Response adapters cost several times the quote itself.

const RESPONSE_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store" };

function headerOf(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function send(res: ServerResponse, answer: RateAnswer): void {
  if (res.headersSent) return;
  res.writeHead(answer.status, { ...RESPONSE_HEADERS, "Content-Length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

export function handleCarrierRatesNode(req: IncomingMessage, res: ServerResponse): void {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_RATE_REQUEST_BYTES) {
    send(res, TOO_LARGE);
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_RATE_REQUEST_BYTES) chunks.push(chunk);
  });
  req.on("error", () => res.destroy());
  // Bound to the request's context (its id in the logs): an emitter's listener runs in the emitter's.
  req.on("end", AsyncResource.bind(() => {
    if (size > MAX_RATE_REQUEST_BYTES) return send(res, TOO_LARGE);
    answerRateRequest({
      rawBody: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size),
      hmac: headerOf(req, "x-shopify-hmac-sha256"),
      shopDomain: headerOf(req, "x-shopify-shop-domain"),
      timeout: headerOf(req, "x-shopify-timeout"),
    }).then(
      (answer) => send(res, answer),
      (error: Error) => {
        logger.error({ err: error.message }, "carrier-service rates: unexpected failure");
        send(res, json(200, { rates: [] }));
      },
    );
  }));
}
