// Thresholds of the network-insights recommendations, shared by the analysis
// (services/insights.server.ts) and the page that explains them.

/** Days of orders analysed. */
export const WINDOW_DAYS = 365;

export const RULES = {
  /** A cluster with at least this many orders a day and this same-city share supports a micro-hub. */
  localMinOrdersPerDay: 3,
  localMinSameCityShare: 0.25,
  /** Made-to-order units above this share of a cluster's (or seller's) units call for a micro-factory. */
  factoryMinMadeShare: 0.3,
  factoryMinOrdersPerDay: 1,
};

export type Recommendation = "LOCAL" | "MICRO_FACTORY" | "CENTRAL";
