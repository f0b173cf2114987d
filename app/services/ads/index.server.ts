// The ad platforms behind one interface (types.ts): adapterFor(platform) builds the adapter from
// configuration, withAdRetry retries what the platform says may succeed later. Connections (OAuth,
// sealed tokens, accountFor) are in ./connections.server.ts.
import type { AdPlatform } from "~/core/promotions/types";
import { env } from "~/env.server";
import { realSleep, type Sleep } from "~/services/clock.server";
import { GoogleAdsAdapter } from "./google.server";
import { MetaAdapter } from "./meta.server";
import { SandboxAdapter } from "./sandbox.server";
import { AdPlatformError, type AdAccount, type AdCampaignSpec, type AdPlatformAdapter, type AdRequest } from "./types";

export interface AdapterOverrides {
  fetch?: typeof fetch;
  now?: () => number;
}

/** The adapter for a platform, configured from env() (versions, base URLs, Google's default minimum). */
export function adapterFor(platform: AdPlatform, overrides: AdapterOverrides = {}): AdPlatformAdapter {
  const config = env().ads;
  switch (platform) {
    case "META":
      return new MetaAdapter({ version: config.meta.apiVersion, graphUrl: config.meta.graphUrl, appSecret: config.meta.appSecret, fetch: overrides.fetch });
    case "GOOGLE":
      return new GoogleAdsAdapter({
        version: config.google.apiVersion,
        adsUrl: config.google.adsUrl,
        defaultMinDailyBudgetMicros: config.google.defaultMinDailyBudgetMicros,
        fetch: overrides.fetch,
      });
    case "SANDBOX":
      return new SandboxAdapter({ now: overrides.now });
  }
}

/**
 * The requests launching would send, built without any network call (for a plan on a platform that
 * is not connected yet, or to show beside a preview). Ids made by an earlier request appear as
 * placeholders: Meta "{campaign_id}", Google "{budget}" and "{campaign}". Throws AdPlatformError
 * (field radiusM) for a radius the platform cannot target.
 */
export function draftRequests(platform: AdPlatform, account: AdAccount, spec: AdCampaignSpec): AdRequest[] {
  const config = env().ads;
  switch (platform) {
    case "META":
      return new MetaAdapter({ version: config.meta.apiVersion, graphUrl: config.meta.graphUrl }).createRequests(account, spec);
    case "GOOGLE":
      return new GoogleAdsAdapter({ version: config.google.apiVersion, adsUrl: config.google.adsUrl }).createRequests(account, spec);
    case "SANDBOX":
      return new SandboxAdapter().draftRequests(account, spec);
  }
}

export interface AdRetryOptions {
  /** How a wait is spent; tests pass one that records and returns at once. */
  sleep?: Sleep;
  /** Tries in all (default 4). */
  attempts?: number;
  /** First back-off when the platform names no wait (default 1 s, doubled each time). */
  baseDelayMs?: number;
  /**
   * The longest wait spent here (default 60 s). A platform that asks for longer (Meta's
   * estimated_time_to_regain_access is in minutes) gets the error back at once, with its
   * retryAfterMs, for the job engine to schedule the next attempt instead of holding a worker.
   */
  maxDelayMs?: number;
  onRetry?: (error: AdPlatformError, attempt: number, delayMs: number) => void;
}

/** Runs fn, retrying an AdPlatformError marked retryable: the platform's retryAfterMs, else exponential back-off. */
export async function withAdRetry<T>(fn: () => Promise<T>, options: AdRetryOptions = {}): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const attempts = Math.max(1, options.attempts ?? 4);
  const base = options.baseDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof AdPlatformError) || !error.opts.retryable || attempt >= attempts) throw error;
      const delay = error.opts.retryAfterMs ?? base * 2 ** (attempt - 1);
      if (delay > max) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

export { AdPlatformError } from "./types";
export type { AdAccount, AdCampaignSpec, AdDayInsight, AdPlatformAdapter, AdRequest, RemoteCampaign, RemoteRef } from "./types";
