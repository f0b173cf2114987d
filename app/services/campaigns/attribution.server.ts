// Which orders a campaign brought (issue 15, item 4), from the synced order history (the attribution
// columns orders/map.server.ts stores from customerJourneySummary, landing_site and the discount codes):
//
//   1. the last visit's utm_campaign is the campaign's (minted once at launch, unique per shop);
//   2. else the landing page carries utm_campaign=<the campaign's>;
//   3. else a discount code used is the campaign's (Campaign.discountCode).
//
// An order counts for a campaign placed from the first day it ran (the shop's date) to 30 days after
// its last (Shopify's attribution window for the journey summary); a cancelled order counts for none.
// attributeOrders sets Order.campaignId (and clears it when an order no longer matches), always within
// one shop: another shop's orders are never read or written. dayTotals sums a campaign's orders per
// day, with their landed cost (landedCosts: the routing decision's forward + expected return when the
// engine decided the order, else the engine's mean for the hub, else the hub's handling and pickup with
// the products' return rates).
import type { Prisma } from "@prisma/client";
import { DateTime } from "luxon";
import { db } from "~/db.server";
import { hubShipmentMean } from "./hub-context.server";

type Tx = Prisma.TransactionClient;

export type AttributionRule = "UTM" | "LANDING_PAGE" | "DISCOUNT_CODE";

/** Shopify's attribution window for an order's customer journey. */
export const ATTRIBUTION_WINDOW_DAYS = 30;

export interface CampaignMatchKey {
  id: string;
  utmCampaign: string;
  discountCode: string | null;
  /** UTC ms: the campaign's first day starts / the window after its last day ends. */
  fromMs: number;
  untilMs: number;
}

export interface OrderAttributionFields {
  placedAt: Date;
  cancelledAt: Date | null;
  utmCampaign: string | null;
  landingPage: string | null;
  /** Comma-separated, upper case (as stored). */
  discountCodes: string | null;
}

const norm = (v: string | null | undefined) => (v ?? "").trim().toLowerCase();

/** utm_campaign of a stored landing page (path and query), or null. */
export function landingUtmCampaign(landingPage: string | null): string | null {
  if (!landingPage) return null;
  try {
    return new URL(landingPage, "https://shop.invalid").searchParams.get("utm_campaign");
  } catch {
    return null;
  }
}

/** The campaign an order belongs to, and by which rule (see the header); null: none. Pure. */
export function matchCampaign(order: OrderAttributionFields, campaigns: readonly CampaignMatchKey[]): { campaignId: string; rule: AttributionRule } | null {
  if (order.cancelledAt) return null;
  const at = order.placedAt.getTime();
  // The latest-starting campaign first: of two that share a code, the one running now wins.
  const live = campaigns.filter((c) => at >= c.fromMs && at < c.untilMs).sort((a, b) => b.fromMs - a.fromMs || (a.id < b.id ? -1 : 1));
  if (live.length === 0) return null;
  const utm = norm(order.utmCampaign);
  if (utm) {
    const c = live.find((x) => norm(x.utmCampaign) === utm);
    if (c) return { campaignId: c.id, rule: "UTM" };
  }
  const landing = norm(landingUtmCampaign(order.landingPage));
  if (landing) {
    const c = live.find((x) => norm(x.utmCampaign) === landing);
    if (c) return { campaignId: c.id, rule: "LANDING_PAGE" };
  }
  const codes = new Set((order.discountCodes ?? "").split(",").map((s) => s.trim().toUpperCase()).filter(Boolean));
  if (codes.size) {
    const c = live.find((x) => x.discountCode && codes.has(x.discountCode.trim().toUpperCase()));
    if (c) return { campaignId: c.id, rule: "DISCOUNT_CODE" };
  }
  return null;
}

/** The shop's local date (YYYY-MM-DD) of an instant. */
export const localDay = (ms: number, timezone: string): string => DateTime.fromMillis(ms, { zone: timezone }).toISODate()!;
/** The UTC instant a local date starts at. */
export const dayStartMs = (day: string, timezone: string): number => DateTime.fromISO(day, { zone: timezone }).startOf("day").toMillis();
/** The local date `n` days after `day`. */
export const addDays = (day: string, n: number): string => DateTime.fromISO(day, { zone: "UTC" }).plus({ days: n }).toISODate()!;

interface CampaignRow {
  id: string;
  utmCampaign: string;
  discountCode: string | null;
  startsOn: string;
  endsOn: string;
}

export function matchKeyOf(c: CampaignRow, timezone: string): CampaignMatchKey {
  return { id: c.id, utmCampaign: c.utmCampaign, discountCode: c.discountCode, fromMs: dayStartMs(c.startsOn, timezone), untilMs: dayStartMs(addDays(c.endsOn, 1 + ATTRIBUTION_WINDOW_DAYS), timezone) };
}

export interface AttributionResult {
  /** Orders that belong to a campaign now. */
  matched: number;
  /** Orders whose campaignId this run set or cleared. */
  changed: number;
  byRule: Record<AttributionRule, number>;
}

/** Sets Order.campaignId for the shop's orders in its campaigns' windows (see the header). Idempotent. */
export async function attributeOrders(shopId: string, opts: { tx?: Tx } = {}): Promise<AttributionResult> {
  const client = opts.tx ?? db;
  const result: AttributionResult = { matched: 0, changed: 0, byRule: { UTM: 0, LANDING_PAGE: 0, DISCOUNT_CODE: 0 } };
  const shop = await client.shop.findUnique({ where: { id: shopId }, select: { timezone: true } });
  if (!shop) return result;
  const campaigns = await client.campaign.findMany({ where: { shopId, status: { not: "DRAFT" } }, select: { id: true, utmCampaign: true, discountCode: true, startsOn: true, endsOn: true } });
  const keys = campaigns.map((c) => matchKeyOf(c, shop.timezone));
  const from = keys.length ? Math.min(...keys.map((k) => k.fromMs)) : 0;
  const until = keys.length ? Math.max(...keys.map((k) => k.untilMs)) : 0;
  const orders = await client.order.findMany({
    where: {
      shopId,
      OR: [
        // Orders attributed before (kept, moved or cleared) …
        { campaignId: { not: null } },
        // … and the ones in some campaign's window that carry something to match.
        ...(keys.length
          ? [{ placedAt: { gte: new Date(from), lt: new Date(until) }, OR: [{ utmCampaign: { not: null } }, { landingPage: { contains: "utm_campaign=" } }, { discountCodes: { not: null } }] }]
          : []),
      ],
    },
    select: { id: true, placedAt: true, cancelledAt: true, utmCampaign: true, landingPage: true, discountCodes: true, campaignId: true },
  });
  const moves = new Map<string | null, string[]>();
  for (const o of orders) {
    const match = matchCampaign(o, keys);
    if (match) {
      result.matched++;
      result.byRule[match.rule]++;
    }
    const target = match?.campaignId ?? null;
    if (target === o.campaignId) continue;
    moves.set(target, [...(moves.get(target) ?? []), o.id]);
  }
  for (const [campaignId, ids] of moves) {
    for (let i = 0; i < ids.length; i += 500) {
      result.changed += (await client.order.updateMany({ where: { shopId, id: { in: ids.slice(i, i + 500) } }, data: { campaignId } })).count;
    }
  }
  return result;
}

export interface DayTotals {
  orders: number;
  revenueMinor: number;
  landedCostMinor: number;
}

interface CostedOrder {
  id: string;
  shopifyOrderId: string | null;
  currency: string;
  lines: { quantity: number; product: { returnRateBps: number } | null }[];
}

/**
 * Each order's landed cost (forward + expected return), minor units of its currency: the routing
 * decision's when the engine decided it; else the engine's mean landed cost of the hub's shipments in
 * that currency; else the hub's handling and pickup cost, plus the same again times the lines' return
 * rate (quantity-weighted) for the expected return.
 */
export async function landedCosts(client: Tx | typeof db, shopId: string, hubId: string, orders: readonly CostedOrder[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const gids = orders.map((o) => o.shopifyOrderId).filter((g): g is string => !!g);
  const decided = new Map<string, { landedMinor: number | null; currency: string }>();
  for (let i = 0; i < gids.length; i += 500) {
    const rows = await client.routingDecision.findMany({ where: { shopId, orderGid: { in: gids.slice(i, i + 500) }, landedMinor: { not: null } }, select: { orderGid: true, landedMinor: true, currency: true } });
    for (const r of rows) decided.set(r.orderGid, r);
  }
  const hubMeans = new Map<string, number | null>();
  const hubMean = async (currency: string) => {
    if (!hubMeans.has(currency)) {
      hubMeans.set(currency, (await hubShipmentMean(client, shopId, hubId, currency, null))?.minor ?? null);
    }
    return hubMeans.get(currency)!;
  };
  const hub = await client.node.findFirst({ where: { id: hubId, shopId }, select: { handlingCostMinor: true, pickupCostMinor: true } });
  for (const o of orders) {
    const d = o.shopifyOrderId ? decided.get(o.shopifyOrderId) : undefined;
    if (d && d.currency === o.currency && d.landedMinor != null) {
      out.set(o.id, d.landedMinor);
      continue;
    }
    const mean = await hubMean(o.currency);
    if (mean != null) {
      out.set(o.id, mean);
      continue;
    }
    const forward = (hub?.handlingCostMinor ?? 0) + (hub?.pickupCostMinor ?? 0);
    const units = o.lines.reduce((s, l) => s + l.quantity, 0);
    const rateBps = units ? o.lines.reduce((s, l) => s + l.quantity * (l.product?.returnRateBps ?? 0), 0) / units : 0;
    out.set(o.id, forward + Math.round((forward * rateBps) / 10_000));
  }
  return out;
}

/** A campaign's attributed orders per local day (orders in the campaign's currency), with their landed cost. */
export async function dayTotals(shopId: string, campaign: { id: string; nodeId: string; currency: string }, timezone: string, opts: { tx?: Tx } = {}): Promise<Map<string, DayTotals>> {
  const client = opts.tx ?? db;
  const orders = await client.order.findMany({
    where: { shopId, campaignId: campaign.id, cancelledAt: null, currency: campaign.currency },
    select: { id: true, shopifyOrderId: true, currency: true, placedAt: true, totalMinor: true, lines: { select: { quantity: true, product: { select: { returnRateBps: true } } } } },
  });
  const costs = await landedCosts(client, shopId, campaign.nodeId, orders);
  const days = new Map<string, DayTotals>();
  for (const o of orders) {
    const day = localDay(o.placedAt.getTime(), timezone);
    const t = days.get(day) ?? { orders: 0, revenueMinor: 0, landedCostMinor: 0 };
    t.orders++;
    t.revenueMinor += o.totalMinor;
    t.landedCostMinor += costs.get(o.id) ?? 0;
    days.set(day, t);
  }
  return days;
}
