// Routing decision statuses as stored by the routing service. Shared by the admin pages (which run
// in the browser too) and routing-admin.server.ts, so no page imports a .server module for it.
export const DECISION_STATUSES = ["SUGGESTED", "MOVING", "MOVED", "PARTIAL", "FAILED", "UNROUTABLE", "KEPT"] as const;
export type DecisionStatusCode = (typeof DECISION_STATUSES)[number];
