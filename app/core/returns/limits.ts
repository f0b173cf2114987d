// The most a return may hold, and the most one request may ask of the returns path (README,
// "Returns"). Every write and every decision is linear in a return's lines and bounded by these,
// so one request can never hold the process for long. Beyond them a request is refused with a 400
// that names the field; nothing is recorded.

/**
 * Lines of one return accepted from Shopify (returns/request), from admin (returnCreate) and
 * stored per return. Shopify's cart holds at most 500 lines; a line fulfilled in several
 * shipments comes back as several return line items, hence the headroom.
 */
export const MAX_RETURN_LINES = 2_000;

/** Returns ticked in one bulk action of the returns queue (approve, mark received). */
export const MAX_RETURNS_PER_BULK_ACTION = 200;

/** Longest id Nearhub accepts where a caller names a return or a line (lineIds, ids). */
export const MAX_RETURN_ID_LENGTH = 100;

/** Lines of one proposed return planned by POST /api/v1/returns/plan (answered at once, in full). */
export const MAX_PLAN_LINES = 100;
