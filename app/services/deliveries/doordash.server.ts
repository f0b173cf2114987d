// DoorDash Drive's delivery status callbacks (POST /api/couriers/doordash), for fulfillments a
// DoorDash Dasher carries (Fulfillment.courierProvider DOORDASH_DRIVE, courierDeliveryId = DoorDash's
// external_delivery_id, set by attachCourierDelivery when the delivery is dispatched).
//
// As DoorDash documents them (developer.doordash.com, Drive "Webhooks for deliveries"): DoorDash
// signs nothing; the endpoint is protected by the authentication configured with it in the
// developer portal (Basic auth or a token), which DoorDash sends as the Authorization header of
// every webhook. So the header must equal DOORDASH_WEBHOOK_AUTHORIZATION (compared in constant time;
// 401 otherwise, and when none is configured). The body is the delivery as it is at that moment:
// { event_name: "DASHER_PICKED_UP" | "DASHER_DROPPED_OFF" | …, external_delivery_id, created_at,
// pickup_time_actual, dropoff_time_actual, delivery_status, … } ("Fields that are empty or
// unavailable are omitted", times ISO-8601 UTC). DoorDash sends each event up to 3 times until it
// gets a 200, so every delivery is answered 200 once it is authenticated and well-formed (an event
// that says nothing about the parcel, or a delivery Nearhub does not know, too): recorded once
// (the idempotency key is the delivery, the event and its time), then posted to Shopify.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { DOORDASH_EVENT_STATUS } from "~/core/deliveries";
import { issueSummary } from "~/core/validation/issues";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { DOORDASH_DRIVE } from "../couriers/doordash-drive.server";
import { logger } from "../logger.server";
import type { AdminFor } from "../shopify-admin.server";
import { brokenUnicodeAt } from "../webhooks.server";
import { recordDeliveryEvent } from "./record.server";
import { postDeliveryEvent } from "./shopify.server";

/** A callback body is one delivery object; anything this large is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

const time = z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time" }).transform((s) => new Date(s));

export const doorDashWebhookSchema = z
  .object({
    // DoorDash's docs name it event_name; some of its published schemas event_type.
    event_name: z.string().regex(/^[A-Z_]{1,80}$/, "must be a DoorDash event name such as DASHER_DROPPED_OFF").optional(),
    event_type: z.string().regex(/^[A-Z_]{1,80}$/, "must be a DoorDash event name such as DASHER_DROPPED_OFF").optional(),
    external_delivery_id: z.string().min(1).max(255),
    created_at: time.optional(),
    pickup_time_actual: time.optional(),
    dropoff_time_actual: time.optional(),
    delivery_status: z.string().max(80).optional(),
  })
  .passthrough()
  .refine((p) => p.event_name !== undefined || p.event_type !== undefined, { message: "is required", path: ["event_name"] });

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** Whether the Authorization header is the configured one (constant time over digests of both). */
export function doorDashAuthorized(header: string | null, expected: string | null): boolean {
  if (!expected || !header) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(header.trim()), digest(expected.trim()));
}

export interface DoorDashOptions {
  adminFor?: AdminFor;
  now?: () => number;
}

export type DoorDashOutcome = "recorded" | "duplicate" | "ignored" | "unknown-delivery";

export async function handleDoorDashWebhook(request: Request, opts: DoorDashOptions = {}): Promise<Response> {
  if (request.method !== "POST") return json({ error: "POST only" }, 405);
  if (!doorDashAuthorized(request.headers.get("Authorization"), env().doordashWebhookAuthorization)) {
    logger.warn({ courier: DOORDASH_DRIVE }, "DoorDash webhook refused: Authorization is not the configured one");
    return json({ error: "Authorization: not the credentials configured for DoorDash webhooks" }, 401);
  }
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_BODY_BYTES) return json({ error: `body: larger than ${MAX_BODY_BYTES} bytes` }, 413);
  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) return json({ error: `body: larger than ${MAX_BODY_BYTES} bytes` }, 413);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return json({ error: "body: not valid JSON" }, 400);
  }
  const broken = brokenUnicodeAt(body);
  if (broken) return json({ error: `${broken}: not well-formed Unicode (a lone surrogate or NUL)` }, 400);
  const parsed = doorDashWebhookSchema.safeParse(body);
  if (!parsed.success) return json({ error: issueSummary(parsed.error) }, 400);
  const p = parsed.data;
  const eventName = (p.event_name ?? p.event_type)!;
  const mapped = DOORDASH_EVENT_STATUS[eventName];
  if (!mapped) return json({ outcome: "ignored" satisfies DoorDashOutcome, event: eventName });

  const fulfillment = await db.fulfillment.findUnique({
    where: { courierProvider_courierDeliveryId: { courierProvider: DOORDASH_DRIVE, courierDeliveryId: p.external_delivery_id } },
    select: { id: true, shopId: true },
  });
  if (!fulfillment) {
    logger.warn({ courier: DOORDASH_DRIVE, delivery: p.external_delivery_id, event: eventName }, "DoorDash webhook for a delivery Nearhub does not know: nothing done");
    return json({ outcome: "unknown-delivery" satisfies DoorDashOutcome });
  }
  const now = opts.now?.() ?? Date.now();
  const happenedAt =
    (mapped.status === "DELIVERED" ? p.dropoff_time_actual : mapped.status === "OUT_FOR_DELIVERY" ? p.pickup_time_actual : undefined) ?? p.created_at ?? new Date(now);
  let recorded: Awaited<ReturnType<typeof recordDeliveryEvent>>;
  try {
    recorded = await db.$transaction((tx) =>
      recordDeliveryEvent(tx, fulfillment.shopId, {
        fulfillmentId: fulfillment.id,
        status: mapped.status,
        happenedAt,
        source: "DOORDASH",
        idempotencyKey: `doordash:${p.external_delivery_id}:${eventName}:${p.created_at?.toISOString() ?? ""}`,
        post: mapped.post,
        now: new Date(now),
      }),
    );
  } catch (error) {
    // A retry of the same event racing this one recorded it first.
    if ((error as { code?: string }).code === "P2002") return json({ outcome: "duplicate" satisfies DoorDashOutcome });
    throw error;
  }
  if (recorded.toPost) {
    // Inline, with a short budget: what does not go now (throttled, Shopify unreachable) the sweep posts.
    await postDeliveryEvent(fulfillment.shopId, recorded.id, { adminFor: opts.adminFor, now, call: { maxAttempts: 2, maxWaitMs: 2_000 } }).catch((error: unknown) =>
      logger.error({ deliveryEvent: recorded.id, err: (error as Error).message }, "DoorDash webhook: posting the event failed; the sweep retries it"),
    );
  }
  return json({ outcome: (recorded.duplicate ? "duplicate" : "recorded") satisfies DoorDashOutcome, status: mapped.status });
}
