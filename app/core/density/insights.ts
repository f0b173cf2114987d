// What the insights page reads and says, shared by the insights service (services/insights.server.ts)
// and the page (which runs in the browser too). The thresholds themselves are the density analysis's
// config (config.ts), sent to the page with the result.

/** Days of orders analysed. */
export const WINDOW_DAYS = 365;

/** The page's recommendation per cluster or seller (the service maps the analysis's own codes to it). */
export type Recommendation = "LOCAL" | "MICRO_FACTORY" | "CENTRAL";
