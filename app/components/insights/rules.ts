// Shared by the insights service (services/insights.server.ts) and the page that explains it. The
// thresholds themselves are the core density analysis's config (app/core/density/config.ts), sent
// to the page with the result.

/** Days of orders analysed. */
export const WINDOW_DAYS = 365;

export type Recommendation = "LOCAL" | "MICRO_FACTORY" | "CENTRAL";
