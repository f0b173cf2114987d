// On-demand courier providers as configurable operations: a courier in the shop's quote
// configuration names one as `quoteProvider: { code, args }`; this registry turns that into a
// CourierQuoteProvider. The args (the merchant's own data: a contact phone, a business name) are
// stored per shop; the platform credentials come from the process environment. A new provider is
// one adapter file plus one line in PROVIDERS.
import { issueSummary } from "~/core/validation/issues";
import { z } from "zod";
import type { RuleRef } from "~/core/rules/registry";
import { env } from "~/env.server";
import { DOORDASH_DRIVE, DoorDashDrive, type DoorDashCredentials } from "./doordash-drive.server";
import type { CourierQuoteProvider } from "./types";

/** What providers need from outside the shop's configuration. */
export interface CourierProviderDeps {
  doordash: (DoorDashCredentials & { apiUrl?: string }) | null;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

export interface CourierProviderStrategy {
  code: string;
  label: string;
  argsSchema: z.ZodType;
  /** A provider, or why it cannot be had (missing credentials). Args are already parsed. */
  create(args: unknown, deps: CourierProviderDeps): CourierQuoteProvider | { unavailable: string };
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be a phone number in international format, e.g. +12125550100");

const doorDashArgs = z.object({
  /** Sent as dropoff_phone_number for quotes fetched ahead (no shopper yet), and as pickup phone. */
  contactPhone: e164,
  businessName: z.string().min(1).max(120).optional(),
});

const doorDash: CourierProviderStrategy = {
  code: DOORDASH_DRIVE,
  label: "DoorDash Drive",
  argsSchema: doorDashArgs,
  create(rawArgs, deps) {
    if (!deps.doordash) {
      return { unavailable: "DoorDash Drive credentials are not configured (DOORDASH_DEVELOPER_ID, DOORDASH_KEY_ID, DOORDASH_SIGNING_SECRET)" };
    }
    const args = doorDashArgs.parse(rawArgs);
    return new DoorDashDrive({
      credentials: deps.doordash,
      baseUrl: deps.doordash.apiUrl,
      contactPhone: args.contactPhone,
      businessName: args.businessName,
      fetch: deps.fetch,
      now: deps.now,
      timeoutMs: deps.timeoutMs,
    });
  },
};

const PROVIDERS: CourierProviderStrategy[] = [doorDash];

export const courierProviders: ReadonlyMap<string, CourierProviderStrategy> = new Map(PROVIDERS.map((p) => [p.code, p]));

export function courierProviderLabel(code: string): string {
  return courierProviders.get(code)?.label ?? code;
}

export type ResolvedProvider = { ok: true; provider: CourierQuoteProvider } | { ok: false; reason: string };

/** The provider a stored `{ code, args }` names; never throws. `where` names it in reasons. */
export function resolveCourierProvider(ref: RuleRef, deps: CourierProviderDeps, where = "quoteProvider"): ResolvedProvider {
  const strategy = courierProviders.get(ref.code);
  if (!strategy) {
    return { ok: false, reason: `${where}: unknown courier provider "${ref.code}" (known: ${[...courierProviders.keys()].join(", ")})` };
  }
  const args = strategy.argsSchema.safeParse(ref.args ?? {});
  if (!args.success) {
    return { ok: false, reason: `${where}: ${issueSummary(args.error, { prefix: ["args"] })}` };
  }
  const made = strategy.create(args.data, deps);
  return "unavailable" in made ? { ok: false, reason: `${where}: ${made.unavailable}` } : { ok: true, provider: made };
}

/**
 * Field-named problems with the courier providers of a quote configuration, for the settings form
 * and saveQuoteConfig: unknown codes and bad args (credentials are not checked here).
 */
export function courierProviderIssues(config: { couriers?: { quoteProvider?: RuleRef | null }[] }): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  (config.couriers ?? []).forEach((c, i) => {
    const ref = c.quoteProvider;
    if (!ref) return;
    const strategy = courierProviders.get(ref.code);
    const path = `couriers.${i}.quoteProvider`;
    if (!strategy) {
      issues.push({ path: `${path}.code`, message: `unknown courier provider "${ref.code}" (known: ${[...courierProviders.keys()].join(", ")})` });
      return;
    }
    const args = strategy.argsSchema.safeParse(ref.args ?? {});
    if (!args.success) for (const issue of args.error.issues) issues.push({ path: [path, "args", ...issue.path].join("."), message: issue.message });
  });
  return issues;
}

/** Credentials and endpoint from the process configuration (app/env.server.ts). */
export function defaultCourierProviderDeps(): CourierProviderDeps {
  const e = env();
  return { doordash: e.doordash };
}
