// The one fake of Shopify's Admin API for the whole suite: msw's node server answering
// POST https://<shop>/admin/api/2026-10/graphql.json (and the token exchange) in the shapes
// shopify.dev documents, for every operation Nearhub sends. It holds each shop's state (carrier
// services, orders and their fulfillment orders, fulfillments and their events, returns, metafields,
// the catalogue, external marketing activities and their engagements), answers every call with `extensions.cost`, can be told to throttle (THROTTLED with
// the bucket's status), refuse (userErrors), fail (GraphQL errors, an HTTP status, a dropped
// connection) or run a test's own step, and records every call so a test asserts on what was sent.
//
// Shopify's library captured `fetch` when its Node adapter loaded; `routeShopifyLibraryThroughFetch`
// makes it call the global fetch at call time, which msw intercepts. Nothing else is replaced.
//
//   const shopify = useFakeAdminApi();                 // vitest (fake-admin-api.ts): listens for the file, resets between tests
//   const shopify = new FakeAdminApi(); shopify.listen(); // elsewhere (a child process)
//   shopify.shop("a.myshopify.com").carrierServices.push(...);
//   shopify.next("NearhubFulfillmentOrderMove", "throttled", { userErrors: [...] });
//   expect(shopify.operations()).toEqual([...]);
//
// A throttled answer asks the client to wait 10 ms. The wait is the caller's to spend: a test that
// scripts throttling passes a recording sleep (test/support/clock.ts) — to adminQuery's `sleep`, or
// to drainJobs, whose jobs hand it on (JobContext.sleep) — and asserts the waits asked for.
import { readFileSync } from "node:fs";
import path from "node:path";
import "@shopify/shopify-app-remix/adapters/node";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

export const API_VERSION = "2026-10";
export const ACCESS_TOKEN = "shpat_test";

const FIXTURES = path.resolve(__dirname, "../fixtures/shopify");
export const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8"));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface AdminCall {
  shop: string;
  apiVersion: string;
  operation: string;
  query: string;
  variables: Json;
  accessToken: string | null;
}

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
}

/** What the next call of an operation does instead of its normal answer. */
export type Behaviour =
  | "throttled"
  | "network"
  | { userErrors: UserError[] }
  | { errors: { message: string; code?: string }[] }
  | { status: number; body?: string }
  | ((call: AdminCall) => Response | Promise<Response> | void | Promise<void>);

export interface CarrierService {
  id: string;
  name: string;
  callbackUrl: string;
  active: boolean;
}

export interface FakeReturn {
  status: string;
  /** reverse fulfillment order lines, created when the return is approved or created */
  reverseLines: { id: string; totalQuantity: number; sku: string | null; lineItemId: string }[];
  dispositions: { reverseFulfillmentOrderLineItemId: string; quantity: number; dispositionType: string; locationId?: string }[];
}

export interface FakeMove {
  id: string;
  newLocationId: string;
  lineItems: { id: string; quantity: number }[] | null;
}

/** A fulfillment Shopify knows, and the fulfillment events posted to it (fulfillmentEventCreate). */
export interface FakeFulfillment {
  status: "SUCCESS" | "CANCELLED" | "OPEN" | "PENDING" | "ERROR" | "FAILURE";
  events: { id: string; status: string; happenedAt: string; message: string | null }[];
}

/** A bulk operation (shopify.dev BulkOperation): RUNNING until the test finishes it (FakeAdminApi.finishBulk). */
export interface FakeBulkOperation {
  id: string;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELED";
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  objectCount: number;
  url: string | null;
  createdAt: string;
  completedAt: string | null;
  /** The JSONL file's lines (set when it completes). */
  lines: string[];
  /** Downloads of the file that break off after this many lines (a dropped connection), then it serves whole. */
  breakAfter: number[];
}

/** An external marketing activity as Shopify holds it: the last upsert's input (absent fields removed) and its engagements. */
export interface FakeMarketingActivity {
  id: string;
  input: Json;
  engagements: Json[];
}

/** Shopify's enums for external marketing activities (shopify.dev Admin GraphQL 2026-10). */
export const MARKETING = {
  statuses: ["ACTIVE", "DELETED_EXTERNALLY", "INACTIVE", "PAUSED", "SCHEDULED", "UNDEFINED"],
  tactics: ["ABANDONED_CART", "AD", "AFFILIATE", "LINK", "LOYALTY", "MESSAGE", "NEWSLETTER", "NOTIFICATION", "POST", "RETARGETING", "SEO", "STOREFRONT_APP", "TRANSACTIONAL"],
  channels: ["DISPLAY", "EMAIL", "REFERRAL", "SEARCH", "SOCIAL"],
  hierarchyLevels: ["AD", "AD_GROUP", "CAMPAIGN"],
  budgetTypes: ["DAILY", "LIFETIME"],
};

/** Where the fake serves bulk operation files (Shopify's are signed Google Cloud Storage URLs). */
export const BULK_FILES = "https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs";

/** Shopify's FulfillmentEventStatus (shopify.dev Admin GraphQL 2026-10). */
export const FULFILLMENT_EVENT_STATUSES = [
  "ATTEMPTED_DELIVERY", "CARRIER_PICKED_UP", "CONFIRMED", "DELAYED", "DELIVERED", "FAILURE", "IN_TRANSIT",
  "LABEL_PRINTED", "LABEL_PURCHASED", "OUT_FOR_DELIVERY", "PICKED_UP", "READY_FOR_PICKUP",
];

export class FakeShop {
  carrierServices: CarrierService[] = [];
  fulfillments = new Map<string, FakeFulfillment>();
  orders = new Map<string, Json>();
  moves: FakeMove[] = [];
  returns = new Map<string, FakeReturn>();
  created: { orderId: string; returnLineItems: Json[] }[] = [];
  metafields: { ownerId: string; namespace: string; key: string; type: string; value: string }[] = [];
  /** productVariants pages, in order (the catalogue sync reads them with `after` cursors). */
  variantPages: Json[][] = [];
  /** Orders as Admin GraphQL has them (lineItems.nodes, shippingLines.nodes): the bulk file and the reconciliation read them. */
  orderHistory: Json[] = [];
  bulkOperations: FakeBulkOperation[] = [];
  /** External marketing activities by remoteId (marketingActivityUpsertExternal), with the engagements sent to each. */
  marketingActivities = new Map<string, FakeMarketingActivity>();
  private nextId = 1;

  constructor(
    readonly domain: string,
    readonly shopGid = `gid://shopify/Shop/${Math.abs(hash(domain))}`,
  ) {}

  id(type: string): string {
    return `gid://shopify/${type}/${9_000_000 + this.nextId++}`;
  }

  /** An order like the fixture's (order-query-response.json), with its own ids, SKU, quantity, shipping code and location. */
  addOrder(o: { n: number; sku: string; quantity?: number; code?: string | null; fromLocation: string; latitude?: number; longitude?: number; zip?: string; closed?: boolean }) {
    const base = structuredClone((fixture("fulfillment-orders/order-query-response.json") as Json).data.order) as Json;
    const orderGid = `gid://shopify/Order/${5820000000 + o.n}`;
    const foGid = `gid://shopify/FulfillmentOrder/${6540000000 + o.n}`;
    base.id = orderGid;
    base.name = `#${1000 + o.n}`;
    base.closed = o.closed ?? false;
    if (o.latitude !== undefined) Object.assign(base.shippingAddress, { latitude: o.latitude, longitude: o.longitude, zip: o.zip ?? base.shippingAddress.zip });
    base.shippingLines.nodes = o.code === null ? [] : [{ code: o.code ?? "NH:nyc-bk-hub:SAME_DAY", source: "Nearhub live rates", title: "Nearhub" }];
    const fo = base.fulfillmentOrders.nodes[0];
    fo.id = foGid;
    fo.assignedLocation.location.id = o.fromLocation;
    const line = fo.lineItems.nodes[0];
    line.id = `gid://shopify/FulfillmentOrderLineItem/${1300000000 + o.n}`;
    line.remainingQuantity = line.totalQuantity = o.quantity ?? 1;
    line.lineItem = { id: `gid://shopify/LineItem/${1400000000 + o.n}`, sku: o.sku, variant: null };
    this.orders.set(orderGid, base);
    return { orderGid, foGid };
  }

  /** A return Shopify knows, REQUESTED until approved or declined; `lines` become its reverse lines when it opens. */
  addReturn(gid: string, lines: { sku: string | null; quantity?: number; lineItemId?: string }[] = [], status = "REQUESTED"): FakeReturn {
    const r: FakeReturn = {
      status,
      reverseLines: lines.map((l, i) => ({ id: `gid://shopify/ReverseFulfillmentOrderLineItem/${71 + i}`, totalQuantity: l.quantity ?? 1, sku: l.sku, lineItemId: l.lineItemId ?? `gid://shopify/LineItem/${487817672 + i}` })),
      dispositions: [],
    };
    this.returns.set(gid, r);
    return r;
  }

  /** A fulfillment Shopify knows (events can be posted to it). */
  addFulfillment(gid: string, status: FakeFulfillment["status"] = "SUCCESS"): FakeFulfillment {
    const f: FakeFulfillment = { status, events: [] };
    this.fulfillments.set(gid, f);
    return f;
  }

  /**
   * The bulk file of `orderHistory` in Shopify's JSONL: each order on its line (connections left out),
   * then each of its line items and shipping lines on its own line with `__parentId`.
   */
  ordersJsonl(): string[] {
    const lines: string[] = [];
    for (const o of this.orderHistory) {
      const { lineItems, shippingLines, ...order } = o;
      lines.push(JSON.stringify(order));
      for (const l of lineItems?.nodes ?? []) lines.push(JSON.stringify({ ...l, __parentId: o.id }));
      for (const s of shippingLines?.nodes ?? []) lines.push(JSON.stringify({ ...s, __parentId: o.id }));
    }
    return lines;
  }

  locationOf(foGid: string): string | null {
    return this.findFo(foGid)?.fo.assignedLocation.location.id ?? null;
  }

  findFo(foGid: string): { order: Json; fo: Json } | null {
    for (const order of this.orders.values()) for (const fo of order.fulfillmentOrders.nodes) if (fo.id === foGid) return { order, fo };
    return null;
  }
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

// Standard plan: a 2,000-point bucket restoring 100 points a second (shopify.dev, GraphQL Admin API rate limits).
const BUCKET = { maximumAvailable: 2000, restoreRate: 100 };
const REQUESTED_COST = 10;
const cost = (currentlyAvailable: number = BUCKET.maximumAvailable - REQUESTED_COST, actual: number | null = REQUESTED_COST) => ({
  requestedQueryCost: REQUESTED_COST,
  actualQueryCost: actual,
  throttleStatus: { ...BUCKET, currentlyAvailable },
});

const answer = (data: unknown) => HttpResponse.json({ data, extensions: { cost: cost() } });

/** Shopify's throttled answer: HTTP 200, THROTTLED, the bucket one point short of the query's cost (a 10 ms wait). */
export const throttledAnswer = () =>
  HttpResponse.json({
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: { cost: cost(REQUESTED_COST - 1, null) },
  });

/** Every operation Nearhub sends, answered from the shop's state (fields and variables checked as Shopify would). */
type Operation = (shop: FakeShop, call: AdminCall, fail: (message: string) => never) => unknown;

const need = (ok: unknown, fail: (m: string) => never, message: string) => {
  if (!ok) fail(message);
};
const isMoneyInput = (v: unknown) =>
  !!v && typeof v === "object" && typeof (v as Json).amount === "string" && /^-?\d+(\.\d+)?$/.test((v as Json).amount) && /^[A-Z]{3}$/.test(String((v as Json).currencyCode));
const isGid = (type: string, v: unknown) => typeof v === "string" && new RegExp(`^gid://shopify/${type}/\\d+$`).test(v);

const OPERATIONS: Record<string, Operation> = {
  // ---- routing ----
  NearhubRoutingOrder: (shop, { query, variables }, fail) => {
    for (const field of ["shippingAddress", "latitude", "shippingLines", "code", "fulfillmentOrders", "assignedLocation", "remainingQuantity", "sku"]) {
      need(query.includes(field), fail, `the order query must ask for ${field}`);
    }
    need(isGid("Order", variables.id), fail, "id must be an Order gid");
    return { order: shop.orders.get(variables.id) ?? null };
  },
  NearhubRoutingFulfillmentOrder: (shop, { variables }, fail) => {
    need(isGid("FulfillmentOrder", variables.id), fail, "id must be a FulfillmentOrder gid");
    const found = shop.findFo(variables.id);
    return { fulfillmentOrder: found ? { id: found.fo.id, status: found.fo.status, order: { id: found.order.id } } : null };
  },
  NearhubFulfillmentOrderMove: (shop, { query, variables: v }, fail) => {
    need(/fulfillmentOrderMove\(id: \$id, newLocationId: \$newLocationId/.test(query), fail, "fulfillmentOrderMove(id:, newLocationId:) expected");
    need(query.includes("userErrors { field message }"), fail, "the move must ask for userErrors");
    need(isGid("FulfillmentOrder", v.id), fail, "id must be a FulfillmentOrder gid");
    need(isGid("Location", v.newLocationId), fail, "newLocationId must be a Location gid");
    const found = shop.findFo(v.id);
    if (!found || found.fo.status !== "OPEN") {
      return { fulfillmentOrderMove: { movedFulfillmentOrder: null, originalFulfillmentOrder: null, userErrors: [{ field: ["id"], message: "Fulfillment order is closed." }] } };
    }
    shop.moves.push({ id: v.id, newLocationId: v.newLocationId, lineItems: v.fulfillmentOrderLineItems ?? null });
    found.fo.assignedLocation.location.id = v.newLocationId;
    const state = { id: found.fo.id, status: "OPEN", assignedLocation: { location: { id: v.newLocationId } } };
    return { fulfillmentOrderMove: { movedFulfillmentOrder: state, originalFulfillmentOrder: state, userErrors: [] } };
  },

  // ---- deliveries ----
  NearhubFulfillmentEventCreate: (shop, { query, variables }, fail) => {
    need(query.includes("fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent)"), fail, "fulfillmentEventCreate(fulfillmentEvent:) expected");
    need(query.includes("userErrors { field message }"), fail, "the mutation must ask for userErrors");
    const input = variables.fulfillmentEvent as { fulfillmentId: string; status: string; happenedAt?: string; message?: string };
    need(input && typeof input === "object", fail, "fulfillmentEvent (FulfillmentEventInput!) is required");
    need(isGid("Fulfillment", input.fulfillmentId), fail, "fulfillmentEvent.fulfillmentId must be a Fulfillment gid");
    need(FULFILLMENT_EVENT_STATUSES.includes(input.status), fail, `fulfillmentEvent.status ${input.status} is not a FulfillmentEventStatus`);
    need(input.happenedAt === undefined || !Number.isNaN(Date.parse(input.happenedAt)), fail, "fulfillmentEvent.happenedAt must be a DateTime");
    const f = shop.fulfillments.get(input.fulfillmentId);
    // UserError { field, message } with the field path of the input, as Shopify reports them (the
    // sentence is the fake's own: Shopify's exact wording for an unknown fulfillment is not documented).
    if (!f) return { fulfillmentEventCreate: { fulfillmentEvent: null, userErrors: [{ field: ["fulfillmentEvent", "fulfillmentId"], message: "Fulfillment does not exist" }] } };
    const event = { id: shop.id("FulfillmentEvent"), status: input.status, happenedAt: input.happenedAt ?? new Date().toISOString(), message: input.message ?? null };
    f.events.push(event);
    return { fulfillmentEventCreate: { fulfillmentEvent: { id: event.id, status: event.status, happenedAt: event.happenedAt }, userErrors: [] } };
  },

  // ---- carrier service ----
  NearhubCarrierServices: (shop) => ({ carrierServices: { nodes: shop.carrierServices.map((s) => ({ ...s })) } }),
  NearhubCarrierServiceCreate: (shop, { query, variables }, fail) => {
    need(query.includes("carrierServiceCreate(input: $input)"), fail, "carrierServiceCreate(input:) expected");
    const input = variables.input as Omit<CarrierService, "id"> & { supportsServiceDiscovery?: boolean };
    need(/^https?:\/\/[^/]+\//.test(input.callbackUrl), fail, "callbackUrl must be an absolute URL");
    const service = { id: shop.id("DeliveryCarrierService"), name: input.name, callbackUrl: input.callbackUrl, active: input.active };
    shop.carrierServices.push(service);
    return { carrierServiceCreate: { carrierService: { ...service }, userErrors: [] } };
  },
  NearhubCarrierServiceUpdate: (shop, { query, variables }, fail) => {
    need(query.includes("carrierServiceUpdate(input: $input)"), fail, "carrierServiceUpdate(input:) expected");
    const input = variables.input as CarrierService;
    const service = shop.carrierServices.find((s) => s.id === input.id);
    if (!service) return { carrierServiceUpdate: { carrierService: null, userErrors: [{ field: ["id"], message: "The carrier or app could not be found." }] } };
    Object.assign(service, { name: input.name ?? service.name, callbackUrl: input.callbackUrl ?? service.callbackUrl, active: input.active ?? service.active });
    return { carrierServiceUpdate: { carrierService: { ...service }, userErrors: [] } };
  },

  // ---- returns ----
  NearhubReturnApprove: (shop, { variables }, fail) => {
    const id = variables.input?.id;
    need(isGid("Return", id), fail, "input.id must be a Return gid");
    const r = shop.returns.get(id) ?? shop.addReturn(id);
    if (r.status !== "REQUESTED") {
      return { returnApproveRequest: { return: null, userErrors: [{ code: "INVALID_STATE", field: ["id"], message: "Return has already been approved." }] } };
    }
    r.status = "OPEN";
    return { returnApproveRequest: { return: { id, status: "OPEN" }, userErrors: [] } };
  },
  NearhubReturnDecline: (shop, { variables }, fail) => {
    const input = variables.input as { id: string; declineReason: string };
    need(isGid("Return", input.id), fail, "input.id must be a Return gid");
    need(["FINAL_SALE", "RETURN_PERIOD_ENDED", "OTHER"].includes(input.declineReason), fail, `declineReason ${input.declineReason} is not a ReturnDeclineReason`);
    const r = shop.returns.get(input.id) ?? shop.addReturn(input.id);
    if (r.status !== "REQUESTED") {
      return { returnDeclineRequest: { return: null, userErrors: [{ code: "INVALID_STATE", field: ["id"], message: "Return has already been declined." }] } };
    }
    r.status = "DECLINED";
    return { returnDeclineRequest: { return: { id: input.id, status: "DECLINED" }, userErrors: [] } };
  },
  NearhubReturnCreate: (shop, { variables }, fail) => {
    const input = variables.returnInput as { orderId: string; returnLineItems: { fulfillmentLineItemId: string; quantity: number; returnReason: string }[] };
    need(isGid("Order", input.orderId), fail, "returnInput.orderId must be an Order gid");
    need(input.returnLineItems.every((l) => isGid("FulfillmentLineItem", l.fulfillmentLineItemId) && l.quantity > 0), fail, "each return line needs a FulfillmentLineItem gid and a quantity");
    shop.created.push(input);
    const id = shop.id("Return");
    shop.addReturn(id, [], "OPEN");
    return { returnCreate: { return: { id, status: "OPEN", name: `#R${shop.created.length}`, order: { id: input.orderId } }, userErrors: [] } };
  },
  NearhubReturnReverseLines: (shop, { variables }) => {
    const r = shop.returns.get(variables.id);
    if (!r) return { return: null };
    return {
      return: {
        id: variables.id,
        reverseFulfillmentOrders: {
          nodes: [
            {
              id: "gid://shopify/ReverseFulfillmentOrder/1",
              lineItems: { nodes: r.reverseLines.map((l) => ({ id: l.id, totalQuantity: l.totalQuantity, fulfillmentLineItem: { lineItem: { id: l.lineItemId, sku: l.sku } } })) },
            },
          ],
        },
      },
    };
  },
  NearhubReverseDispose: (shop, { variables }, fail) => {
    const inputs = variables.dispositionInputs as FakeReturn["dispositions"];
    for (const i of inputs) {
      need(["RESTOCKED", "NOT_RESTOCKED", "PROCESSING_REQUIRED", "MISSING"].includes(i.dispositionType), fail, `dispositionType ${i.dispositionType} is not a ReverseFulfillmentOrderDispositionType`);
      need(i.dispositionType !== "RESTOCKED" || isGid("Location", i.locationId), fail, "RESTOCKED needs a Location gid");
    }
    const lines = inputs.map((i) => {
      const ret = [...shop.returns.values()].find((r) => r.reverseLines.some((l) => l.id === i.reverseFulfillmentOrderLineItemId));
      ret?.dispositions.push(i);
      return { id: i.reverseFulfillmentOrderLineItemId, dispositions: [{ type: i.dispositionType, quantity: i.quantity, location: i.locationId ? { id: i.locationId } : null }] };
    });
    return { reverseFulfillmentOrderDispose: { reverseFulfillmentOrderLineItems: lines, userErrors: [] } };
  },

  // ---- the location rule's configuration ----
  NearhubShopId: (shop) => ({ shop: { id: shop.shopGid } }),
  NearhubLocationRuleConfig: (shop, { variables }, fail) => {
    const metafields = variables.metafields as FakeShop["metafields"];
    need(metafields.length > 0 && metafields.length <= 25, fail, "metafieldsSet takes 1 to 25 metafields");
    const set = metafields.map((m) => {
      need(m.ownerId === shop.shopGid, fail, "ownerId must be the shop's gid");
      need(m.type === "json", fail, "type json expected");
      JSON.parse(m.value);
      shop.metafields = shop.metafields.filter((x) => !(x.ownerId === m.ownerId && x.namespace === m.namespace && x.key === m.key));
      shop.metafields.push(m);
      return { id: shop.id("Metafield"), namespace: m.namespace, key: m.key };
    });
    return { metafieldsSet: { metafields: set, userErrors: [] } };
  },

  // ---- the order history (bulk operation, its status, the reconciliation) ----
  NearhubOrdersBulkRun: (shop, { variables }, fail) => {
    const q = String(variables.query ?? "");
    for (const field of ["orders(", "created_at:>=", "lineItems", "sku", "quantity", "originalUnitPriceSet", "shippingAddress", "zip", "countryCodeV2", "latitude", "longitude", "shippingLines", "code", "title", "createdAt", "cancelledAt", "updatedAt", "fulfillments", "location", "deliveredAt", "discountCodes", "customerJourneySummary", "lastVisit", "landingPage", "utmParameters"]) {
      need(q.includes(field), fail, `the bulk query must ask for ${field}`);
    }
    need(!/\b(email|phone|firstName|lastName|address1|address2)\b/.test(q), fail, "the bulk query asks for personal data Nearhub does not store");
    try {
      parse(q);
    } catch (error) {
      fail(`the bulk query does not parse: ${(error as Error).message}`);
    }
    const running = shop.bulkOperations.find((b) => b.status === "CREATED" || b.status === "RUNNING");
    if (running) {
      return { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: ["query"], message: "A bulk query operation for this app and shop is already in progress: " + running.id + ".", code: "OPERATION_IN_PROGRESS" }] } };
    }
    const op: FakeBulkOperation = { id: shop.id("BulkOperation"), query: q, status: "CREATED", errorCode: null, objectCount: 0, url: null, createdAt: new Date().toISOString(), completedAt: null, lines: [], breakAfter: [] };
    shop.bulkOperations.push(op);
    return { bulkOperationRunQuery: { bulkOperation: { id: op.id, status: op.status }, userErrors: [] } };
  },
  NearhubOrdersBulkStatus: (shop, { variables }, fail) => {
    need(isGid("BulkOperation", variables.id), fail, "id must be a BulkOperation gid");
    const op = shop.bulkOperations.find((b) => b.id === variables.id);
    if (!op) return { node: null };
    // UnsignedInt64 fields come as strings.
    return { node: { id: op.id, status: op.status, errorCode: op.errorCode, objectCount: String(op.objectCount), url: op.url, partialDataUrl: null, createdAt: op.createdAt, completedAt: op.completedAt } };
  },
  NearhubOrdersReconcile: (shop, { variables }, fail) => {
    const m = /^updated_at:>='([^']+)'$/.exec(String(variables.query ?? ""));
    need(m, fail, "query must be updated_at:>='<ISO time>'");
    const since = new Date(m![1]).getTime();
    const all = shop.orderHistory.filter((o) => new Date(o.updatedAt).getTime() >= since).sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
    const i = variables.after ? Number(String(variables.after).replace("orders-", "")) : 0;
    // A connection gives at most `first` lines (100 here), and says whether there are more.
    const page = all.slice(i, i + 8).map((o) => {
      const lines = ((o.lineItems as { nodes?: Json[] } | undefined)?.nodes ?? []) as Json[];
      return { ...o, lineItems: { pageInfo: { hasNextPage: lines.length > 100, endCursor: lines.length > 100 ? "lines-100" : null }, nodes: lines.slice(0, 100) } };
    });
    return { orders: { pageInfo: { hasNextPage: i + 8 < all.length, endCursor: `orders-${i + 8}` }, nodes: page } };
  },
  NearhubOrderLines: (shop, { variables }, fail) => {
    need(isGid("Order", variables.id), fail, "id must be an Order gid");
    const order = shop.orderHistory.find((o) => o.id === variables.id);
    if (!order) return { order: null };
    const lines = ((order.lineItems as { nodes?: Json[] } | undefined)?.nodes ?? []) as Json[];
    const from = variables.after ? Number(String(variables.after).replace("lines-", "")) : 0;
    const to = from + 250;
    return { order: { lineItems: { pageInfo: { hasNextPage: to < lines.length, endCursor: `lines-${to}` }, nodes: lines.slice(from, to) } } };
  },

  // ---- marketing activities (campaigns) ----
  NearhubMarketingActivityUpsert: (shop, { query, variables }, fail) => {
    need(query.includes("marketingActivityUpsertExternal(input: $input)"), fail, "marketingActivityUpsertExternal(input:) expected");
    need(query.includes("userErrors { field message code }"), fail, "the mutation must ask for userErrors with their code");
    const input = variables.input as Json;
    need(input && typeof input === "object", fail, "input (MarketingActivityUpsertExternalInput!) is required");
    need(typeof input.remoteId === "string" && input.remoteId.length > 0, fail, "input.remoteId (String!) is required");
    need(typeof input.remoteUrl === "string" && /^https?:\/\/[^/]+/.test(input.remoteUrl), fail, "input.remoteUrl (URL!) must be an absolute URL");
    need(typeof input.title === "string" && input.title.length > 0, fail, "input.title (String!) is required");
    need(MARKETING.tactics.includes(input.tactic), fail, `input.tactic ${input.tactic} is not a MarketingTactic`);
    need(MARKETING.channels.includes(input.marketingChannelType), fail, `input.marketingChannelType ${input.marketingChannelType} is not a MarketingChannel`);
    need(input.status === undefined || MARKETING.statuses.includes(input.status), fail, `input.status ${input.status} is not a MarketingActivityExternalStatus`);
    need(input.hierarchyLevel === undefined || MARKETING.hierarchyLevels.includes(input.hierarchyLevel), fail, `input.hierarchyLevel ${input.hierarchyLevel} is not a MarketingActivityHierarchyLevel`);
    if (input.budget !== undefined) {
      need(MARKETING.budgetTypes.includes(input.budget?.budgetType), fail, "input.budget.budgetType must be DAILY or LIFETIME");
      need(isMoneyInput(input.budget?.total), fail, "input.budget.total must be a MoneyInput { amount: Decimal, currencyCode }");
    }
    need(input.adSpend === undefined || isMoneyInput(input.adSpend), fail, "input.adSpend must be a MoneyInput");
    need(input.start === undefined || !Number.isNaN(Date.parse(input.start)), fail, "input.start must be a DateTime");
    const utm = input.utm as Json | undefined;
    need(utm === undefined || ["campaign", "source", "medium"].every((k) => typeof utm[k] === "string" && utm[k].length > 0), fail, "input.utm (UTMInput) needs campaign, source and medium");
    const refuse = (field: string[], message: string, code: string) => ({ marketingActivityUpsertExternal: { marketingActivity: null, userErrors: [{ field, message, code }] } });
    // The fake's sentences; the codes are MarketingActivityUserErrorCode's.
    if (utm && input.urlParameterValue) return refuse(["input"], "Either the URL parameter value or UTM can be set, but not both.", "INVALID");
    if (!utm && !input.urlParameterValue && input.tactic !== "STOREFRONT_APP") return refuse(["input", "utm"], "UTM is required for this marketing tactic.", "INVALID");
    if (input.parentRemoteId !== undefined && !shop.marketingActivities.has(input.parentRemoteId)) return refuse(["input", "parentRemoteId"], "The parent marketing activity does not exist.", "MARKETING_ACTIVITY_DOES_NOT_EXIST");
    const existing = shop.marketingActivities.get(input.remoteId);
    if (existing) {
      const before = existing.input.utm as Json | undefined;
      if (before && JSON.stringify(before) !== JSON.stringify(utm)) return refuse(["input", "utm"], "The UTM parameters of a marketing activity cannot be changed.", "IMMUTABLE_UTM_PARAMETERS");
      if (existing.input.hierarchyLevel !== input.hierarchyLevel) return refuse(["input", "hierarchyLevel"], "The hierarchy level cannot be changed.", "IMMUTABLE_HIERARCHY_LEVEL");
      existing.input = structuredClone(input); // absent optional fields are removed
      return { marketingActivityUpsertExternal: { marketingActivity: { id: existing.id }, userErrors: [] } };
    }
    const activity: FakeMarketingActivity = { id: shop.id("MarketingActivity"), input: structuredClone(input), engagements: [] };
    shop.marketingActivities.set(input.remoteId, activity);
    return { marketingActivityUpsertExternal: { marketingActivity: { id: activity.id }, userErrors: [] } };
  },
  NearhubMarketingEngagementCreate: (shop, { query, variables }, fail) => {
    need(/marketingEngagementCreate\([^)]*marketingEngagement: \$marketingEngagement/.test(query), fail, "marketingEngagementCreate(marketingEngagement:, …) expected");
    need(query.includes("userErrors { field message code }"), fail, "the mutation must ask for userErrors with their code");
    const targets = ["marketingActivityId", "remoteId", "channelHandle"].filter((k) => variables[k] != null);
    need(targets.length === 1, fail, "exactly one of marketingActivityId, remoteId or channelHandle must be set");
    const e = variables.marketingEngagement as Json;
    need(e && typeof e === "object", fail, "marketingEngagement (MarketingEngagementInput!) is required");
    need(typeof e.occurredOn === "string" && /^\d{4}-\d{2}-\d{2}$/.test(e.occurredOn), fail, "marketingEngagement.occurredOn must be a Date (YYYY-MM-DD)");
    need(typeof e.utcOffset === "string" && /^[+-]\d{2}:\d{2}$/.test(e.utcOffset), fail, "marketingEngagement.utcOffset must be a UtcOffset such as -05:00");
    need(typeof e.isCumulative === "boolean", fail, "marketingEngagement.isCumulative (Boolean!) is required");
    for (const k of ["adSpend", "sales"]) need(e[k] === undefined || isMoneyInput(e[k]), fail, `marketingEngagement.${k} must be a MoneyInput`);
    for (const k of ["impressionsCount", "clicksCount", "sessionsCount", "viewsCount"]) need(e[k] === undefined || (Number.isInteger(e[k]) && e[k] >= 0), fail, `marketingEngagement.${k} must be a whole number`);
    for (const k of ["orders", "firstTimeCustomers", "returningCustomers"]) need(e[k] === undefined || (typeof e[k] === "string" && /^\d+(\.\d+)?$/.test(e[k])), fail, `marketingEngagement.${k} must be a Decimal`);
    const activity = variables.remoteId != null ? shop.marketingActivities.get(variables.remoteId) : [...shop.marketingActivities.values()].find((a) => a.id === variables.marketingActivityId);
    if (!activity) {
      return { marketingEngagementCreate: { marketingEngagement: null, userErrors: [{ field: ["remoteId"], message: "Marketing activity does not exist.", code: "MARKETING_ACTIVITY_DOES_NOT_EXIST" }] } };
    }
    activity.engagements.push(structuredClone(e));
    return { marketingEngagementCreate: { marketingEngagement: { occurredOn: e.occurredOn }, userErrors: [] } };
  },

  // ---- the catalogue ----
  NearhubCatalog: (shop, { variables }) => {
    const after = (variables.after as string | null) ?? null;
    const i = after === null ? 0 : Number(after.replace("cursor-", ""));
    const pages = shop.variantPages.length ? shop.variantPages : [[]];
    return { productVariants: { pageInfo: { hasNextPage: i + 1 < pages.length, endCursor: `cursor-${i + 1}` }, nodes: pages[i] ?? [] } };
  },
};

/** The payload field of a mutation whose userErrors a script sets. */
const PAYLOAD_FIELD: Record<string, string> = {
  NearhubFulfillmentOrderMove: "fulfillmentOrderMove",
  NearhubFulfillmentEventCreate: "fulfillmentEventCreate",
  NearhubCarrierServiceCreate: "carrierServiceCreate",
  NearhubCarrierServiceUpdate: "carrierServiceUpdate",
  NearhubReturnApprove: "returnApproveRequest",
  NearhubReturnDecline: "returnDeclineRequest",
  NearhubReturnCreate: "returnCreate",
  NearhubReverseDispose: "reverseFulfillmentOrderDispose",
  NearhubLocationRuleConfig: "metafieldsSet",
  NearhubOrdersBulkRun: "bulkOperationRunQuery",
  NearhubMarketingActivityUpsert: "marketingActivityUpsertExternal",
  NearhubMarketingEngagementCreate: "marketingEngagementCreate",
};

/** Null for every field of a mutation payload but userErrors, as Shopify answers a refusal. */
const REFUSED_PAYLOAD: Record<string, Json> = {
  fulfillmentOrderMove: { movedFulfillmentOrder: null, originalFulfillmentOrder: null },
  fulfillmentEventCreate: { fulfillmentEvent: null },
  carrierServiceCreate: { carrierService: null },
  carrierServiceUpdate: { carrierService: null },
  returnApproveRequest: { return: null },
  returnDeclineRequest: { return: null },
  returnCreate: { return: null },
  reverseFulfillmentOrderDispose: { reverseFulfillmentOrderLineItems: null },
  metafieldsSet: { metafields: null },
  bulkOperationRunQuery: { bulkOperation: null },
  marketingActivityUpsertExternal: { marketingActivity: null },
  marketingEngagementCreate: { marketingEngagement: null },
};

function operationOf(query: string): string {
  const doc = parse(query); // a document Shopify could not parse fails the test here
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op?.name?.value ?? "anonymous";
}

export class FakeAdminApi {
  readonly calls: AdminCall[] = [];
  /** Problems with what Nearhub sent (a wrong variable, a missing field): a test fails on them in `afterEach`. */
  readonly problems: string[] = [];
  accessToken = ACCESS_TOKEN;
  /** The token the token exchange hands out (the install); null: the exchange is refused. */
  exchangedToken: string | null = null;
  private shops = new Map<string, FakeShop>();
  private waiting: { operation: string; resolve: (call: AdminCall) => void }[] = [];
  private scripts = new Map<string, Behaviour[]>();
  private readonly server = setupServer(
    http.post("https://:shop/admin/oauth/access_token", async ({ request, params }) => {
      const body = (await request.json()) as Json;
      this.record({ shop: String(params.shop), apiVersion: "", operation: "token-exchange", query: "", variables: body, accessToken: null });
      if (!this.exchangedToken) return HttpResponse.json({ error: "invalid_subject_token" }, { status: 400 });
      return HttpResponse.json({ access_token: this.exchangedToken, scope: "write_shipping,read_products,write_returns,write_merchant_managed_fulfillment_orders" });
    }),
    http.post("https://:shop/admin/api/:version/graphql.json", async ({ request, params }) => this.handle(request, String(params.shop), String(params.version))),
    http.get(`${BULK_FILES}/:file`, ({ params }) => this.bulkFile(String(params.file))),
  );

  constructor() {
    routeShopifyLibraryThroughFetch();
  }

  listen(): void {
    this.server.listen({
      onUnhandledRequest: (request, print) => {
        if (new URL(request.url).hostname.endsWith(".myshopify.com")) print.error();
      },
    });
  }

  close(): void {
    this.server.close();
  }

  /** Forgets the calls, the problems and what was scripted (between tests); `shops` too: every shop's state. */
  reset(opts: { shops?: boolean } = {}): void {
    if (opts.shops) this.shops.clear();
    this.scripts.clear();
    this.calls.length = 0;
    this.problems.length = 0;
  }

  shop(domain: string): FakeShop {
    let s = this.shops.get(domain);
    if (!s) this.shops.set(domain, (s = new FakeShop(domain)));
    return s;
  }

  /** What the next calls of `operation` do, in order; then the operation answers as usual. */
  next(operation: string, ...behaviours: Behaviour[]): void {
    this.scripts.set(operation, [...(this.scripts.get(operation) ?? []), ...behaviours]);
  }

  /**
   * Shopify finishes the shop's running bulk operation: COMPLETED with its file (the JSONL of
   * `orderHistory`), or FAILED with an error code. Returns the bulk_operations/finish webhook body.
   */
  finishBulk(domain: string, outcome: { status?: "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELED"; errorCode?: FakeBulkOperation["errorCode"]; breakAfter?: number[] } = {}) {
    const shop = this.shop(domain);
    const op = shop.bulkOperations.find((b) => b.status === "CREATED" || b.status === "RUNNING");
    if (!op) throw new Error(`fake Admin API: ${domain} runs no bulk operation`);
    op.status = outcome.status ?? "COMPLETED";
    op.completedAt = new Date().toISOString();
    if (op.status === "COMPLETED") {
      op.lines = shop.ordersJsonl();
      op.objectCount = op.lines.length;
      op.url = op.lines.length ? `${BULK_FILES}/${domain.split(".")[0]}-${op.id.split("/").pop()}.jsonl` : null;
      op.breakAfter = [...(outcome.breakAfter ?? [])];
    } else op.errorCode = outcome.errorCode ?? null;
    return { admin_graphql_api_id: op.id, completed_at: op.completedAt, created_at: op.createdAt, error_code: op.errorCode?.toLowerCase() ?? null, status: op.status.toLowerCase(), type: "query" };
  }

  /** The file of a bulk operation: whole, or broken off after some lines (the connection dropped). */
  private bulkFile(file: string): Response {
    const op = [...this.shops.values()].flatMap((s) => s.bulkOperations).find((b) => b.url?.endsWith(`/${file}`));
    this.record({ shop: "storage.googleapis.com", apiVersion: "", operation: "bulk-file", query: file, variables: {}, accessToken: null });
    if (!op) return new HttpResponse("<Error><Code>NoSuchKey</Code></Error>", { status: 404 });
    const breakAt = op.breakAfter.shift();
    const encoder = new TextEncoder();
    const lines = op.lines;
    let i = 0;
    // A line per read, so what was sent before the break is read before it.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (breakAt !== undefined && i >= breakAt) controller.error(new Error("connection reset by peer"));
        else if (i >= lines.length) controller.close();
        else controller.enqueue(encoder.encode(lines[i++] + "\n"));
      },
    });
    return new HttpResponse(body, { headers: { "Content-Type": "application/jsonl" } });
  }

  /** The operations called, in order (of one shop, or of all). */
  operations(shop?: string): string[] {
    return this.calls.filter((c) => !shop || c.shop === shop).map((c) => c.operation);
  }

  callsOf(operation: string): AdminCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  /** Resolves with the first call of `operation` (already made, or when it arrives): a signal, not a poll. */
  called(operation: string): Promise<AdminCall> {
    const made = this.calls.find((c) => c.operation === operation);
    return made ? Promise.resolve(made) : new Promise((resolve) => this.waiting.push({ operation, resolve }));
  }

  private record(call: AdminCall): void {
    this.calls.push(call);
    for (const w of this.waiting.filter((x) => x.operation === call.operation)) w.resolve(call);
    this.waiting = this.waiting.filter((x) => x.operation !== call.operation);
  }

  private async handle(request: Request, shopDomain: string, apiVersion: string): Promise<Response> {
    const body = (await request.json()) as { query: string; variables?: Json };
    const call: AdminCall = {
      shop: shopDomain,
      apiVersion,
      operation: operationOf(body.query),
      query: body.query,
      variables: body.variables ?? {},
      accessToken: request.headers.get("X-Shopify-Access-Token"),
    };
    this.record(call);
    if (apiVersion !== API_VERSION) return this.refuse(`API version ${apiVersion}, expected ${API_VERSION}`, 404);
    if (call.accessToken !== this.accessToken) {
      return HttpResponse.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, { status: 401 });
    }
    const behaviour = this.scripts.get(call.operation)?.shift();
    if (behaviour !== undefined) {
      const scripted = await this.scripted(behaviour, call);
      if (scripted) return scripted;
    }
    const operation = OPERATIONS[call.operation];
    if (!operation) return this.refuse(`unexpected operation ${call.operation}`);
    try {
      return answer(
        operation(this.shop(shopDomain), call, (message) => {
          throw new FakeProblem(`${call.operation}: ${message}`);
        }),
      );
    } catch (error) {
      if (error instanceof FakeProblem) return this.refuse(error.message);
      throw error;
    }
  }

  private async scripted(behaviour: Behaviour, call: AdminCall): Promise<Response | null> {
    if (typeof behaviour === "function") return (await behaviour(call)) ?? null;
    if (behaviour === "throttled") return throttledAnswer();
    if (behaviour === "network") return HttpResponse.error();
    if ("status" in behaviour) return new HttpResponse(behaviour.body ?? "", { status: behaviour.status });
    if ("errors" in behaviour) {
      return HttpResponse.json({ errors: behaviour.errors.map((e) => ({ message: e.message, ...(e.code ? { extensions: { code: e.code } } : {}) })), extensions: { cost: cost() } });
    }
    const field = PAYLOAD_FIELD[call.operation];
    if (!field) throw new Error(`fake Admin API: ${call.operation} is not a mutation with userErrors`);
    return answer({ [field]: { ...REFUSED_PAYLOAD[field], userErrors: behaviour.userErrors } });
  }

  /** A request Shopify would refuse: recorded as a problem (the test fails) and answered as Shopify answers a bad query. */
  private refuse(message: string, status = 200): Response {
    this.problems.push(message);
    return HttpResponse.json({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] }, { status });
  }
}

class FakeProblem extends Error {}

let routed = false;
/** Shopify's library calls the global fetch (which msw intercepts) instead of the one it captured at load. */
export function routeShopifyLibraryThroughFetch(): void {
  if (routed) return;
  routed = true;
  setAbstractFetchFunc((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
}

