// POST /api/v1/routing/plan: the body parsed with the published schema (400 naming the field),
// planOrders over the key's shop, the answer in the wire format (plan-wire.ts).
import type { Shop } from "@prisma/client";
import { issueSummary } from "~/core/validation/issues";
import { routingPlanRequestSchema, type ApiRoutingPlan, type ApiRoutingPlanRequest } from "../open-api/schemas";
import { apiError } from "../open-api/v1.server";
import { planOrders } from "./decide.server";
import { toApiRoutingPlan, toPlanInputs } from "./plan-wire";

export { toApiRoutingPlan, toPlanInputs };

/** The request body, parsed; throws a 400 Response naming the field. */
export async function parseRoutingPlanRequest(request: Request): Promise<ApiRoutingPlanRequest> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw apiError(400, "body: not valid JSON");
  }
  const parsed = routingPlanRequestSchema.safeParse(body);
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  return parsed.data;
}

export async function planForApi(shop: Shop, body: ApiRoutingPlanRequest, now?: number): Promise<ApiRoutingPlan> {
  return toApiRoutingPlan(await planOrders(shop, toPlanInputs(body), { now }));
}
