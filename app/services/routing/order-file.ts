// Orders from a file, for `npm run route` (scripts/route.ts): a CSV shaped like Shopify's order
// export, or JSON in the open API's RoutingPlanRequest shape. Every problem is reported with its
// row and column (CSV) or field path (JSON); nothing half-parsed reaches the router.
//
// CSV (Shopify admin → Orders → Export, "Plain CSV file"): one row per line item; an order's
// later rows repeat its Name and may leave the shipping columns empty. Columns read (by header,
// any order, case-insensitive; others ignored):
//   Name                 the order (e.g. #1042); rows with the same Name are one order   required
//   Lineitem sku         the SKU                                                          required
//   Lineitem quantity    whole number ≥ 1                                                 required
//   Shipping Country     two-letter code (US)                                             required on an order's first row
//   Shipping Zip         postal code; a US ZIP is placed at its centroid                  optional
//   Shipping Latitude, Shipping Longitude   decimal degrees (not in Shopify's export)     optional
//   Lineitem price       unit price, decimal (38.00), in the row's Currency               optional
//   Currency             ISO 4217 code of the prices (Shopify's export has it); USD when absent   optional
//   Shipping Method / Service Code   the checkout option's code, used when it is NH:<node>:<SERVICE>   optional
//   Created at           ISO-like date-time (2025-06-10 10:55:12 -0400)                   optional
import { parseCsv } from "~/core/costing/rate-card-csv";
import { parseMoney } from "~/core/money/money";
import { issuePath } from "~/core/validation/issues";
import { routingPlanRequestSchema } from "../open-api/schemas";
import type { PlanOrderInput } from "./decide.server";
import { toPlanInputs } from "./plan-wire";

export interface OrderFileResult {
  orders: PlanOrderInput[];
  errors: string[];
}

const norm = (h: string) => h.trim().toLowerCase().replace(/\s+/g, " ");

const COLUMNS = {
  name: ["name"],
  sku: ["lineitem sku"],
  quantity: ["lineitem quantity"],
  country: ["shipping country"],
  zip: ["shipping zip"],
  latitude: ["shipping latitude"],
  longitude: ["shipping longitude"],
  price: ["lineitem price"],
  currency: ["currency"],
  service: ["service code", "shipping method"],
  createdAt: ["created at"],
} as const;

function parseDate(s: string): number | null {
  // "2025-06-10 10:55:12 -0400" (Shopify's export) or ISO 8601.
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}):?(\d{2})$/.exec(s.trim());
  const t = m ? Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`) : Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

export function parseOrdersCsv(text: string): OrderFileResult {
  const doc = parseCsv(text);
  const errors = doc.errors.map((e) => `line ${e.line}, column ${e.column}: ${e.message}`);
  const records = doc.records.filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (records.length === 0) return { orders: [], errors: [...errors, "the file is empty"] };
  const header = records[0].cells.map(norm);
  const col = {} as Record<keyof typeof COLUMNS, number>;
  for (const [key, names] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, readonly string[]][]) {
    col[key] = names.map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  }
  for (const key of ["name", "sku", "quantity", "country"] as const) {
    if (col[key] < 0) errors.push(`line ${records[0].line}: no "${COLUMNS[key][0].replace(/\b\w/g, (c) => c.toUpperCase())}" column (the header has: ${records[0].cells.join(", ")})`);
  }
  if (errors.length) return { orders: [], errors };

  const byName = new Map<string, PlanOrderInput>();
  const cell = (cells: string[], key: keyof typeof COLUMNS) => (col[key] >= 0 ? (cells[col[key]] ?? "").trim() : "");
  const where = (line: number, key: keyof typeof COLUMNS) => `line ${line}, column ${col[key] + 1} (${COLUMNS[key][0]})`;
  for (const r of records.slice(1)) {
    const name = cell(r.cells, "name");
    if (!name) {
      errors.push(`${where(r.line, "name")}: the order name is empty`);
      continue;
    }
    const sku = cell(r.cells, "sku");
    const qtyText = cell(r.cells, "quantity");
    const quantity = Number(qtyText);
    if (!sku) errors.push(`${where(r.line, "sku")}: the SKU is empty`);
    if (!/^\d+$/.test(qtyText) || quantity < 1) errors.push(`${where(r.line, "quantity")}: "${qtyText}" is not a whole number of at least 1`);
    let order = byName.get(name);
    if (!order) {
      const country = cell(r.cells, "country").toUpperCase();
      if (!/^[A-Z]{2}$/.test(country)) errors.push(`${where(r.line, "country")}: "${country}" is not a two-letter country code such as US`);
      const latText = cell(r.cells, "latitude");
      const lngText = cell(r.cells, "longitude");
      const latitude = latText ? Number(latText) : null;
      const longitude = lngText ? Number(lngText) : null;
      if (latitude !== null && !(Math.abs(latitude) <= 90)) errors.push(`${where(r.line, "latitude")}: "${latText}" is not a latitude`);
      if (longitude !== null && !(Math.abs(longitude) <= 180)) errors.push(`${where(r.line, "longitude")}: "${lngText}" is not a longitude`);
      const service = cell(r.cells, "service");
      const created = cell(r.cells, "createdAt");
      const placedAt = created ? parseDate(created) : null;
      if (created && placedAt === null) errors.push(`${where(r.line, "createdAt")}: "${created}" is not a date-time`);
      order = {
        id: name,
        lines: [],
        destination: { country, postalCode: cell(r.cells, "zip") || null, latitude, longitude },
        serviceCode: service.startsWith("NH:") ? service : null,
        ...(placedAt !== null ? { placedAt } : {}),
      };
      byName.set(name, order);
    }
    const priceText = cell(r.cells, "price");
    const price = priceText ? parseMoney(priceText, cell(r.cells, "currency").toUpperCase() || "USD") : undefined;
    if (price && !price.ok) errors.push(`${where(r.line, "price")}: ${price.message}`);
    if (sku && quantity >= 1) order.lines.push({ sku, quantity, ...(price?.ok ? { unitPriceMinor: price.minor } : {}) });
  }
  const orders = [...byName.values()];
  if (orders.length === 0 && errors.length === 0) errors.push("the file has a header but no order rows");
  return { orders: errors.length ? [] : orders, errors };
}

export function parseOrdersJson(text: string): OrderFileResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { orders: [], errors: [`not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = routingPlanRequestSchema.safeParse(Array.isArray(body) ? { orders: body } : body);
  if (!parsed.success) return { orders: [], errors: parsed.error.issues.map((i) => `${issuePath(i)}: ${i.message}`) };
  return { orders: toPlanInputs(parsed.data), errors: [] };
}

/** By the file's name (.json) or its first character ({ or [), else CSV. */
export function parseOrderFile(fileName: string, text: string): OrderFileResult {
  const json = fileName.toLowerCase().endsWith(".json") || /^\s*[[{]/.test(text);
  return json ? parseOrdersJson(text) : parseOrdersCsv(text);
}
