// Public API of returns: rules, destination, life cycle, inspection clock and metrics.
export * from "./types";
export {
  returnPolicySchema,
  returnRuleSchema,
  escalationLevelSchema,
  DEFAULT_ESCALATIONS,
  type ReturnPolicyConfig,
  type ReturnPolicyInput,
  type ReturnRule,
  type ReturnRuleInput,
  type EscalationLevel,
} from "./config";
export { prepareReturnPolicy, inspectionHoursAt, type ReturnPolicy, type CompiledReturnRule } from "./policy";
export { conditionRegistry } from "./conditions";
export type { ReturnCondition, LineFacts, ConditionResult } from "./conditions/types";
export { outcomeRegistry } from "./outcomes";
export { OUTCOME_CODES, itemComesBackAfter, type OutcomeCode, type LineOutcome, type ReturnOutcome, type OutcomeFacts } from "./outcomes/types";
export {
  evaluateReturn,
  evaluateReturnLine,
  summarizeReturn,
  type ReturnContext,
  type ReturnEvaluation,
  type LineEvaluation,
  type RuleTrace,
  type ConditionTrace,
} from "./evaluate";
export { chooseDestination, type DestinationInput, type DestinationContext } from "./destination";
export { resaleOdds, type ResaleOdds } from "./recovery";
export {
  RETURN_STATUSES,
  RETURN_STATUS_LABELS,
  GRADES,
  GRADE_LABELS,
  DISPOSITIONS,
  returnEventSchema,
  openReturn,
  transition,
  inspectionProblem,
  type ReturnState,
  type ReturnStatus,
  type ReturnEvent,
  type ReturnEventInput,
  type ReturnEventType,
  type ReturnEffect,
  type ReturnEffectBody,
  type TransitionResult,
  type Grade,
  type Disposition,
} from "./lifecycle";
export { inspectionStatus, escalationsDue, escalationKey, type InspectionStatus, type Escalation } from "./inspection";
export { returnMetrics, type ReturnMetrics } from "./metrics";
export { MAX_RETURN_LINES, MAX_RETURNS_PER_BULK_ACTION, MAX_RETURN_ID_LENGTH, MAX_PLAN_LINES } from "./limits";
