// Public API of order routing.
//
//   const net = prepareRouting(prepareNetwork(snapshot, quoteConfig), routingConfig);   // once per network
//   const highs = await (await import("highs")).default();                               // once per process, optional
//   const decision = routeOrder(net, order, { now });                                      // one paid order
//   const batch = routeBatch(net, orders, { now, solver: highs });                         // orders competing for stock
//   const baseline = routeShopifyDefault(net, orders, { now });                            // Shopify's rule, same costs
export { prepareRouting, availabilityAt, UNLIMITED, type RoutingNetwork, type RoutingNode } from "./prepare";
export { applyCommitments, type Commitment, type HeldStock } from "./commitments";
export { routeBatch, routeOrder, reduceBatch, type RouteOptions, type ReducedBatch } from "./batch";
export { routeShopifyDefault } from "./shopifyDefault";
export { routingConfigSchema, PROMISE_KEEPS, type PromiseKeep, type RoutingConfig, type RoutingConfigInput } from "./config";
export { solveExact, lpRelaxationBound, assignmentLp, type LpSolver, type ExactResult } from "./exact";
export { solveHeuristic, type HeuristicResult } from "./heuristic";
export {
  checkAssignment,
  objectiveOf,
  binaryVariables,
  type AssignmentOption,
  type AssignmentProblem,
  type AssignmentSolution,
} from "./assignment";
export { SERVICE_RANK, resolvePromise, keepsService } from "./promise";
export * from "./types";
