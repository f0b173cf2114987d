// The pure rules of deliveries: which status a fulfillment is in, when it was delivered, what a
// DoorDash event means, a hub's local day, and what a rider may still mark.
import { describe, expect, it } from "vitest";
import { DOORDASH_EVENT_STATUS, POSTED_STATUSES, deliveredAtOf, deliveryMinutes, deliveryStatusOf, latestStatus, localDayBounds, riderMarkProblem } from "~/core/deliveries";

const t = (iso: string) => Date.parse(iso);

describe("a fulfillment's timeline", () => {
  const events = [
    { status: "DELIVERED", happenedAt: t("2026-11-20T16:00:00Z") },
    { status: "IN_TRANSIT", happenedAt: t("2026-11-20T14:00:00Z") },
    // A second report of the delivery, later (a carrier scan after the rider's tap).
    { status: "DELIVERED", happenedAt: t("2026-11-20T16:05:00Z") },
    { status: "OUT_FOR_DELIVERY", happenedAt: t("2026-11-20T15:00:00Z") },
  ];

  it("is delivered at its earliest DELIVERED event, whatever order they were told in", () => {
    expect(deliveredAtOf(events)).toBe(t("2026-11-20T16:00:00Z"));
    expect(deliveredAtOf([...events].reverse())).toBe(t("2026-11-20T16:00:00Z"));
    expect(deliveredAtOf(events.filter((e) => e.status !== "DELIVERED"))).toBeNull();
  });

  it("is in the status of what happened last", () => {
    expect(latestStatus(events)).toBe("DELIVERED");
    expect(latestStatus(events.slice(1, 2).concat(events.slice(3)))).toBe("OUT_FOR_DELIVERY");
    expect(latestStatus([])).toBeNull();
  });

  it("took whole minutes from shipping to delivery", () => {
    expect(deliveryMinutes(t("2026-11-20T13:30:00Z"), t("2026-11-20T16:00:29Z"))).toBe(150);
    expect(deliveryMinutes(t("2026-11-20T13:30:00Z"), null)).toBeNull();
  });
});

describe("statuses", () => {
  it("reads Shopify's webhook words and GraphQL enum alike, and nothing else", () => {
    expect(deliveryStatusOf("in_transit")).toBe("IN_TRANSIT");
    expect(deliveryStatusOf("OUT_FOR_DELIVERY")).toBe("OUT_FOR_DELIVERY");
    expect(deliveryStatusOf("teleported")).toBeNull();
    expect(deliveryStatusOf(null)).toBeNull();
  });

  it("maps DoorDash's events: picked up is out for delivery, dropped off delivered; a cancellation is not posted", () => {
    expect(DOORDASH_EVENT_STATUS.DASHER_PICKED_UP).toEqual({ status: "OUT_FOR_DELIVERY", post: true });
    expect(DOORDASH_EVENT_STATUS.DASHER_DROPPED_OFF).toEqual({ status: "DELIVERED", post: true });
    expect(DOORDASH_EVENT_STATUS.DELIVERY_CANCELLED).toEqual({ status: "FAILURE", post: false });
    expect(DOORDASH_EVENT_STATUS.DASHER_CONFIRMED_PICKUP_ARRIVAL).toBeNull();
    for (const m of Object.values(DOORDASH_EVENT_STATUS)) if (m?.post) expect(POSTED_STATUSES.has(m.status)).toBe(true);
  });
});

describe("a hub's day and its riders", () => {
  it("is the node's local day, across a daylight-saving change", () => {
    // 2 November 2025: New York falls back; the day is 25 hours long.
    const day = localDayBounds("America/New_York", t("2025-11-02T15:00:00Z"));
    expect(day).toEqual({ start: t("2025-11-02T04:00:00Z"), end: t("2025-11-03T05:00:00Z") });
    expect(localDayBounds("America/New_York", t("2025-11-03T04:30:00Z")).start).toBe(t("2025-11-02T04:00:00Z"));
  });

  it("lets a rider mark what is not delivered nor cancelled, and not out for delivery twice", () => {
    const open = { fulfillmentStatus: "SUCCESS", shipmentStatus: null, deliveredAt: null };
    expect(riderMarkProblem(open, "DELIVERED")).toBeNull();
    expect(riderMarkProblem({ ...open, shipmentStatus: "OUT_FOR_DELIVERY" }, "OUT_FOR_DELIVERY")).toBe("It is already out for delivery.");
    expect(riderMarkProblem({ ...open, shipmentStatus: "OUT_FOR_DELIVERY" }, "DELIVERED")).toBeNull();
    expect(riderMarkProblem({ ...open, deliveredAt: 1 }, "DELIVERED")).toBe("It is already delivered.");
    expect(riderMarkProblem({ ...open, fulfillmentStatus: "CANCELLED" }, "DELIVERED")).toBe("The fulfillment was cancelled in Shopify.");
  });
});
