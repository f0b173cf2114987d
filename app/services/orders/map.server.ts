// One mapping from Shopify's order to Nearhub's row (ADR 0025), zod-validated at the boundary, from
// both shapes Shopify gives it in:
//
//   orderFromWebhook(payload)   the REST-shaped body of orders/create, orders/updated, orders/cancelled
//   orderFromGraphql(node)      an Admin GraphQL Order: a bulk operation's JSONL order with its child
//                               lines gathered (bulk.server.ts), or a page of the reconciliation query
//
// Only what the product needs is kept: the order's id, name, customer id (for customers/redact), times,
// total, the destination's city, province, postal code, country and coordinates rounded to 3 decimals
// (about 100 m), the first shipping line's code and title (a Nearhub service code such as
// NH:<node>:<service>), the lines' SKU, quantity and unit price, the fulfillments, and what attributes
// the order to a campaign (issue 15): the last visit's UTM campaign and source (GraphQL
// customerJourneySummary; a webhook's landing_site query), the landing page as its path and its utm_*
// parameters only (no host, no other parameter: a click id or an e-mail in a link is never kept), and
// the discount codes in upper case. Names, emails, phone numbers and street lines are never read.
import { z } from "zod";
import { currencyDigits } from "~/core/money/money";
import { deliveryStatusOf } from "~/core/deliveries";
import { priceToMinor } from "../carrier-rates.server";
import { fulfillmentFromWebhook, fulfillmentSchema } from "../deliveries/webhooks.server";
import type { FulfillmentInput } from "../deliveries/record.server";
import { gid } from "../shopify-admin.server";
import { timestampSchema } from "../shopify-payload";

/** An order as Nearhub stores it, whichever shape it came in. */
export interface OrderInput {
  /** gid://shopify/Order/… */
  gid: string;
  name: string;
  /** The bare numeric customer id, or null (a guest checkout, or none asked). */
  customerId: string | null;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  currency: string;
  totalMinor: number;
  dest: { city: string | null; province: string | null; postalCode: string | null; country: string | null; latitude: number | null; longitude: number | null };
  shippingCode: string | null;
  shippingTitle: string | null;
  lines: { gid: string | null; sku: string | null; quantity: number; priceMinor: number }[];
  fulfillments: FulfillmentInput[];
  /** Where the shopper came from (null: Shopify did not say): services/campaigns/attribution.server.ts matches it. */
  attribution: OrderAttribution;
}

export interface OrderAttribution {
  utmCampaign: string | null;
  utmSource: string | null;
  /** Path and utm_* query only, e.g. "/products/mug?utm_campaign=nh-bk-1&utm_source=facebook". */
  landingPage: string | null;
  /** Upper case, in the order Shopify lists them. */
  discountCodes: string[];
}

// Any whole number: Shopify's sample bodies carry ids past 2^53, which JSON.parse rounds; where it
// matters the gid (admin_graphql_api_id, a string) is used instead.
const id = z.union([z.number().nonnegative().refine(Number.isInteger, "must be a whole number"), z.string().regex(/^(gid:\/\/shopify\/\w+\/)?\d+$/, "must be a Shopify id")]);
const decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount such as 12.50")]);
const currency = z.string().regex(/^[A-Z]{3}$/, "must be a currency code such as USD");
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const text = (max: number) => z.string().max(max);
/** Text Nearhub cuts rather than refuses: a long landing URL or UTM must never turn an order away. */
const clipped = (max: number) => z.string().transform((v) => v.slice(0, max));

/** 3 decimals: about 110 m of latitude, less of longitude away from the equator. */
export const roundCoordinate = (v: number | null | undefined): number | null => (v == null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000);

const tail = (v: string | number) => String(v).split("/").pop()!;
const blank = (v: string | null | undefined) => (v == null || v.trim() === "" ? null : v.trim());

const MAX_LANDING_PAGE = 500;
const MAX_UTM = 255;

/**
 * A landing page as Nearhub keeps it: its path and its utm_* parameters, never the host or another
 * parameter (a click id, an e-mail a newsletter put in the link). Shopify gives a whole URL
 * (customerJourneySummary.lastVisit.landingPage) or a path with its query (REST landing_site).
 */
export function landingPageOf(raw: string | null | undefined): string | null {
  const v = blank(raw);
  if (!v) return null;
  let url: URL;
  try {
    url = new URL(v, "https://shop.invalid");
  } catch {
    return null;
  }
  const kept = new URLSearchParams();
  for (const [key, value] of url.searchParams) if (/^utm_[a-z]+$/i.test(key)) kept.append(key.toLowerCase(), value.slice(0, MAX_UTM));
  const query = kept.toString();
  return `${url.pathname || "/"}${query ? `?${query}` : ""}`.slice(0, MAX_LANDING_PAGE);
}

/** A utm_* parameter of a landing page (kept or raw), or null. */
export function utmParameterOf(landingPage: string | null, name: "campaign" | "source" | "medium"): string | null {
  if (!landingPage) return null;
  try {
    return blank(new URL(landingPage, "https://shop.invalid").searchParams.get(`utm_${name}`))?.slice(0, MAX_UTM) ?? null;
  } catch {
    return null;
  }
}

const upperCodes = (codes: readonly (string | null | undefined)[]): string[] => [...new Set(codes.map((c) => blank(c)?.toUpperCase().slice(0, 255)).filter((c): c is string => !!c))];

// ---------------------------------------------------------------------------------------------
// REST webhook bodies (orders/create, orders/updated, orders/cancelled)

const webhookFields = {
  id,
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/, "must be an Order gid").nullish(),
  name: text(100),
  created_at: timestampSchema,
  updated_at: timestampSchema,
  cancelled_at: timestampSchema.nullish(),
  currency,
  total_price: decimal,
  customer: z.object({ id, admin_graphql_api_id: z.string().nullish() }).passthrough().nullish(),
  shipping_address: z
    .object({
      zip: text(40).nullish(),
      city: text(200).nullish(),
      province_code: text(40).nullish(),
      country_code: text(2).nullish(),
      latitude: latitude.nullish(),
      longitude: longitude.nullish(),
    })
    .passthrough()
    .nullish(),
  line_items: z.array(z.object({ id: id.nullish(), admin_graphql_api_id: z.string().nullish(), sku: text(255).nullish(), quantity: z.number().int().min(0), price: decimal }).passthrough()),
  shipping_lines: z.array(z.object({ code: text(255).nullish(), title: text(255).nullish(), source: text(255).nullish() }).passthrough()).default([]),
  fulfillments: z.array(fulfillmentSchema).default([]),
  // Attribution (issue 15): the first page of the visit that bought, and the codes used.
  landing_site: clipped(5_000).nullish(),
  discount_codes: z.array(z.object({ code: clipped(255).nullish() }).passthrough()).nullish(),
};

/** A whole order as the orders webhooks send it. */
export const webhookOrderSchema = z.object(webhookFields).passthrough();
export type WebhookOrder = z.output<typeof webhookOrderSchema>;

/**
 * orders/create as routing has always taken it: the id is required; the rest of a whole order is
 * checked when present (400 naming the field) and recorded when the body is a whole order.
 */
export const webhookOrderFieldsWhenPresent = z.object(webhookFields).partial().required({ id: true }).passthrough();

export function orderFromWebhook(p: WebhookOrder): OrderInput {
  const orderGid = p.admin_graphql_api_id ?? gid("Order", p.id);
  const digits = currencyDigits(p.currency);
  const a = p.shipping_address;
  const first = p.shipping_lines[0];
  return {
    gid: orderGid,
    name: p.name,
    // The gid when Shopify sends it: a JSON number past 2^53 loses its last digits.
    customerId: p.customer ? tail(p.customer.admin_graphql_api_id ?? p.customer.id) : null,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    cancelledAt: p.cancelled_at ?? null,
    currency: p.currency,
    totalMinor: priceToMinor(String(p.total_price), digits),
    dest: {
      city: blank(a?.city),
      province: blank(a?.province_code),
      postalCode: blank(a?.zip),
      country: blank(a?.country_code)?.toUpperCase() ?? null,
      latitude: roundCoordinate(a?.latitude),
      longitude: roundCoordinate(a?.longitude),
    },
    shippingCode: blank(first?.code),
    shippingTitle: blank(first?.title),
    lines: p.line_items.map((l) => ({ gid: l.admin_graphql_api_id ?? (l.id == null ? null : gid("LineItem", l.id)), sku: blank(l.sku), quantity: l.quantity, priceMinor: priceToMinor(String(l.price), digits) })),
    fulfillments: p.fulfillments.map((f) => fulfillmentFromWebhook({ ...f, order_id: f.order_id ?? p.id })),
    attribution: attributionOf(p.landing_site, null, (p.discount_codes ?? []).map((d) => d.code)),
  };
}

/** The attribution fields from a landing page and, when Shopify parsed them, the visit's UTM parameters. */
function attributionOf(landing: string | null | undefined, utm: { campaign?: string | null; source?: string | null } | null, codes: (string | null | undefined)[]): OrderAttribution {
  const landingPage = landingPageOf(landing);
  return {
    utmCampaign: blank(utm?.campaign)?.slice(0, MAX_UTM) ?? utmParameterOf(landingPage, "campaign"),
    utmSource: blank(utm?.source)?.slice(0, MAX_UTM) ?? utmParameterOf(landingPage, "source"),
    landingPage,
    discountCodes: upperCodes(codes),
  };
}

// ---------------------------------------------------------------------------------------------
// Admin GraphQL (bulk JSONL, reconciliation pages)

const money = z.object({ shopMoney: z.object({ amount: decimal, currencyCode: currency.nullish() }) });
const gidOf = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+`), `must be a ${type} gid`);

export const graphqlLineItemSchema = z.object({
  id: gidOf("LineItem"),
  sku: text(255).nullish(),
  quantity: z.number().int().min(0),
  originalUnitPriceSet: money,
});
export const graphqlShippingLineSchema = z.object({
  id: z.string().nullish(),
  code: text(255).nullish(),
  title: text(255).nullish(),
  source: text(255).nullish(),
});
export const graphqlFulfillmentSchema = z.object({
  id: gidOf("Fulfillment"),
  status: z.string().regex(/^[A-Z_]{1,40}$/),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  location: z.object({ id: gidOf("Location") }).nullish(),
  displayStatus: z.string().nullish(),
  deliveredAt: timestampSchema.nullish(),
  inTransitAt: timestampSchema.nullish(),
  trackingInfo: z.array(z.object({ company: z.string().nullish() })).nullish(),
  service: z.object({ handle: z.string().nullish() }).nullish(),
});

export const graphqlOrderSchema = z.object({
  id: gidOf("Order"),
  name: text(100),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  cancelledAt: timestampSchema.nullish(),
  currencyCode: currency,
  totalPriceSet: money,
  customer: z.object({ id: gidOf("Customer") }).nullish(),
  shippingAddress: z
    .object({
      zip: text(40).nullish(),
      city: text(200).nullish(),
      provinceCode: text(40).nullish(),
      countryCodeV2: text(2).nullish(),
      latitude: latitude.nullish(),
      longitude: longitude.nullish(),
    })
    .nullish(),
  lineItems: z.object({ nodes: z.array(graphqlLineItemSchema) }),
  shippingLines: z.object({ nodes: z.array(graphqlShippingLineSchema) }),
  fulfillments: z.array(graphqlFulfillmentSchema).default([]),
  discountCodes: z.array(clipped(255)).nullish(),
  customerJourneySummary: z
    .object({
      lastVisit: z
        .object({
          landingPage: clipped(5_000).nullish(),
          utmParameters: z.object({ campaign: clipped(1_000).nullish(), source: clipped(1_000).nullish(), medium: clipped(1_000).nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type GraphqlOrder = z.output<typeof graphqlOrderSchema>;

/** The fields the bulk query and the reconciliation ask of an order (the same, so one mapper reads both). */
export const ORDER_FIELDS = `
  id
  name
  createdAt
  updatedAt
  cancelledAt
  currencyCode
  totalPriceSet { shopMoney { amount currencyCode } }
  customer { id }
  shippingAddress { zip city provinceCode countryCodeV2 latitude longitude }
  fulfillments {
    id status createdAt updatedAt displayStatus deliveredAt inTransitAt
    location { id }
    trackingInfo { company }
    service { handle }
  }
  discountCodes
  customerJourneySummary { lastVisit { landingPage utmParameters { campaign source medium } } }`;
export const LINE_ITEM_FIELDS = "id sku quantity originalUnitPriceSet { shopMoney { amount currencyCode } }";
export const SHIPPING_LINE_FIELDS = "id code title source";

export function orderFromGraphql(o: GraphqlOrder): OrderInput {
  const digits = currencyDigits(o.currencyCode);
  const a = o.shippingAddress;
  const first = o.shippingLines.nodes[0];
  return {
    gid: o.id,
    name: o.name,
    customerId: o.customer ? tail(o.customer.id) : null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt ?? null,
    currency: o.currencyCode,
    totalMinor: priceToMinor(String(o.totalPriceSet.shopMoney.amount), digits),
    dest: {
      city: blank(a?.city),
      province: blank(a?.provinceCode),
      postalCode: blank(a?.zip),
      country: blank(a?.countryCodeV2)?.toUpperCase() ?? null,
      latitude: roundCoordinate(a?.latitude),
      longitude: roundCoordinate(a?.longitude),
    },
    shippingCode: blank(first?.code),
    shippingTitle: blank(first?.title),
    lines: o.lineItems.nodes.map((l) => ({ gid: l.id, sku: blank(l.sku), quantity: l.quantity, priceMinor: priceToMinor(String(l.originalUnitPriceSet.shopMoney.amount), digits) })),
    fulfillments: o.fulfillments.map((f) => ({
      gid: f.id,
      orderGid: o.id,
      status: f.status,
      locationGid: f.location?.id ?? null,
      trackingCompany: f.trackingInfo?.[0]?.company ?? null,
      shipmentStatus: deliveryStatusOf(f.displayStatus),
      service: f.service?.handle ?? null,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
      deliveredAt: f.deliveredAt ?? null,
      inTransitAt: f.inTransitAt ?? null,
    })),
    attribution: attributionOf(o.customerJourneySummary?.lastVisit?.landingPage, o.customerJourneySummary?.lastVisit?.utmParameters ?? null, o.discountCodes ?? []),
  };
}
