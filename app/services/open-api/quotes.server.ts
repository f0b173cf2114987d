// POST /api/v1/quotes: the same quote as checkout (quoteForShop), in the open API's wire format:
// every option with its full cost breakdown and pricing steps, every node or service left out
// with the reasons, and the backup rates when live quoting could not answer.
import type { Shop } from "@prisma/client";
import { backupOffers } from "~/core/quoting";
import { quoteForShop, type ShopQuote } from "~/services/quotes.server";
import { issueSummary } from "~/core/validation/issues";
import { quoteRequestSchema, type ApiQuote, type ApiQuoteRequest } from "./schemas";
import { apiError } from "./v1.server";

/** The request body, parsed; throws a 400 Response naming the field. */
export async function parseQuoteRequest(request: Request): Promise<ApiQuoteRequest> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw apiError(400, "body: not valid JSON");
  }
  const parsed = quoteRequestSchema.safeParse(body);
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  return parsed.data;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toApiQuote(q: ShopQuote): ApiQuote {
  const currency = q.result.currency;
  const money = (amountMinor: number) => ({ amountMinor, currency });
  return {
    quotedAt: iso(q.result.quotedAt),
    currency,
    destination: {
      country: q.destination.country,
      postalCode: q.destination.postalCode ?? null,
      latitude: q.destination.latitude ?? null,
      longitude: q.destination.longitude ?? null,
      placed: q.placed,
    },
    fallbackUsed: q.fallbackUsed,
    fallbackReason: q.fallbackReason,
    options: q.result.options.map((o) => ({
      serviceCode: o.serviceCode,
      service: o.service,
      node: { id: o.nodeId, handle: o.nodeHandle, name: o.nodeName },
      price: money(o.priceMinor),
      description: o.description,
      window: { earliest: iso(o.window.earliestMs), latest: iso(o.window.latestMs), timezone: o.window.timezone },
      reasons: o.reasons,
      cost: {
        components: o.cost.components.map((c) => ({ code: c.code, label: c.label, amount: money(c.amountMinor), detail: c.detail })),
        forward: money(o.cost.forwardMinor),
        expectedReturns: money(o.cost.expectedReverseMinor),
        total: money(o.cost.totalMinor),
        leadTimeMinutes: o.cost.leadTimeMinutes,
        transit: {
          mode: o.cost.transit.mode,
          minutes: o.cost.transit.minutes,
          days: o.cost.transit.days,
          distanceM: o.cost.transit.distanceM,
          provider: o.cost.transit.provider,
          zone: o.cost.transit.zone,
        },
        reasons: o.cost.reasons,
      },
      pricing: o.pricing.map((p) => ({ code: p.code, label: p.label, before: money(p.beforeMinor), after: money(p.afterMinor), detail: p.detail })),
      parcels: (o.shipments ?? [{ ...o, lines: [] as { sku: string; quantity: number }[] }]).map((p) => ({
        node: { id: p.nodeId, handle: p.nodeHandle, name: p.nodeName },
        service: p.service,
        lines: p.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        price: money(p.priceMinor),
        cost: money(p.cost.totalMinor),
        description: p.description,
        window: { earliest: iso(p.window.earliestMs), latest: iso(p.window.latestMs), timezone: p.window.timezone },
      })),
    })),
    excluded: q.result.excluded.map((e) => ({ nodeId: e.nodeId, nodeHandle: e.nodeHandle, service: e.service, reasons: e.reasons })),
    backupRates: q.fallbackUsed
      ? backupOffers(q, q.result.quotedAt).map((b) => ({
          serviceName: b.serviceName,
          serviceCode: b.serviceCode,
          description: b.description,
          price: money(b.priceMinor),
          window: { earliest: iso(b.earliestMs), latest: iso(b.latestMs), timezone: b.timezone },
        }))
      : [],
    unknownSkus: q.unknownLines,
    reasons: q.result.reasons,
  };
}

export async function quoteForApi(shop: Shop, body: ApiQuoteRequest, now?: Date): Promise<ApiQuote> {
  const quote = await quoteForShop(
    { id: shop.id, currency: shop.currency },
    {
      lines: body.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, grams: l.grams })),
      destination: body.destination,
    },
    { source: "OPEN_API", now },
  );
  return toApiQuote(quote);
}
