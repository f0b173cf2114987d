// Preloaded into a server process (`node --import`) for HTTP tests of a connected app: requests to
// *.myshopify.com are answered here in the shapes Shopify documents (token exchange with expiring
// offline tokens, Admin GraphQL), and each is appended as one JSON line to NEARHUB_FAKE_SHOPIFY_LOG
// for the test to read. Any other URL goes to the real fetch. Shopify's library captures `fetch` when
// it loads, so this must run before the server build is imported.
import { appendFileSync } from "node:fs";

const realFetch = globalThis.fetch;
const { NEARHUB_FAKE_SHOPIFY_LOG: LOG, NEARHUB_FAKE_ACCESS_TOKEN: ACCESS, NEARHUB_FAKE_REFRESH_TOKEN: REFRESH } = process.env;

const record = (entry) => LOG && appendFileSync(LOG, `${JSON.stringify(entry)}\n`);

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
    return Response.json(answer(operation, body?.variables));
  }
  record({ kind: "unexpected", url: url.toString() });
  return Response.json({ errors: "not faked here" }, { status: 404 });
};
