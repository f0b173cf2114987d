// The shop's return policy: ordered rules stored as data, the default outcome, how a destination
// hub is chosen, and the inspection clock. One zod schema validates it everywhere (admin form,
// open API, stored JSON), including every rule's args against its strategy, so an error names
// the field that is wrong (e.g. rules.2.when.0.args.maxDays).
import { z } from "zod";
import { checkRuleRef, ruleRefSchema } from "../rules/registry";
import { minorSchema } from "../money/money";
import { conditionRegistry } from "./conditions";
import { outcomeRegistry } from "./outcomes";
import { ITEM_CONDITIONS } from "./types";

export const returnRuleSchema = z
  .object({
    id: z.string().trim().min(1, "a rule needs an id"),
    name: z.string().trim().min(1, "give the rule a name").max(100, "at most 100 characters"),
    enabled: z.boolean().default(true),
    /** Every condition must hold; none: the rule always matches. */
    when: z.array(ruleRefSchema).max(10, "at most 10 conditions").default([]),
    then: ruleRefSchema,
  })
  .superRefine((rule, ctx) => {
    rule.when.forEach((ref, i) => checkRuleRef(conditionRegistry, ref, ["when", i], ctx));
    checkRuleRef(outcomeRegistry, rule.then, ["then"], ctx);
  });
export type ReturnRule = z.output<typeof returnRuleSchema>;
export type ReturnRuleInput = z.input<typeof returnRuleSchema>;

const bps = z.number().int().min(0).max(10_000);

export const escalationLevelSchema = z.object({
  /** Hours after the inspection deadline (negative: before it). */
  afterDeadlineHours: z.number().min(-720).max(720),
  notify: z.enum(["HUB_STAFF", "HUB_LEAD", "MERCHANT"]),
});
export type EscalationLevel = z.output<typeof escalationLevelSchema>;

export const DEFAULT_ESCALATIONS: EscalationLevel[] = [
  { afterDeadlineHours: -12, notify: "HUB_STAFF" },
  { afterDeadlineHours: 0, notify: "HUB_LEAD" },
  { afterDeadlineHours: 24, notify: "MERCHANT" },
];

export const returnPolicySchema = z
  .object({
    /** In order: the first rule that matches a line decides it. */
    rules: z.array(returnRuleSchema).max(100, "at most 100 rules").default([]),
    /** When no rule matches. */
    defaultOutcome: ruleRefSchema.default({ code: "REFUND", args: {} }),
    destination: z
      .object({
        /** NEAREST: the closest hub that accepts returns; BEST_RECOVERY: the hub where the item recovers the most. */
        mode: z.enum(["NEAREST", "BEST_RECOVERY"]).default("BEST_RECOVERY"),
        /** How far ahead a resale counts. */
        horizonDays: z.number().int().min(1).max(365).default(30),
        /**
         * When every hub would lose money on an item (or none can take it), bring it back anyway;
         * false: a refund or store credit is paid and the customer keeps it (KEEP_ITEM), saying why.
         */
        shipBackAtALoss: z.boolean().default(false),
        /** Cost of holding a returned unit, basis points of its value per day (8 ≈ 29% a year). */
        holdingCostBpsPerDay: bps.default(8),
        /** Expected share of the value lost to refurbishment, by the condition the customer reports. */
        refurbishmentLossBps: z
          .object({
            ...(Object.fromEntries(ITEM_CONDITIONS.map((c) => [c, bps])) as Record<(typeof ITEM_CONDITIONS)[number], typeof bps>),
            UNREPORTED: bps,
          })
          .default({ UNOPENED: 0, OPENED: 1000, USED: 3000, DAMAGED: 8000, UNREPORTED: 2000 }),
      })
      .prefault({}),
    /** Per return hub, keyed by node id. */
    hubs: z
      .record(
        z.string(),
        z.object({
          /** Cost to receive and inspect one returned unit; null: the node's handling cost. */
          handlingMinor: minorSchema.nullable().default(null),
          /** Hours from receipt to the inspection deadline; null: the policy's default. */
          inspectionHours: z.number().positive().max(720).nullable().default(null),
        }),
      )
      .default({}),
    inspection: z
      .object({
        inspectionHours: z.number().positive().max(720).default(48),
        /** An open inspection is "due soon" this many hours before its deadline. */
        dueSoonHours: z.number().nonnegative().max(720).default(12),
        /** Escalation levels, in order; each return reaches each level at most once. */
        escalations: z.array(escalationLevelSchema).max(5).default(DEFAULT_ESCALATIONS),
      })
      .prefault({}),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `another rule already has id "${rule.id}"` });
      seen.add(rule.id);
    });
    checkRuleRef(outcomeRegistry, policy.defaultOutcome, ["defaultOutcome"], ctx);
    if (policy.defaultOutcome.code === "KEEP_ITEM") {
      ctx.addIssue({
        code: "custom",
        path: ["defaultOutcome", "code"],
        message: "the default must always apply, and KEEP_ITEM applies only when a return does not pay: pick another default",
      });
    }
    policy.inspection.escalations.forEach((level, i, all) => {
      if (i > 0 && level.afterDeadlineHours <= all[i - 1].afterDeadlineHours) {
        ctx.addIssue({ code: "custom", path: ["inspection", "escalations", i, "afterDeadlineHours"], message: "escalation levels must come later one after another" });
      }
    });
  });
export type ReturnPolicyConfig = z.output<typeof returnPolicySchema>;
export type ReturnPolicyInput = z.input<typeof returnPolicySchema>;
