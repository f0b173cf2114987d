// Public API of checkout quoting.
export { quoteOptions, quotePrepared } from "./quote";
export { prepareNetwork, type QuoteNetwork, type QuoteNode } from "./prepare";
export {
  quoteConfigSchema,
  storedQuoteConfigSchema,
  upgradeQuoteConfig,
  type QuoteConfig,
  type QuoteConfigInput,
  type StoredQuoteConfig,
} from "./config";
export { serviceCodeOf, parseServiceCode } from "./serviceCode";
export { sortOptions, chooseCheapest, type OptionOrder } from "./sort";
export { describeOption, formatClock, formatDay, type Describable } from "./describe";
export { pricingRegistry, applyPricing, type PricingStep } from "./pricing";
export type { PricingContext, PricingRule } from "./pricing/types";
export { NodeCalendar, type DayPlan, type Opening } from "./calendar";
export { addBusinessDays, backupCalendar, backupOffers, backupPriceMinor, checkoutOffers, offeredOptions, type CheckoutOffer, type OfferableQuote } from "./offers";
export * from "./types";
export { backupRateSchema, backupRatesSchema, DEFAULT_BACKUP_RATES, type BackupRate } from "./backup";
