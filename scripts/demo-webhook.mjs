#!/usr/bin/env node
// `npm run demo:webhook -- orders/create`: sends a running demo (`npm run demo`) a webhook as Shopify
// sends one, signed with the demo's documented secret (SHOPIFY_API_SECRET, default
// nearhub-demo-secret) for the demo shop nearhub-demo.myshopify.com.
//
//   npm run demo:webhook -- orders/create                   a new order of the demo's products to Williamsburg, moved to Secaucus
//   npm run demo:webhook -- orders/create --body order.json any body, e.g. Shopify's reference payload
//
// PORT (default 3000) or --url says where the demo is. Prints Nearhub's answer; the routing job then
// decides the order against the demo's stand-in for the Admin API, and the decision is in the routing
// log (/app/routing) a moment later.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const bodyFile = option("--body");
const base = (option("--url") ?? `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/$/, "");
const topic = args[0];
if (!topic || (!bodyFile && topic !== "orders/create")) {
  console.error("usage: npm run demo:webhook -- orders/create [--body file.json] [--url http://127.0.0.1:3000]\n       npm run demo:webhook -- <topic> --body file.json");
  process.exit(2);
}

/** A new order in the shape of Shopify's orders/create payload (only the fields Nearhub reads, and a few more). */
function newOrder() {
  const id = 7_000_000_000_000 + (Date.now() % 1_000_000_000_000);
  const line = (k, sku, title, quantity, price) => ({
    id: id * 10 + k,
    admin_graphql_api_id: `gid://shopify/LineItem/${id * 10 + k}`,
    title,
    name: title,
    sku,
    quantity,
    price,
    requires_shipping: true,
    fulfillable_quantity: quantity,
    fulfillment_status: null,
  });
  const address = { first_name: "Demo", last_name: "Shopper", address1: "200 Bedford Ave", city: "Brooklyn", zip: "11211", province: "New York", province_code: "NY", country: "United States", country_code: "US", latitude: 40.7181, longitude: -73.9571 };
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#D${String(id).slice(-5)}`,
    created_at: new Date().toISOString(),
    cancelled_at: null,
    closed_at: null,
    currency: "USD",
    financial_status: "paid",
    fulfillment_status: null,
    total_price: "183.00",
    // Both in stock at the Williamsburg hub (where Shopify's default rule puts the order) and at the
    // Secaucus warehouse, whose standard service the shopper chose: Nearhub moves it there.
    line_items: [line(1, "KK-MUG-SPK-12", "Speckled mug 12 oz", 2, "24.00"), line(2, "LS-JKT-CHR-ECR-M", "Chore jacket, ecru, M", 1, "128.00")],
    shipping_address: address,
    billing_address: address,
    shipping_lines: [{ id: id * 10 + 9, code: "NH:nj-secaucus-dc:STANDARD", source: "Nearhub live rates", title: "Standard", price: "7.00" }],
  };
}

const raw = bodyFile ? readFileSync(bodyFile, "utf8") : JSON.stringify(newOrder());
const secret = process.env.SHOPIFY_API_SECRET || "nearhub-demo-secret";
const started = performance.now();
let res;
try {
  res = await fetch(`${base}/webhooks/${topic}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(raw).digest("base64"),
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": "nearhub-demo.myshopify.com",
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  });
} catch (error) {
  console.error(`No demo answers at ${base} (${error.cause?.code ?? error.message}): start it with \`npm run demo\`, or say where it is with PORT= or --url.`);
  process.exit(1);
}
const text = await res.text();
const order = (() => {
  try {
    const b = JSON.parse(raw);
    return b.admin_graphql_api_id ?? b.id;
  } catch {
    return null;
  }
})();
console.log(`${topic}${order ? ` (${order})` : ""}: ${res.status} ${res.statusText} in ${Math.round(performance.now() - started)} ms${text ? ` ${text}` : ""}`);
if (res.ok && topic === "orders/create") console.log(`The routing log shows its decision in a moment: ${base}/app/routing`);
process.exit(res.ok ? 0 : 1);
