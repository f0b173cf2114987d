// The order history import's state in the merchant's words, for the Insights page (with its button)
// and the Activity page (next to the catalogue's): where Shopify and Nearhub are, how many orders came
// in, and why it stopped, in words (Shopify's own message where it sent one; never a raw code).
import { formatDateTime } from "~/core/format/format";
import { db } from "~/db.server";
import { syncBusy, type OrderSyncStatus } from "./import.server";

export interface OrderSyncView {
  state: OrderSyncStatus | "never";
  busy: boolean;
  tone: "info" | "success" | "warning" | "critical" | undefined;
  label: string;
  sentence: string;
  /** 0–1 while the file is imported (records read of Shopify's count), else null. */
  progress: number | null;
  ordersImported: number;
  objectCount: number;
}

const n = (v: number) => v.toLocaleString("en-US");
const STALLED_MS = 60 * 60_000;

export async function orderSyncView(shop: { id: string; timezone: string }): Promise<OrderSyncView> {
  const s = await db.orderSync.findUnique({ where: { shopId: shop.id } });
  const when = (d: Date | null) => (d ? formatDateTime(d, { timeZone: shop.timezone }) : "");
  if (!s) {
    return { state: "never", busy: false, tone: undefined, label: "Not imported", sentence: "Your order history has not been read from Shopify yet.", progress: null, ordersImported: 0, objectCount: 0 };
  }
  // A sync whose jobs all gave up (dead letters, shown on the Activity page) stops moving: after an hour
  // without progress it is shown as stopped, and the button starts it again.
  const stalled = syncBusy(s.status) && Date.now() - s.updatedAt.getTime() > STALLED_MS;
  if (stalled) {
    return { state: "failed", busy: false, tone: "critical", label: "Stopped", sentence: "The import stopped making progress (see the Activity page for why). Start it again below.", progress: null, ordersImported: s.ordersImported, objectCount: s.objectCount };
  }
  const base = { busy: syncBusy(s.status), ordersImported: s.ordersImported, objectCount: s.objectCount, progress: null as number | null };
  const unknown = s.unknownSkus > 0 ? ` ${n(s.unknownSkus)} order lines are for products Nearhub does not know yet; they are kept and matched once the catalogue has them.` : "";
  switch (s.status as OrderSyncStatus) {
    case "queued":
      return { ...base, state: "queued", tone: "info", label: "Waiting to start", sentence: "Nearhub is about to ask Shopify for your orders of the last 12 months." };
    case "running":
      return {
        ...base,
        state: "running",
        tone: "info",
        label: "Shopify is gathering your orders",
        sentence: `Shopify is gathering your orders of the last 12 months${s.objectCount ? `: ${n(s.objectCount)} records so far` : ""}. This can take a few minutes for a large store; this page updates by itself.`,
      };
    case "importing":
      return {
        ...base,
        state: "importing",
        tone: "info",
        label: "Importing",
        progress: s.objectCount ? Math.min(1, s.linesRead / s.objectCount) : null,
        sentence: `Importing your orders: ${n(s.ordersImported)} so far${s.objectCount ? ` (${n(s.linesRead)} of ${n(s.objectCount)} records read)` : ""}.`,
      };
    case "completed":
      return { ...base, state: "completed", tone: "success", label: "Imported", sentence: `${n(s.ordersImported)} orders of the last 12 months imported ${when(s.finishedAt)}. New orders and changes come in as they happen.${unknown}` };
    default:
      return { ...base, state: "failed", tone: "critical", label: "Stopped", sentence: `The import stopped: ${s.error ?? "Shopify did not say why"}` };
  }
}
