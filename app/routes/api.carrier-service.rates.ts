// POST /api/carrier-service/rates: Shopify's CarrierService callback (live rates at checkout).
// Everything it does is in app/services/carrier-rates.server.ts; this reads the raw body (the
// signature covers its exact bytes) and the three headers Shopify sends.
import type { ActionFunctionArgs } from "@remix-run/node";
import { answerRateRequest } from "~/services/carrier-rates.server";

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return Response.json({ error: "use POST" }, { status: 405, headers: { Allow: "POST" } });
  }
  const answer = await answerRateRequest({
    rawBody: await request.text(),
    hmac: request.headers.get("x-shopify-hmac-sha256"),
    shopDomain: request.headers.get("x-shopify-shop-domain"),
    timeout: request.headers.get("x-shopify-timeout"),
  });
  return new Response(answer.body, {
    status: answer.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
