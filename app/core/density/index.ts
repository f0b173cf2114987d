// Public API of the density analysis.
//
//   const saving = costingSavingEstimator({ snapshot, config: quoteConfig });   // optional cost model
//   const report = analyseDensity({ orders, sellers, products, nodes, now, config, saving });
//   report.clusters, report.sellers, report.skus, report.pilot.clusters (with reasons)
export { analyseDensity } from "./analyse";
export { clusterCells, type CellClusters } from "./clusters";
export { densityConfigSchema, type DensityConfig, type DensityConfigInput } from "./config";
export { costingSavingEstimator, type CostingSavingOptions } from "./saving";
export * from "./types";
