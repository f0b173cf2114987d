// The shop's shipping settings (one row per shop): the quote configuration document, backup
// rates, the checkout time budget and the state of the carrier service in Shopify.
import type { ShippingSettings } from "@prisma/client";
import type { z } from "zod";
import { db } from "~/db.server";
import {
  backupRatesSchema,
  DEFAULT_BACKUP_RATES,
  prepareNetwork,
  quoteConfigSchema,
  upgradeQuoteConfig,
  type BackupRate,
  type QuoteConfigInput,
} from "~/core/quoting";
import { invalidateQuoteCache } from "./quote-cache-invalidation.server";

export type CarrierServiceStatus = "NOT_REGISTERED" | "ACTIVE" | "PLAN_NOT_ELIGIBLE" | "ERROR";

export interface ShopShipping {
  config: QuoteConfigInput;
  backupRates: BackupRate[];
  quoteBudgetMs: number;
  version: number;
  carrierService: {
    id: string | null;
    status: CarrierServiceStatus;
    message: string | null;
    checkedAt: Date | null;
  };
}

export class InvalidShippingConfigError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

function fromRow(row: ShippingSettings): ShopShipping {
  const config = quoteConfigSchema.safeParse(JSON.parse(row.configJson));
  if (!config.success) {
    throw new Error(`Stored shipping configuration of shop ${row.shopId} is invalid: ${config.error.message}`);
  }
  const backup = backupRatesSchema.safeParse(JSON.parse(row.backupRatesJson));
  return {
    config: upgradeQuoteConfig(JSON.parse(row.configJson) as QuoteConfigInput),
    backupRates: backup.success && backup.data.length > 0 ? backup.data : DEFAULT_BACKUP_RATES,
    quoteBudgetMs: row.quoteBudgetMs,
    version: row.version,
    carrierService: {
      id: row.carrierServiceId,
      status: row.carrierServiceStatus as CarrierServiceStatus,
      message: row.carrierServiceMessage,
      checkedAt: row.carrierServiceCheckedAt,
    },
  };
}

export async function getShopShipping(shopId: string): Promise<ShopShipping> {
  const row = await db.shippingSettings.upsert({
    where: { shopId },
    create: { shopId, configJson: "{}" },
    update: {},
  });
  return fromRow(row);
}

/** Cheap check for caches: the settings' version, or 0 when none are stored yet. */
export async function shippingVersion(shopId: string): Promise<number> {
  const row = await db.shippingSettings.findUnique({ where: { shopId }, select: { version: true } });
  return row?.version ?? 0;
}

/**
 * Validate and store the whole quote configuration. Rules are compiled once (against an
 * empty network) so an unknown rule code or bad rule arguments are refused here, not at checkout.
 */
export async function saveQuoteConfig(shopId: string, config: unknown): Promise<ShopShipping> {
  const parsed = quoteConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new InvalidShippingConfigError("The shipping configuration is not valid", issuesOf(parsed.error));
  }
  try {
    prepareNetwork({ shopId, currency: "USD", nodes: [], products: [], stock: {} }, config as QuoteConfigInput);
  } catch (error) {
    throw new InvalidShippingConfigError((error as Error).message, [{ path: "", message: (error as Error).message }]);
  }
  const configJson = JSON.stringify(upgradeQuoteConfig(config));
  const row = await db.shippingSettings.upsert({
    where: { shopId },
    create: { shopId, configJson },
    update: { configJson, version: { increment: 1 } },
  });
  invalidateQuoteCache(shopId); // other processes see the new version within their cache's check interval
  return fromRow(row);
}

export async function saveBackupRates(shopId: string, rates: unknown, quoteBudgetMs?: number): Promise<ShopShipping> {
  const parsed = backupRatesSchema.safeParse(rates);
  if (!parsed.success) {
    throw new InvalidShippingConfigError("The backup rates are not valid", issuesOf(parsed.error));
  }
  const backupRatesJson = JSON.stringify(parsed.data);
  const budget = quoteBudgetMs === undefined ? {} : { quoteBudgetMs: Math.min(Math.max(quoteBudgetMs, 50), 5000) };
  const row = await db.shippingSettings.upsert({
    where: { shopId },
    create: { shopId, configJson: "{}", backupRatesJson, ...budget },
    update: { backupRatesJson, ...budget, version: { increment: 1 } },
  });
  invalidateQuoteCache(shopId);
  return fromRow(row);
}

export async function recordCarrierService(
  shopId: string,
  state: { id?: string | null; status: CarrierServiceStatus; message?: string | null },
): Promise<void> {
  const data = {
    ...(state.id !== undefined ? { carrierServiceId: state.id } : {}),
    carrierServiceStatus: state.status,
    carrierServiceMessage: state.message ?? null,
    carrierServiceCheckedAt: new Date(),
  };
  await db.shippingSettings.upsert({ where: { shopId }, create: { shopId, configJson: "{}", ...data }, update: data });
}
