// The routing settings form: one zod schema reads the form in the action and names the field that
// is wrong; the page shows each message next to its field. Money is typed as "5.00" and stored in
// minor units; the weights are the core routing config's (app/core/routing/config.ts).
import { z } from "zod";
import { numberField, type FieldErrors } from "~/components/shipping/form-utils";
import { fieldErrors } from "~/core/validation/issues";
import { PROMISE_KEEPS, type RoutingConfigInput } from "~/core/routing";
import { SERVICE_KINDS } from "~/core/costing/types";
import { formatAmount, moneyTextSchema } from "~/core/money/money";

export const ROUTING_FIELDS = ["mode", "splitPenalty", "maxShipments", "promiseKeep", "defaultService", "nodeChangePenalty", "breakPenalty"] as const;
export type RoutingField = (typeof ROUTING_FIELDS)[number];
export type RoutingFormValues = Record<RoutingField, string>;

export const ROUTING_LABELS: Record<RoutingField, string> = {
  mode: "What Nearhub does with a paid order",
  splitPenalty: "Split penalty per extra shipment",
  maxShipments: "Most shipments per order",
  promiseKeep: "Keeping the checkout promise",
  defaultService: "Promise of orders without a Nearhub rate",
  nodeChangePenalty: "Cost of leaving the shopper's chosen node",
  breakPenalty: "Cost of a broken promise",
};

export const MODE_OPTIONS = [
  {
    value: "SUGGEST",
    label: "Suggest only",
    help: "Nearhub works out the cheapest node for every paid order and writes it in the routing log with its reasons. Shopify's own routing stays in charge: nothing moves until you move it.",
  },
  {
    value: "AUTO",
    label: "Move automatically",
    help: "Nearhub moves each order's fulfillment orders in Shopify to the node it chose (fulfillmentOrderMove). If Shopify refuses a move, the log shows Shopify's reason and the order stays where it was.",
  },
] as const;

export const KEEP_OPTIONS = [
  { value: "NODE_AND_SERVICE", label: "Ship from the node and with the service the shopper chose (recommended)" },
  { value: "SERVICE", label: "Any node that is as fast as the chosen service" },
] as const;

export const SERVICE_LABELS: Record<(typeof SERVICE_KINDS)[number], string> = {
  SAME_DAY: "Same day",
  NEXT_DAY: "Next day",
  STANDARD: "Standard (carrier)",
  AUTONOMOUS: "Robot corridor",
  PICKUP: "Pickup",
};

export function routingFormSchema(currency: string) {
  return z.object({
    mode: z.enum(["SUGGEST", "AUTO"], { error: "Choose suggest only or move automatically" }),
    splitPenalty: moneyTextSchema("Split penalty", currency),
    maxShipments: numberField("Most shipments per order", { integer: true, min: 1, max: 3 }),
    promiseKeep: z.enum(PROMISE_KEEPS, { error: "Choose how the promise is kept" }),
    defaultService: z.enum(SERVICE_KINDS, { error: "Choose a service" }),
    nodeChangePenalty: moneyTextSchema("Cost of leaving the chosen node", currency),
    breakPenalty: moneyTextSchema("Cost of a broken promise", currency),
  });
}
export type RoutingForm = z.output<ReturnType<typeof routingFormSchema>>;

export function routingFormValues(form: FormData): RoutingFormValues {
  const out = {} as RoutingFormValues;
  for (const f of ROUTING_FIELDS) {
    const v = form.get(f);
    out[f] = typeof v === "string" ? v : "";
  }
  return out;
}

export function readRoutingForm(values: RoutingFormValues, currency: string): { ok: true; data: RoutingForm } | { ok: false; errors: FieldErrors } {
  const parsed = routingFormSchema(currency).safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, data: parsed.data };
}

export function toSettingsInput(form: RoutingForm): { mode: "SUGGEST" | "AUTO"; splitPenaltyMinor: number; config: RoutingConfigInput } {
  return {
    mode: form.mode,
    splitPenaltyMinor: form.splitPenalty,
    config: {
      maxShipments: form.maxShipments,
      promise: { keep: form.promiseKeep, defaultService: form.defaultService, nodeChangePenaltyMinor: form.nodeChangePenalty, breakPenaltyMinor: form.breakPenalty },
    },
  };
}

export function settingsToForm(s: {
  mode: string;
  splitPenaltyMinor: number;
  config: { maxShipments: number; promise: { keep: string; defaultService: string; nodeChangePenaltyMinor: number; breakPenaltyMinor: number } };
}, currency: string): RoutingFormValues {
  return {
    mode: s.mode,
    splitPenalty: formatAmount(s.splitPenaltyMinor, currency),
    maxShipments: String(s.config.maxShipments),
    promiseKeep: s.config.promise.keep,
    defaultService: s.config.promise.defaultService,
    nodeChangePenalty: formatAmount(s.config.promise.nodeChangePenaltyMinor, currency),
    breakPenalty: formatAmount(s.config.promise.breakPenaltyMinor, currency),
  };
}
