// Preloaded into a server process (`node --import`) for HTTP tests of a connected app: requests to
// *.myshopify.com are answered here in the shapes Shopify documents (token exchange with expiring
// offline tokens, Admin GraphQL), and each is appended as one JSON line to NEARHUB_FAKE_SHOPIFY_LOG
// for the test to read. Any other URL goes to the real fetch. Shopify's library captures `fetch` when
// it loads, so this must run before the server build is imported.
//
// With NEARHUB_FAKE_SHOPIFY_ORDERS=1 it also answers routing's queries, statelessly (so several
// processes agree): order gid://shopify/Order/<5820000000 + n> has one open fulfillment order
// gid://shopify/FulfillmentOrder/<6540000000 + n> of one mug, at a location no node is linked to
// (gid://shopify/Location/1), whose shopper chose the Secaucus warehouse's standard service; every
// fulfillmentOrderMove succeeds and is logged with this process's pid. Orders listed in
// NEARHUB_FAKE_SHOPIFY_FAIL_ORDERS answer 500; moves of the fulfillment orders listed in
// NEARHUB_FAKE_SHOPIFY_HANG_MOVES never answer (logged as "hang"), as a process stuck mid-call.
import { appendFileSync, readFileSync } from "node:fs";

const realFetch = globalThis.fetch;
const { NEARHUB_FAKE_SHOPIFY_LOG: LOG, NEARHUB_FAKE_ACCESS_TOKEN: ACCESS, NEARHUB_FAKE_REFRESH_TOKEN: REFRESH } = process.env;

const record = (entry) => LOG && appendFileSync(LOG, `${JSON.stringify(entry)}\n`);
const listed = (name) => (process.env[name] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const ORDER_BASE = 5820000000;
const FO_BASE = 6540000000;
const ORDER_FIXTURE = new URL("../fixtures/shopify/fulfillment-orders/order-query-response.json", import.meta.url);

function fakeOrder(orderGid) {
  const n = Number(orderGid.split("/").pop()) - ORDER_BASE;
  const order = JSON.parse(readFileSync(ORDER_FIXTURE, "utf8")).data.order;
  order.id = orderGid;
  order.name = `#${1000 + n}`;
  order.createdAt = new Date().toISOString();
  order.shippingLines.nodes = [{ code: "NH:nj-secaucus-dc:STANDARD", source: "Nearhub live rates", title: "Standard" }];
  const fo = order.fulfillmentOrders.nodes[0];
  fo.id = `gid://shopify/FulfillmentOrder/${FO_BASE + n}`;
  fo.assignedLocation.location.id = "gid://shopify/Location/1";
  fo.lineItems.nodes[0].id = `gid://shopify/FulfillmentOrderLineItem/${1300000000 + n}`;
  fo.lineItems.nodes[0].lineItem = { id: `gid://shopify/LineItem/${1400000000 + n}`, sku: "KK-MUG-SPK-12", variant: null };
  return order;
}

/** Routing's operations (NEARHUB_FAKE_SHOPIFY_ORDERS=1): a Response, a never-settling promise, or undefined. */
function routingAnswer(operation, variables) {
  if (process.env.NEARHUB_FAKE_SHOPIFY_ORDERS !== "1") return undefined;
  const cost = { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } };
  if (operation === "NearhubRoutingOrder") {
    if (listed("NEARHUB_FAKE_SHOPIFY_FAIL_ORDERS").includes(variables.id)) return Response.json({ errors: "Internal Server Error" }, { status: 500 });
    return Response.json({ data: { order: fakeOrder(variables.id) }, extensions: { cost } });
  }
  if (operation === "NearhubRoutingFulfillmentOrder") {
    const n = Number(variables.id.split("/").pop()) - FO_BASE;
    return Response.json({ data: { fulfillmentOrder: { id: variables.id, status: "OPEN", order: { id: `gid://shopify/Order/${ORDER_BASE + n}` } } }, extensions: { cost } });
  }
  if (operation === "NearhubFulfillmentOrderMove") {
    if (listed("NEARHUB_FAKE_SHOPIFY_HANG_MOVES").includes(variables.id)) {
      record({ kind: "hang", pid: process.pid, operation, id: variables.id });
      return new Promise(() => {});
    }
    record({ kind: "moved", pid: process.pid, operation, id: variables.id, to: variables.newLocationId });
    const state = { id: variables.id, status: "OPEN", assignedLocation: { location: { id: variables.newLocationId } } };
    return Response.json({ data: { fulfillmentOrderMove: { movedFulfillmentOrder: state, originalFulfillmentOrder: state, userErrors: [] } }, extensions: { cost } });
  }
  return undefined;
}

const CARRIER_SERVICE = { id: "gid://shopify/DeliveryCarrierService/1", name: "Nearhub live rates", active: true };

/** Admin GraphQL answers by operation name; anything else answers empty data. */
function answer(operation, variables) {
  switch (operation) {
    case "NearhubCarrierServices":
      return { data: { carrierServices: { nodes: [] } } };
    case "NearhubCarrierServiceCreate":
    case "NearhubCarrierServiceUpdate": {
      const key = operation === "NearhubCarrierServiceCreate" ? "carrierServiceCreate" : "carrierServiceUpdate";
      return { data: { [key]: { carrierService: { ...CARRIER_SERVICE, callbackUrl: variables?.input?.callbackUrl }, userErrors: [] } } };
    }
    case "NearhubCatalog":
      return { data: { productVariants: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } };
    default:
      return { data: {} };
  }
}

globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (!url.hostname.endsWith(".myshopify.com")) return realFetch(input, init);
  const body = request.method === "POST" ? JSON.parse(await request.text()) : null;
  if (url.pathname === "/admin/oauth/access_token") {
    record({ kind: "token-exchange", shop: url.hostname, grantType: body.grant_type, expiring: body.expiring });
    return Response.json({
      access_token: ACCESS,
      scope: process.env.SCOPES,
      expires_in: 86_400,
      refresh_token: REFRESH,
      refresh_token_expires_in: 7_776_000,
    });
  }
  if (/^\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) {
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body?.query ?? "")?.[1] ?? null;
    record({ kind: "graphql", shop: url.hostname, operation, accessToken: request.headers.get("x-shopify-access-token") });
    const routed = routingAnswer(operation, body?.variables ?? {});
    if (routed !== undefined) return routed;
    return Response.json(answer(operation, body?.variables));
  }
  record({ kind: "unexpected", url: url.toString() });
  return Response.json({ errors: "not faked here" }, { status: 404 });
};
