// What Nearhub needs from an on-demand courier with a quote-then-accept API (DoorDash Drive, Uber
// Direct, ...): a price for a pickup and a dropoff, valid for a few minutes, and a way to dispatch
// it. Every call resolves to a result; failures are typed values, never thrown, so no caller (the
// prefetch job, a dispatch worklist, anything near checkout) can be broken by a courier's outage.
import type { SizeClass } from "~/core/costing/quotedFees";

export interface CourierQuoteRequest {
  pickup: { lat: number; lng: number; address: string; phone?: string; businessName?: string };
  /** Without an address the provider gets the coordinates only. */
  dropoff: { lat: number; lng: number; address?: string };
  /** Value of the goods, minor units (DoorDash: cents), for the provider's cover and limits. */
  orderValueMinor: number;
  sizeClass: SizeClass;
  /** When the parcel is ready; now or earlier means "as soon as possible". */
  pickupAt: Date;
  /** Caller's reference, made part of the provider's delivery id when it fits the provider's rules. */
  reference?: string;
}

export interface CourierQuote {
  /** The id to accept the quote with (DoorDash: our external_delivery_id). */
  externalId: string;
  feeMinor: number;
  currency: string;
  expiresAt: Date;
  pickupEta: Date | null;
  dropoffEta: Date | null;
}

export interface CourierDispatch {
  externalId: string;
  status: string;
  feeMinor: number | null;
  currency: string | null;
  trackingUrl: string | null;
}

export type CourierFailure =
  /** 400/422: the provider refused this request (bad field, out of coverage); retrying the same request fails again. */
  | { kind: "rejected"; status: number; code: string; message: string; fieldErrors: { field: string; error: string }[] }
  /** 401/403: credentials missing, wrong or not allowed; every call will fail until they are fixed. */
  | { kind: "unauthorized"; status: number; code: string; message: string }
  /** 404/409: no such quote (expired, never made) or already accepted. */
  | { kind: "not_found"; status: number; code: string; message: string }
  /** 429: stop calling until retryAfterMs has passed (null: the provider did not say). */
  | { kind: "rate_limited"; status: 429; retryAfterMs: number | null; message: string }
  /** 5xx or an unreadable answer: temporary on the provider's side. */
  | { kind: "unavailable"; status: number | null; message: string }
  | { kind: "timeout"; timeoutMs: number; message: string }
  /** DNS, connection refused, TLS: never reached the provider. */
  | { kind: "network"; message: string };

export type CourierResult<T> = { ok: true; value: T } | { ok: false; failure: CourierFailure };

export interface CourierQuoteProvider {
  /** Registry code, stored with cached quotes (CourierQuote.provider). */
  readonly code: string;
  /** Shown to merchants: "DoorDash Drive". */
  readonly label: string;
  quote(request: CourierQuoteRequest): Promise<CourierResult<CourierQuote>>;
  /** Dispatches a courier for a quote still valid (DoorDash: within 5 minutes); bills the account. */
  accept(externalId: string, options?: { tipMinor?: number }): Promise<CourierResult<CourierDispatch>>;
}

/** One line for logs and reports, without secrets. */
export function describeFailure(f: CourierFailure): string {
  switch (f.kind) {
    case "rejected":
      return `rejected (${f.status} ${f.code}): ${f.message}${f.fieldErrors.length ? ` [${f.fieldErrors.map((e) => `${e.field}: ${e.error}`).join("; ")}]` : ""}`;
    case "unauthorized":
    case "not_found":
      return `${f.kind} (${f.status} ${f.code}): ${f.message}`;
    case "rate_limited":
      return `rate limited (429)${f.retryAfterMs !== null ? `, retry after ${Math.ceil(f.retryAfterMs / 1000)} s` : ""}`;
    case "unavailable":
      return `unavailable (${f.status ?? "no status"}): ${f.message}`;
    case "timeout":
      return `no answer within ${f.timeoutMs} ms`;
    case "network":
      return `network error: ${f.message}`;
  }
}
