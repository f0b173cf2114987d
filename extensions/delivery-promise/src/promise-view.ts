// The checkout extension's logic, kept free of Preact and of the `shopify` global so vitest can
// test it as plain functions: what to ask the backend (from the address and cart lines the
// checkout gives), how to ask it (session token, time limit, never throwing), how to read the
// answer (checked field by field: the backend is a boundary), and what to show.

/** Where Nearhub runs. Set by whoever deploys the app (see the README); a merchant setting can override it. */
export const DEFAULT_APP_URL = "https://nearhub.example.com";
export const ENDPOINT_PATH = "/api/checkout/delivery-promise";
export const DEFAULT_HEADING = "How your order gets to you";
export const REQUEST_TIMEOUT_MS = 4000;

// ---------------------------------------------------------------------------------------------
// What the checkout gives (the fields we read of the checkout API's ShippingAddress and CartLine)

export interface AddressLike {
  countryCode?: string;
  zip?: string;
  provinceCode?: string;
  city?: string;
}

export interface CartLineLike {
  quantity: number;
  merchandise: { type?: string; id: string; sku?: string; requiresShipping?: boolean };
  cost?: { totalAmount?: { amount: number; currencyCode: string } };
}

export interface PromiseRequestBody {
  destination: { country: string; postalCode: string; province: string | null; city: string | null };
  lines: { variantId: string; sku?: string; quantity: number; unitPriceMinor?: number }[];
  locale?: string;
}

export type RequestPlan = { ok: true; body: PromiseRequestBody } | { ok: false; reason: "no-address" | "no-postal-code" | "nothing-to-ship" };

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The address fields we read; a field the buyer has not entered is absent, so ask before reading. */
function addressFields(a: AddressLike): AddressLike {
  const get = (k: keyof AddressLike) => (k in a && typeof a[k] === "string" ? a[k] : undefined);
  return { countryCode: get("countryCode"), zip: get("zip"), provinceCode: get("provinceCode"), city: get("city") };
}

/** The backend request for this address and cart, or why there is none yet. */
export function planRequest(rawAddress: AddressLike | undefined, lines: readonly CartLineLike[], locale?: string): RequestPlan {
  const address = rawAddress ? addressFields(rawAddress) : undefined;
  if (!address?.countryCode) return { ok: false, reason: "no-address" };
  const postalCode = address.zip?.trim();
  if (!postalCode) return { ok: false, reason: "no-postal-code" };
  const shipped = lines.filter((l) => l.quantity > 0 && l.merchandise.requiresShipping !== false && (l.merchandise.type ?? "variant") === "variant");
  if (shipped.length === 0) return { ok: false, reason: "nothing-to-ship" };
  return {
    ok: true,
    body: {
      destination: {
        country: address.countryCode,
        postalCode,
        province: address.provinceCode || null,
        city: address.city || null,
      },
      lines: shipped.map((l) => {
        const total = l.cost?.totalAmount;
        const unitPriceMinor =
          total && Number.isFinite(total.amount)
            ? Math.round((total.amount * 10 ** minorDigits(total.currencyCode)) / l.quantity)
            : undefined;
        return {
          variantId: l.merchandise.id,
          ...(l.merchandise.sku ? { sku: l.merchandise.sku } : {}),
          quantity: l.quantity,
          ...(unitPriceMinor !== undefined && unitPriceMinor >= 0 ? { unitPriceMinor } : {}),
        };
      }),
      ...(locale ? { locale } : {}),
    },
  };
}

/** Same address and cart → same key: the extension asks again only when one of them changed. */
export function requestKey(plan: RequestPlan): string {
  return plan.ok ? JSON.stringify(plan.body) : `none:${plan.reason}`;
}

/** The backend URL from the merchant's optional setting, else the app's own. Only https (or a loopback http for development). */
export function endpointOf(appUrlSetting: unknown): string {
  const candidate = typeof appUrlSetting === "string" ? appUrlSetting.trim() : "";
  let base = DEFAULT_APP_URL;
  if (candidate) {
    try {
      const u = new URL(candidate);
      const loopback = u.hostname === "127.0.0.1" || u.hostname === "localhost";
      if (u.protocol === "https:" || (u.protocol === "http:" && loopback)) base = u.origin;
    } catch {
      // not a URL: keep the default
    }
  }
  return `${base.replace(/\/+$/, "")}${ENDPOINT_PATH}`;
}

// ---------------------------------------------------------------------------------------------
// The backend's answer (app/services/delivery-promise.server.ts DeliveryPromise), checked

export interface Money {
  amountMinor: number;
  currency: string;
  formatted: string;
}
export interface PromiseOption {
  serviceCode: string;
  service: string;
  title: string;
  shipsFrom: { name: string; city: string | null; kind: string | null };
  carriedBy: string | null;
  arrives: { text: string; earliest: string; latest: string; timezone: string };
  summary: string;
  price: Money;
  breakdown: {
    costs: { label: string; note: string | null; amount: Money }[];
    costTotal: Money;
    steps: { label: string; change: Money; after: Money }[];
  };
  cheapest: boolean;
  fastest: boolean;
  /** A split option's parcels, soonest first (absent from older servers, empty for one parcel). */
  parcels?: { title: string; shipsFrom: { name: string; city: string | null }; arrives: { text: string }; summary: string; items: number; price: Money }[];
}
export interface BackupRate {
  name: string;
  description: string;
  price: Money;
  freeOver: Money | null;
  transit: string;
}
export interface DeliveryPromise {
  status: "live" | "backup" | "unavailable";
  message: string;
  options: PromiseOption[];
  backupRates: BackupRate[];
  notes: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string";
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";
const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const bool = (v: unknown): v is boolean => typeof v === "boolean";

function money(v: unknown): v is Money {
  return isObj(v) && num(v.amountMinor) && str(v.currency) && str(v.formatted);
}

function option(v: unknown): v is PromiseOption {
  if (!isObj(v) || !str(v.serviceCode) || !str(v.service) || !str(v.title) || !str(v.summary) || !money(v.price)) return false;
  if (!bool(v.cheapest) || !bool(v.fastest) || !strOrNull(v.carriedBy)) return false;
  const from = v.shipsFrom;
  if (!isObj(from) || !str(from.name) || !strOrNull(from.city) || !strOrNull(from.kind)) return false;
  const arrives = v.arrives;
  if (!isObj(arrives) || !str(arrives.text) || !str(arrives.earliest) || !str(arrives.latest) || !str(arrives.timezone)) return false;
  const b = v.breakdown;
  if (!isObj(b) || !money(b.costTotal) || !Array.isArray(b.costs) || !Array.isArray(b.steps)) return false;
  return (
    b.costs.every((c) => isObj(c) && str(c.label) && strOrNull(c.note) && money(c.amount)) &&
    b.steps.every((s) => isObj(s) && str(s.label) && money(s.change) && money(s.after))
  );
}

function backupRate(v: unknown): v is BackupRate {
  return isObj(v) && str(v.name) && str(v.description) && money(v.price) && (v.freeOver === null || money(v.freeOver)) && str(v.transit);
}

/** The answer when it has the promised shape; null otherwise (then the extension shows its error state). */
export function parsePromise(v: unknown): DeliveryPromise | null {
  if (!isObj(v) || !str(v.message) || !(v.status === "live" || v.status === "backup" || v.status === "unavailable")) return null;
  if (!Array.isArray(v.options) || !v.options.every(option)) return null;
  if (!Array.isArray(v.backupRates) || !v.backupRates.every(backupRate)) return null;
  if (!Array.isArray(v.notes) || !v.notes.every(str)) return null;
  return { status: v.status, message: v.message, options: v.options, backupRates: v.backupRates, notes: v.notes };
}

// ---------------------------------------------------------------------------------------------
// Asking

export type PromiseState =
  | { kind: "idle"; reason: "no-address" | "no-postal-code" | "nothing-to-ship" }
  | { kind: "loading" }
  | { kind: "ready"; promise: DeliveryPromise }
  | { kind: "error"; detail: string };

export interface FetchDeps {
  fetch: typeof fetch;
  /** shopify.sessionToken.get: a fresh (or cached, unexpired) token each call. */
  token: () => Promise<string>;
  timeoutMs?: number;
}

/** POSTs the request with the session token; resolves to "ready" or "error", never rejects. */
export async function fetchPromise(endpoint: string, body: PromiseRequestBody, deps: FetchDeps): Promise<PromiseState> {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = setTimeout(() => controller?.abort(), deps.timeoutMs ?? REQUEST_TIMEOUT_MS);
  try {
    const token = await deps.token();
    const res = await deps.fetch(endpoint, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
      ...(controller ? { signal: controller.signal } : {}),
    });
    if (!res.ok) return { kind: "error", detail: `HTTP ${res.status}` };
    const promise = parsePromise(await res.json());
    return promise ? { kind: "ready", promise } : { kind: "error", detail: "unexpected answer" };
  } catch (error) {
    return { kind: "error", detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Showing

export interface OptionView {
  key: string;
  title: string;
  badges: string[];
  arrives: string;
  shipsFrom: string;
  price: string;
  costs: { label: string; amount: string }[];
  costTotal: string;
  steps: { label: string; amount: string }[];
}

export type View =
  | { kind: "hidden" }
  | { kind: "loading"; heading: string }
  | { kind: "notice"; heading: string; tone: "info" | "warning"; message: string; lines: string[]; notes: string[] }
  | { kind: "options"; heading: string; message: string; options: OptionView[]; notes: string[] };

function shipsFromText(o: PromiseOption): string {
  // A split option: every parcel, when it comes and from where ("2 parcels: today from …, Thu from …").
  if (o.parcels && o.parcels.length > 1) return o.summary;
  // The title already says "Pickup at <node>": say where that is.
  if (o.service === "PICKUP") return o.shipsFrom.city ? `In ${o.shipsFrom.city}` : "";
  const where = o.shipsFrom.city ? `${o.shipsFrom.name}, ${o.shipsFrom.city}` : o.shipsFrom.name;
  return `Ships from ${where}${o.carriedBy ? ` · ${o.carriedBy}` : ""}`;
}

function optionView(o: PromiseOption): OptionView {
  const badges: string[] = [];
  if (o.fastest) badges.push("Fastest");
  if (o.cheapest) badges.push("Lowest price");
  return {
    key: o.serviceCode,
    title: o.title,
    badges,
    arrives: o.arrives.text,
    shipsFrom: shipsFromText(o),
    price: o.price.amountMinor === 0 ? "Free" : o.price.formatted,
    costs: o.breakdown.costs.map((c) => ({ label: c.note ? `${c.label} (${c.note})` : c.label, amount: c.amount.formatted })),
    costTotal: o.breakdown.costTotal.formatted,
    steps: o.breakdown.steps.map((s) => ({ label: s.label, amount: s.change.formatted })),
  };
}

/** What to show for a state. Idle and "unavailable" show nothing: checkout looks as if we were not there. */
export function viewOf(state: PromiseState, headingSetting?: unknown): View {
  const heading = typeof headingSetting === "string" && headingSetting.trim() ? headingSetting.trim() : DEFAULT_HEADING;
  switch (state.kind) {
    case "idle":
      return { kind: "hidden" };
    case "loading":
      return { kind: "loading", heading };
    case "error":
      return {
        kind: "notice",
        heading,
        tone: "info",
        message: "Delivery details are not available right now. The shipping options above still apply.",
        lines: [],
        notes: [],
      };
    case "ready": {
      const p = state.promise;
      if (p.status === "unavailable") return { kind: "hidden" };
      if (p.status === "backup" || p.options.length === 0) {
        return {
          kind: "notice",
          heading,
          tone: "info",
          message: p.message,
          lines: p.backupRates.map((r) => `${r.name}: ${r.price.formatted}, ${r.transit}`),
          notes: p.notes,
        };
      }
      return { kind: "options", heading, message: p.message, options: p.options.map(optionView), notes: p.notes };
    }
  }
}
