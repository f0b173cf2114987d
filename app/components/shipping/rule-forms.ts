// The shipping pages' rule forms: the pricing, surge and surcharge registries with the plain
// words shown next to the fields the generator (components/rules) makes from their args schemas.
// A rule missing here still works: its fields get labels made from the argument names.
import type { RuleForm, RuleHelp } from "~/components/rules/fields";
import { surchargeRegistry } from "~/core/costing/surcharges";
import { surgeRegistry } from "~/core/costing/surge";
import { pricingRegistry } from "~/core/quoting/pricing";

const CHOICE_LABELS: Record<string, string> = {
  SAME_DAY: "Same day",
  NEXT_DAY: "Next day",
  STANDARD: "Standard (carrier)",
  AUTONOMOUS: "Autonomous",
  PICKUP: "Pickup",
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

const SERVICES_ARG = {
  label: "Only for these services",
  help: "Leave all unticked to apply it to every service.",
};

const PRICING_HELP: Record<string, RuleHelp> = {
  MARGIN_PERCENT: {
    summary: "Adds a percentage on top of the price so far (or takes it off, with a negative number).",
    example: "With 20%, a delivery that costs you 6.00 is offered at 7.20.",
    args: { percent: { label: "Percentage", help: "20 adds 20%; -10 takes 10% off." }, services: SERVICES_ARG },
  },
  ROUND_CHARM: {
    summary: "Rounds the price up to the next price that ends the way shoppers are used to, such as .99.",
    example: "With ending 0.99 and step 1.00, 7.20 becomes 7.99 and 8.00 becomes 8.99. Free stays free.",
    args: {
      unitMinor: { label: "Step", help: "The ending repeats every step: 1.00 for every whole unit." },
      endingMinor: { label: "Ending", help: "What the price ends in, e.g. 0.99 or 0.95; below the step." },
      services: SERVICES_ARG,
    },
  },
  ROUND_WHOLE: {
    summary: "Rounds the price to a multiple of a step, such as whole dollars.",
    example: "Up to 1.00: 7.20 becomes 8.00. Free stays free.",
    args: {
      unitMinor: { label: "Step", help: "1.00 rounds to whole units; 0.50 to halves." },
      mode: { label: "Direction", help: "up, nearest or down." },
      services: SERVICES_ARG,
    },
  },
  FREE_OVER_SUBTOTAL: {
    summary: "Delivery is free when the cart's goods add up to at least this amount.",
    example: "With 75.00, a 80.00 cart gets free delivery; a 60.00 cart pays the price so far.",
    args: { minSubtotalMinor: { label: "Free from a cart subtotal of" }, services: SERVICES_ARG },
  },
  FREE_OVER_DYNAMIC_THRESHOLD: {
    summary:
      "Delivery is free whenever you can pay for it and still keep your target margin: the larger the cart, the more delivery cost it can carry. Expensive routes need a larger cart than cheap ones.",
    example:
      "Goods margin 50%, target 35%: a delivery that costs you 9.00 (including expected returns) is free from a 60.00 cart (9.00 ÷ 15%).",
    args: {
      productMarginPercent: { label: "Gross margin on your goods (%)", help: "What you keep from the goods before paying for delivery." },
      targetMarginPercent: { label: "Margin you want to keep (%)", help: "Must be below the gross margin." },
      services: SERVICES_ARG,
    },
  },
};

const SURGE_HELP: Record<string, RuleHelp> = {
  HOUR_WEEKDAY: {
    summary: "Couriers charge more at busy hours: multiply the courier price on these days between these times (the node's local time).",
    example: "Mon–Fri 17:00–19:00 × 1.25: a 10.00 courier run costs 12.50 at rush hour.",
    args: {
      days: { label: "Days" },
      from: { label: "From (HH:MM)" },
      to: { label: "Until (HH:MM)", help: "Must be after the start." },
      multiplier: { label: "Multiplier", help: "1.25 adds a quarter; between 1 and 10." },
    },
  },
  LOAD_RATIO: {
    summary: "Couriers get dearer as the node fills up: when today's orders reach a share of the node's daily capacity, multiply the courier price.",
    example: "0.8 × 1.2 and 0.95 × 1.5: at 80% of capacity the courier costs 20% more, at 95% half as much again.",
    args: {
      steps: {
        label: "Steps",
        help: "One step per line: the load share (0.8 = 80% of the daily capacity) and the multiplier, e.g. 0.8, 1.2",
      },
    },
  },
};

const SURCHARGE_HELP: Record<string, RuleHelp> = {
  FUEL_PERCENT: {
    summary: "The carrier's fuel surcharge: a percentage of the freight from the table.",
    args: { percent: { label: "Fuel surcharge (%)" } },
  },
  RESIDENTIAL_FLAT: {
    summary: "A fixed fee the carrier adds for delivering to a home (charged when the address type is unknown too).",
    args: { amountMinor: { label: "Residential fee" } },
  },
};

/** Merchant pricing rules, applied in order on top of what delivery costs. */
export const pricingRuleForm: RuleForm = { registry: pricingRegistry, help: PRICING_HELP, choiceLabels: CHOICE_LABELS };
/** Courier surge rules: multiply the courier price when they apply. */
export const surgeRuleForm: RuleForm = { registry: surgeRegistry, help: SURGE_HELP, choiceLabels: CHOICE_LABELS };
/** Carrier surcharges: added to the rate card's freight. */
export const surchargeRuleForm: RuleForm = { registry: surchargeRegistry, help: SURCHARGE_HELP, choiceLabels: CHOICE_LABELS };
