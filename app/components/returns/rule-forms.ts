// The return rules page's form: the generator's nested mode (components/rules) with the condition
// and outcome registries, each rule's own fields taken from the core rule schema, and plain labels
// for the enum values a merchant picks from. Help under each field comes from the args schemas'
// `.describe()`.
import { z } from "zod";
import type { RuleForm } from "~/components/rules/fields";
import type { NestedRuleForm } from "~/components/rules/nested";
import { conditionRegistry, outcomeRegistry, returnRuleSchema } from "~/core/returns";
import { ITEM_CONDITION_LABELS, RETURN_REASON_LABELS } from "~/core/returns/types";

/** Plain labels for enum values shown as choices (also used by the tester). */
export const CHOICE_LABELS: Record<string, string> = {
  ...RETURN_REASON_LABELS,
  ...ITEM_CONDITION_LABELS,
  REFUND: "Refund",
  STORE_CREDIT: "Store credit",
  FINAL_SALE: "Final sale",
  RETURN_PERIOD_ENDED: "Return period ended",
};

export const conditionForm: RuleForm = { registry: conditionRegistry, choiceLabels: CHOICE_LABELS };
export const outcomeForm: RuleForm = { registry: outcomeRegistry, choiceLabels: CHOICE_LABELS };

const { id, name, enabled } = returnRuleSchema.shape;

export const returnRulesForm: NestedRuleForm = {
  conditions: conditionForm,
  outcome: outcomeForm,
  own: z.object({ id, name, enabled }),
  ownHelp: { name: { label: "Name" }, enabled: { label: "On" } },
  idField: "id",
  idPrefix: "rule",
  enabledField: "enabled",
  newOutcome: "REFUND",
  always: "every returned line",
};

/** Field name prefix of the rules: the settings schema's own path, so its errors land on the fields. */
export const RULES_NAME = "rules";
