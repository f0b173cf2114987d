// The rate card import form: one schema for the page and the action. The three tables go
// through the core's CSV reader (row-level problems); the other fields through zod (field
// problems); surcharges through the surcharge registry's own argument schemas.
import { z } from "zod";
import { rateCardSchema, type RateCardInput } from "~/core/costing/rateCard";
import {
  formatIssue,
  rateCardFromCsv,
  rateCardToCsv,
  type CsvIssue,
  type CsvTable,
  type RateCardPreview,
} from "~/core/costing/rate-card-csv";
import { WEEKDAYS, localTimeSchema, type Weekday } from "~/core/network/types";
import { optionalMoneyTextSchema } from "~/core/money/money";
import { money, num, optionalNumberField, requiredText, texts, type FieldErrors } from "./form-utils";
import { ruleValuesFromForm } from "~/components/rules/form-data";
import { readRules, rulesToValues, type RuleValue } from "~/components/rules/values";
import { surchargeRuleForm } from "./rule-forms";

export const SURCHARGE_PREFIX = "surcharges";

export interface RateCardFormValues {
  replaceId: string;
  carrier: string;
  service: string;
  destinationCountries: string;
  originNodeIds: string[];
  zoningBy: "distance" | "postalPrefix";
  zoningText: string;
  pricesText: string;
  transitText: string;
  dimDivisor: string;
  extraPerKg: string;
  deliversOn: Weekday[];
  deliveryFrom: string;
  deliveryTo: string;
  surcharges: RuleValue[];
}

export const RATE_CARD_FIELD_LABELS: Record<string, string> = {
  carrier: "Carrier",
  service: "Service",
  destinationCountries: "Destination countries",
  originNodeIds: "Ships from",
  zoningBy: "Zones by",
  zoningText: "Zoning table",
  pricesText: "Price table",
  transitText: "Transit days",
  dimDivisor: "Dimensional divisor",
  extraPerKg: "Each extra kg",
  deliversOn: "Delivery days",
  deliveryFrom: "Delivers from",
  deliveryTo: "Delivers until",
};

export const EXAMPLE_TABLES = {
  prices: [
    "up_to_grams,zone1,zone2,zone3",
    "500,8.95,9.40,10.25",
    "1000,9.85,10.60,11.90",
    "2000,11.20,12.35,14.10",
    "5000,14.60,16.90,19.75",
    "10000,19.80,23.10,27.40",
  ].join("\n"),
  distance: ["up_to_km,zone", "80,zone1", "400,zone2", "3000,zone3"].join("\n"),
  postalPrefix: ["prefix,zone", "100,zone1", "112,zone1", "07,zone2", "*,zone3"].join("\n"),
  transit: ["zone,min_days,max_days", "zone1,1,2", "zone2,2,3", "zone3,3,5"].join("\n"),
};

export function emptyRateCardForm(): RateCardFormValues {
  return {
    replaceId: "",
    carrier: "",
    service: "",
    destinationCountries: "US",
    originNodeIds: [],
    zoningBy: "distance",
    zoningText: "",
    pricesText: "",
    transitText: "",
    dimDivisor: "5000",
    extraPerKg: "",
    deliversOn: ["mon", "tue", "wed", "thu", "fri"],
    deliveryFrom: "09:00",
    deliveryTo: "20:00",
    surcharges: [],
  };
}

/** A stored card as the form that replaces it (tables written back as CSV). */
export function rateCardToForm(card: RateCardInput, currency: string): RateCardFormValues {
  const parsed = rateCardSchema.parse(card);
  const csv = rateCardToCsv(card);
  return {
    replaceId: parsed.id,
    carrier: parsed.carrier,
    service: parsed.service,
    destinationCountries: parsed.destinationCountries.join(", "),
    originNodeIds: parsed.originNodeIds ?? [],
    zoningBy: csv.zoningBy,
    zoningText: csv.zoningText,
    pricesText: csv.pricesText,
    transitText: csv.transitText,
    dimDivisor: num(parsed.dimDivisor),
    extraPerKg: money(parsed.extraPerKgMinor, currency),
    deliversOn: parsed.deliversOn,
    deliveryFrom: parsed.deliveryHours[0],
    deliveryTo: parsed.deliveryHours[1],
    surcharges: rulesToValues(surchargeRuleForm, parsed.surcharges, currency),
  };
}

export function rateCardFormValues(form: FormData): RateCardFormValues {
  const s = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return {
    replaceId: s("replaceId"),
    carrier: s("carrier"),
    service: s("service"),
    destinationCountries: s("destinationCountries"),
    originNodeIds: texts(form, "originNodeIds"),
    zoningBy: s("zoningBy") === "postalPrefix" ? "postalPrefix" : "distance",
    zoningText: s("zoningText"),
    pricesText: s("pricesText"),
    transitText: s("transitText"),
    dimDivisor: s("dimDivisor"),
    extraPerKg: s("extraPerKg"),
    deliversOn: texts(form, "deliversOn").filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d)),
    deliveryFrom: s("deliveryFrom"),
    deliveryTo: s("deliveryTo"),
    surcharges: ruleValuesFromForm(form, surchargeRuleForm, SURCHARGE_PREFIX),
  };
}

function metaSchema(currency: string) {
  return z
    .object({
      carrier: requiredText("Carrier", 80),
      service: requiredText("Service", 80),
      destinationCountries: z
        .string({ error: "Destination countries are required" })
        .transform((v) => v.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))
        .pipe(
          z
            .array(z.string().regex(/^[A-Z]{2}$/, "Destination countries are two-letter codes such as US, CA"))
            .min(1, "Name at least one destination country, e.g. US"),
        ),
      zoningBy: z.enum(["distance", "postalPrefix"], { error: "Choose how the carrier zones addresses" }),
      dimDivisor: optionalNumberField("Dimensional divisor", { above: 0 }),
      extraPerKg: optionalMoneyTextSchema("Each extra kg", currency),
      deliversOn: z.array(z.enum(WEEKDAYS)).min(1, "Tick at least one delivery day"),
      deliveryFrom: localTimeSchema,
      deliveryTo: localTimeSchema,
    });
}

const TABLE_FIELD: Record<CsvTable, keyof RateCardFormValues> = {
  prices: "pricesText",
  zoning: "zoningText",
  transit: "transitText",
};

export interface RateCardReadResult {
  /** The card to store, when everything is right. */
  card: RateCardInput | null;
  errors: FieldErrors;
  issues: CsvIssue[];
  preview: RateCardPreview;
}

/**
 * Everything the form says → a validated card, or the problems: field errors keyed by field
 * name (tables get a summary on their field) and the tables' row-level issues.
 */
/** Far above any carrier's table (a 1,000-prefix ZIP zoning is ~10 KB); keeps a wrong file from being parsed. */
export const MAX_TABLE_CHARS = 300_000;

export function readRateCardForm(
  values: RateCardFormValues,
  ctx: { currency: string; id: string; nodeIds: readonly string[] },
): RateCardReadResult {
  const errors: FieldErrors = {};
  const tooLarge = (["pricesText", "zoningText", "transitText"] as const).filter((k) => values[k].length > MAX_TABLE_CHARS);
  if (tooLarge.length > 0) {
    for (const k of tooLarge) errors[k] = `${RATE_CARD_FIELD_LABELS[k]} is too large (over ${MAX_TABLE_CHARS / 1000} KB): is this the right file?`;
    return { card: null, errors, issues: [], preview: { prices: null, zoning: null, transit: null, warnings: [] } };
  }
  const meta = metaSchema(ctx.currency).safeParse({
    carrier: values.carrier,
    service: values.service,
    destinationCountries: values.destinationCountries,
    zoningBy: values.zoningBy,
    dimDivisor: values.dimDivisor || undefined,
    extraPerKg: values.extraPerKg || undefined,
    deliversOn: values.deliversOn,
    deliveryFrom: values.deliveryFrom,
    deliveryTo: values.deliveryTo,
  });
  if (!meta.success) {
    for (const issue of meta.error.issues) {
      const key = String(issue.path[0] ?? "form");
      const label = RATE_CARD_FIELD_LABELS[key];
      errors[key] ??= issue.message.startsWith("must") && label ? `${label} ${issue.message}` : issue.message;
    }
  }
  // Compared here rather than in the schema so it is reported alongside any other problem.
  if (!errors.deliveryFrom && !errors.deliveryTo && values.deliveryFrom.trim() >= values.deliveryTo.trim()) {
    errors.deliveryTo = "Must be after the start of delivery hours";
  }
  const unknownNodes = values.originNodeIds.filter((id) => !ctx.nodeIds.includes(id));
  if (unknownNodes.length > 0) errors.originNodeIds = "One of the chosen nodes is not in your network any more";
  const surcharges = readRules(surchargeRuleForm, values.surcharges, SURCHARGE_PREFIX, ctx.currency);
  Object.assign(errors, surcharges.errors);

  const m = meta.success ? meta.data : null;
  const result = rateCardFromCsv({
    id: ctx.id,
    carrier: m?.carrier ?? (values.carrier.trim() || "carrier"),
    service: m?.service ?? (values.service.trim() || "service"),
    currency: ctx.currency,
    destinationCountries: m?.destinationCountries ?? ["US"],
    originNodeIds: values.originNodeIds.length > 0 ? values.originNodeIds : null,
    zoningBy: values.zoningBy,
    zoningText: values.zoningText,
    pricesText: values.pricesText,
    transitText: values.transitText,
    dimDivisor: m?.dimDivisor ?? null,
    extraPerKgMinor: m?.extraPerKg ?? null,
    surcharges: surcharges.rules,
    ...(m ? { deliversOn: m.deliversOn, deliveryHours: [m.deliveryFrom, m.deliveryTo] as [string, string] } : {}),
  });
  for (const table of ["prices", "zoning", "transit"] as const) {
    const mine = result.issues.filter((i) => i.table === table);
    if (mine.length > 0) {
      errors[TABLE_FIELD[table]] =
        mine.length === 1 ? formatIssue(mine[0]) : `${mine.length} problems in this table; see the list below the preview`;
    }
  }
  const ok = Object.keys(errors).length === 0 && result.card !== null;
  return { card: ok ? result.card : null, errors, issues: result.issues, preview: result.preview };
}
