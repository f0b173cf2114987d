// The shop's return settings (ReturnSettings row) and the core return policy built from them.
// One zod schema (returnSettingsSchema) validates the admin form, the open API and the stored
// JSON; rules are `{ code, args }` refs checked against the core registries, so an error names
// the field (rules.2.when.0.args.maxDays). Per-hub inspection hours come from Node.inspectionHours,
// hubs that take returns from Node.acceptsReturns.
import type { ReturnSettings } from "@prisma/client";
import { z } from "zod";
import {
  prepareReturnPolicy,
  returnPolicySchema,
  returnRuleSchema,
  type ReturnPolicy,
  type ReturnPolicyInput,
  type ReturnRuleInput,
} from "~/core/returns";
import { db } from "~/db.server";
import type { Tx } from "./webhooks.server";

export const returnSettingsSchema = z.object({
  rules: z.array(returnRuleSchema).max(100, "at most 100 rules").default([]),
  defaultOutcome: z.enum(["REFUND", "STORE_CREDIT", "EXCHANGE"]).default("REFUND"),
  destinationMode: z.enum(["NEAREST", "BEST_RECOVERY"]).default("BEST_RECOVERY"),
  inspectionHours: z.coerce.number().int("whole hours").min(1, "at least 1 hour").max(720, "at most 720 hours (30 days)").default(48),
  escalationEmail: z
    .union([z.literal(""), z.email("enter an email address")])
    .nullish()
    .transform((v) => v || null),
  escalationWebhookUrl: z
    .union([z.literal(""), z.url({ protocol: /^https?$/, error: "enter an http(s) URL" })])
    .nullish()
    .transform((v) => v || null),
  autoApprove: z.boolean().default(true),
  /** Bring items back even when every hub would lose money on them (else the customer keeps them, paid as the rule says). */
  shipBackAtALoss: z.boolean().default(false),
});
export type ReturnSettingsInput = z.input<typeof returnSettingsSchema>;

export interface ShopReturnSettings {
  shopId: string;
  rules: ReturnRuleInput[];
  defaultOutcome: string;
  destinationMode: "NEAREST" | "BEST_RECOVERY";
  inspectionHours: number;
  escalationEmail: string | null;
  escalationWebhookUrl: string | null;
  autoApprove: boolean;
  shipBackAtALoss: boolean;
  /** The stored rules no longer parse (a strategy changed): the policy falls back to no rules. */
  warnings: string[];
}

function fromRow(shopId: string, row: ReturnSettings | null): ShopReturnSettings {
  const warnings: string[] = [];
  let rules: ReturnRuleInput[] = [];
  if (row) {
    try {
      rules = z.array(returnRuleSchema).parse(JSON.parse(row.rulesJson)) as ReturnRuleInput[];
    } catch (error) {
      warnings.push(`stored return rules ignored: ${(error as Error).message.slice(0, 300)}`);
    }
  }
  const mode = row?.destinationMode === "NEAREST" ? "NEAREST" : "BEST_RECOVERY";
  return {
    shopId,
    rules,
    defaultOutcome: row?.defaultOutcome ?? "REFUND",
    destinationMode: mode,
    inspectionHours: row?.inspectionHours ?? 48,
    escalationEmail: row?.escalationEmail ?? null,
    escalationWebhookUrl: row?.escalationWebhookUrl ?? null,
    autoApprove: row?.autoApprove ?? true,
    shipBackAtALoss: row?.shipBackAtALoss ?? false,
    warnings,
  };
}

export async function getReturnSettings(shopId: string, tx: Tx = db): Promise<ShopReturnSettings> {
  return fromRow(shopId, await tx.returnSettings.findUnique({ where: { shopId } }));
}

/** Validates (throws a ZodError naming the field) and stores the shop's return settings. */
export async function saveReturnSettings(shopId: string, input: unknown): Promise<ShopReturnSettings> {
  const s = returnSettingsSchema.parse(input);
  // The whole policy must parse too (e.g. rule ids unique), with the same paths as the form.
  returnPolicySchema.parse({ rules: s.rules, defaultOutcome: { code: s.defaultOutcome, args: {} } });
  const data = {
    rulesJson: JSON.stringify(s.rules),
    defaultOutcome: s.defaultOutcome,
    destinationMode: s.destinationMode,
    inspectionHours: s.inspectionHours,
    escalationEmail: s.escalationEmail,
    escalationWebhookUrl: s.escalationWebhookUrl,
    autoApprove: s.autoApprove,
    shipBackAtALoss: s.shipBackAtALoss,
  };
  const row = await db.returnSettings.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return fromRow(shopId, row);
}

/** Per-hub inspection hours (Node.inspectionHours) keyed by node id; nodes without one are left out. */
export type HubInspectionHours = Record<string, number>;

/** The core policy: the settings plus each hub's own inspection hours. */
export function policyFor(settings: ShopReturnSettings, hubHours: HubInspectionHours): ReturnPolicy {
  const input: ReturnPolicyInput = {
    rules: settings.rules,
    defaultOutcome: { code: settings.defaultOutcome, args: {} },
    destination: { mode: settings.destinationMode, shipBackAtALoss: settings.shipBackAtALoss },
    hubs: Object.fromEntries(Object.entries(hubHours).map(([id, hours]) => [id, { inspectionHours: hours }])),
    inspection: { inspectionHours: settings.inspectionHours },
  };
  return prepareReturnPolicy(input);
}
