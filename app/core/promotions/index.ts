// Hyperlocal campaigns around a hub (issue 15): the planner, the guardrails, the platforms' radius
// shapes, ROAS arithmetic and UTMs. Pure: services load the inputs and act on the answers.
export * from "./types";
export {
  DEFAULT_CAMPAIGN_DAYS,
  DEFAULT_ORDERS_PER_DAY,
  DEFAULT_TARGET_ROAS_BPS,
  DEMAND_SHARE,
  MAX_CIRCLE_CELLS,
  MIN_POINTS_TO_NARROW,
  PLAN_H3_RESOLUTION,
  planCampaign,
  PRODUCT_COVER_DAYS,
  PRODUCT_MIN_UNITS,
  RADIUS_STEP_M,
  ROAS_LEARNING_DAYS,
  unitsToAdvertise,
} from "./planner";
export {
  compileGuardrails,
  defaultGuardrails,
  evaluateGuardrails,
  guardrailRegistry,
  shrinkBudget,
  type DefaultGuardrailArgs,
  type Guardrail,
  type GuardrailCode,
  type GuardrailVerdict,
} from "./guardrails";
export { localWeekMinute, nextWindowStart, sameDayWindows, WEEKDAY_NAMES, windowAt, type SameDayWindow } from "./hours";
export {
  checkRadius,
  clampRadius,
  GOOGLE_RADIUS_UNITS,
  META_RADIUS_UNITS,
  METRES_PER_MILE,
  PLATFORM_NAMES,
  platformRadius,
  RADIUS_LIMITS,
  type DistanceUnit,
  type GoogleRadius,
  type MetaRadius,
} from "./radius";
export { profitRoasBps, ROAS_BASES, roasBps, roasOn, type RoasBasis } from "./roas";
export { campaignUtm, mintUtmCampaign, UTM_CAMPAIGN_MAX, UTM_MEDIUMS, UTM_SOURCES } from "./utm";
export { BUDGET_CHANGES_PER_HOUR, budgetChangeAllowed, guardrailTransition, type AppliedState, type ChangeAllowance, type GuardrailTransition } from "./changes";
