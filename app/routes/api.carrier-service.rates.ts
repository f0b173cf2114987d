// POST /api/carrier-service/rates: Shopify's CarrierService callback (live rates at checkout).
// Everything it does is in app/services/carrier-rates.server.ts; this reads the raw body (the
// signature covers its exact bytes) and the three headers Shopify sends. The production server
// (server.mjs) answers this path before Express with handleCarrierRatesNode, the same answer
// without the Request/Response adapters; this route serves `remix vite:dev` and the tests.
import type { ActionFunctionArgs } from "@remix-run/node";
import { answerRateRequest, MAX_RATE_REQUEST_BYTES, tooLargeAnswer } from "~/services/carrier-rates.server";

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return Response.json({ error: "use POST" }, { status: 405, headers: { Allow: "POST" } });
  }
  // Read as bytes, not text: the signature is over the bytes Shopify sent.
  const declared = Number(request.headers.get("content-length"));
  const raw = declared > MAX_RATE_REQUEST_BYTES ? null : Buffer.from(await request.arrayBuffer());
  const answer =
    raw === null || raw.length > MAX_RATE_REQUEST_BYTES
      ? tooLargeAnswer()
      : await answerRateRequest({
          rawBody: raw,
          hmac: request.headers.get("x-shopify-hmac-sha256"),
          shopDomain: request.headers.get("x-shopify-shop-domain"),
          timeout: request.headers.get("x-shopify-timeout"),
        });
  return new Response(answer.body, {
    status: answer.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
