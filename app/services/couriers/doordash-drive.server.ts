// DoorDash Drive (API v2) as a CourierQuoteProvider: quote-then-accept.
//
//   POST {base}/drive/v2/quotes                                  → a quote, valid about 5 minutes
//   POST {base}/drive/v2/quotes/{external_delivery_id}/accept    → dispatches a Dasher, bills the account
//
// Shapes from developer.doordash.com (Drive API reference, "Validate coverage & pricing: quotes",
// "Error codes and reasons") and the api-evangelist/doordash mirror of its OpenAPI document:
// - request: external_delivery_id (/[a-zA-Z0-9-._~]+/), pickup_address, pickup_phone_number,
//   pickup_business_name, dropoff_address, dropoff_location {lat,lng} (overrides geocoding),
//   dropoff_phone_number, order_value (cents), pickup_time (ISO-8601 UTC), items [{name, description, quantity}];
// - quote: fee (cents), currency, pickup_time_estimated, dropoff_time_estimated, delivery_status
//   "quote"; the mirror also names expires_at (and pickup_time / delivery_time). DoorDash states a
//   quote must be accepted within 5 minutes, which is the expiry used when expires_at is absent;
// - errors: { code, message, field_errors?: [{ field, error }] }; 400/422 rejected, 401/403 auth,
//   404/409 state, 429 "too many requests" (about 300 per 60 s per key; no Retry-After is promised,
//   honoured when present), 5xx temporary.
// - auth: "Authorization: Bearer <JWT>", HS256 over the base64url-decoded signing secret, header
//   { alg, typ, "dd-ver": "DD-JWT-V1" }, claims { aud: "doordash", iss: developer_id, kid: key_id, iat, exp }.
import { issueSummary } from "~/core/validation/issues";
import { createHmac } from "node:crypto";
import { z } from "zod";
import { SIZE_CLASS_LIMITS, type SizeClass } from "~/core/costing/quotedFees";
import type {
  CourierDispatch,
  CourierFailure,
  CourierQuote,
  CourierQuoteProvider,
  CourierQuoteRequest,
  CourierResult,
} from "./types";

export const DOORDASH_DRIVE = "DOORDASH_DRIVE";
export const DOORDASH_API_URL = "https://openapi.doordash.com";
/** DoorDash: "You must accept a quote within 5 minutes of requesting it." */
export const DOORDASH_QUOTE_TTL_MS = 5 * 60_000;
const JWT_TTL_S = 300;

export interface DoorDashCredentials {
  developerId: string;
  keyId: string;
  /** As shown in the developer portal: base64url. */
  signingSecret: string;
}

export interface DoorDashDriveOptions {
  credentials: DoorDashCredentials;
  /** Without /drive/v2; default https://openapi.doordash.com. */
  baseUrl?: string;
  /**
   * E.164 number DoorDash gets as dropoff_phone_number when there is no shopper yet (prefetched
   * quotes): the merchant's support line. Also pickup_phone_number unless the pickup has one.
   */
  contactPhone: string;
  businessName?: string;
  /** Per HTTP call. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** A Drive JWT, signed with node:crypto (no JWT library needed for one HS256 token). */
export function doorDashJwt(credentials: DoorDashCredentials, nowMs: number, ttlSeconds = JWT_TTL_S): string {
  const iat = Math.floor(nowMs / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT", "dd-ver": "DD-JWT-V1" }));
  const payload = b64url(
    JSON.stringify({ aud: "doordash", iss: credentials.developerId, kid: credentials.keyId, iat, exp: iat + ttlSeconds }),
  );
  const signature = createHmac("sha256", Buffer.from(credentials.signingSecret, "base64url"))
    .update(`${header}.${payload}`)
    .digest("base64url");
  return `${header}.${payload}.${signature}`;
}

const isoInstant = z.iso.datetime({ offset: true });

/** The fields we read from a quote (DoorDash returns the whole delivery object; the rest is ignored). */
const quoteResponseSchema = z.object({
  external_delivery_id: z.string().min(1).optional(),
  fee: z.number().int().nonnegative(),
  currency: z.string().length(3),
  delivery_status: z.string().optional(),
  pickup_time_estimated: isoInstant.nullish(),
  dropoff_time_estimated: isoInstant.nullish(),
  pickup_time: isoInstant.nullish(),
  delivery_time: isoInstant.nullish(),
  expires_at: isoInstant.nullish(),
});

const deliveryResponseSchema = z.object({
  external_delivery_id: z.string().min(1).optional(),
  delivery_status: z.string().default("created"),
  fee: z.number().int().nonnegative().nullish(),
  currency: z.string().length(3).nullish(),
  tracking_url: z.string().nullish(),
});

const errorBodySchema = z
  .object({
    code: z.string().optional(),
    message: z.string().optional(),
    field_errors: z.array(z.object({ field: z.string(), error: z.string() })).optional(),
  })
  .loose();

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const SIZE_TEXT: Record<SizeClass, string> = {
  SMALL: `small parcel (up to ${SIZE_CLASS_LIMITS.SMALL.maxWeightGrams / 1000} kg, ${SIZE_CLASS_LIMITS.SMALL.maxVolumeMm3 / 1e6} L)`,
  MEDIUM: `medium parcel (up to ${SIZE_CLASS_LIMITS.MEDIUM.maxWeightGrams / 1000} kg, ${SIZE_CLASS_LIMITS.MEDIUM.maxVolumeMm3 / 1e6} L)`,
  LARGE: `large parcel (over ${SIZE_CLASS_LIMITS.MEDIUM.maxWeightGrams / 1000} kg or ${SIZE_CLASS_LIMITS.MEDIUM.maxVolumeMm3 / 1e6} L)`,
};

export class DoorDashDrive implements CourierQuoteProvider {
  readonly code = DOORDASH_DRIVE;
  readonly label = "DoorDash Drive";
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private sequence = 0;

  constructor(private readonly options: DoorDashDriveOptions) {
    this.baseUrl = (options.baseUrl ?? DOORDASH_API_URL).replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
  }

  /** Unique per call: DoorDash refuses a reused external_delivery_id with other data (409). */
  private deliveryId(reference: string | undefined): string {
    const ref = (reference ?? "q").replace(/[^a-zA-Z0-9-._~]/g, "-").slice(0, 48);
    return `nh-${ref}-${this.now().toString(36)}${(this.sequence++ % 1296).toString(36).padStart(2, "0")}`;
  }

  async quote(req: CourierQuoteRequest): Promise<CourierResult<CourierQuote>> {
    const now = this.now();
    const body: Record<string, unknown> = {
      external_delivery_id: this.deliveryId(req.reference),
      pickup_address: req.pickup.address,
      pickup_phone_number: req.pickup.phone ?? this.options.contactPhone,
      dropoff_address: req.dropoff.address ?? `${req.dropoff.lat.toFixed(6)}, ${req.dropoff.lng.toFixed(6)}`,
      dropoff_location: { lat: req.dropoff.lat, lng: req.dropoff.lng },
      dropoff_phone_number: this.options.contactPhone,
      order_value: Math.max(0, Math.round(req.orderValueMinor)),
      items: [{ name: "Parcel", description: SIZE_TEXT[req.sizeClass], quantity: 1 }],
    };
    const businessName = req.pickup.businessName ?? this.options.businessName;
    if (businessName) body.pickup_business_name = businessName;
    // Later than a minute from now: a scheduled pickup; otherwise as soon as possible.
    if (req.pickupAt.getTime() > now + 60_000) body.pickup_time = req.pickupAt.toISOString();

    const answer = await this.post("/drive/v2/quotes", body);
    if (!answer.ok) return answer;
    const parsed = quoteResponseSchema.safeParse(answer.value);
    if (!parsed.success) return badAnswer(parsed.error);
    const q = parsed.data;
    const at = (iso: string | null | undefined) => (iso ? new Date(iso) : null);
    return {
      ok: true,
      value: {
        externalId: q.external_delivery_id ?? (body.external_delivery_id as string),
        feeMinor: q.fee,
        currency: q.currency.toUpperCase(),
        expiresAt: at(q.expires_at) ?? new Date(now + DOORDASH_QUOTE_TTL_MS),
        pickupEta: at(q.pickup_time_estimated ?? q.pickup_time),
        dropoffEta: at(q.dropoff_time_estimated ?? q.delivery_time),
      },
    };
  }

  async accept(externalId: string, options: { tipMinor?: number } = {}): Promise<CourierResult<CourierDispatch>> {
    const body = options.tipMinor !== undefined ? { tip: Math.max(0, Math.round(options.tipMinor)) } : {};
    const answer = await this.post(`/drive/v2/quotes/${encodeURIComponent(externalId)}/accept`, body);
    if (!answer.ok) return answer;
    const parsed = deliveryResponseSchema.safeParse(answer.value);
    if (!parsed.success) return badAnswer(parsed.error);
    const d = parsed.data;
    return {
      ok: true,
      value: {
        externalId: d.external_delivery_id ?? externalId,
        status: d.delivery_status,
        feeMinor: d.fee ?? null,
        currency: d.currency?.toUpperCase() ?? null,
        trackingUrl: d.tracking_url ?? null,
      },
    };
  }

  /** POSTs JSON with a fresh JWT; every outcome becomes a value. */
  private async post(path: string, body: unknown): Promise<CourierResult<unknown>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${doorDashJwt(this.options.credentials, this.now())}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      clearTimeout(timer);
      if (controller.signal.aborted) {
        return fail({ kind: "timeout", timeoutMs: this.timeoutMs, message: `DoorDash did not answer within ${this.timeoutMs} ms` });
      }
      return fail({ kind: "network", message: messageOf(error) });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return controller.signal.aborted
        ? fail({ kind: "timeout", timeoutMs: this.timeoutMs, message: `DoorDash did not finish answering within ${this.timeoutMs} ms` })
        : fail({ kind: "network", message: messageOf(error) });
    } finally {
      clearTimeout(timer);
    }
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: a proxy's HTML error page, say. Judged by the status below.
    }
    if (response.ok) {
      return json === undefined ? fail({ kind: "unavailable", status: response.status, message: "DoorDash answered without a JSON body" }) : { ok: true, value: json };
    }
    return fail(failureOf(response, json, this.now()));
  }
}

function failureOf(response: Response, json: unknown, nowMs: number): CourierFailure {
  const status = response.status;
  const parsed = errorBodySchema.safeParse(json);
  const err = parsed.success ? parsed.data : {};
  const code = err.code ?? `http_${status}`;
  const message = err.message ?? (response.statusText || `HTTP ${status}`);
  if (status === 429) {
    return { kind: "rate_limited", status: 429, retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), nowMs), message };
  }
  if (status === 401 || status === 403) return { kind: "unauthorized", status, code, message };
  if (status === 404 || status === 409) return { kind: "not_found", status, code, message };
  if (status >= 400 && status < 500) return { kind: "rejected", status, code, message, fieldErrors: err.field_errors ?? [] };
  return { kind: "unavailable", status, message };
}

function badAnswer(error: z.ZodError): CourierResult<never> {
  const where = issueSummary(error);
  return fail({ kind: "unavailable", status: 200, message: `DoorDash's answer could not be read (${where})` });
}

function fail(failure: CourierFailure): CourierResult<never> {
  return { ok: false, failure };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
