// Each quote test starts from nothing cached: Date faked at `now` (timers and performance.now stay
// real, so time budgets do too), no snapshot or shop in memory, nothing sampled, no quote log queued
// or stored; and ends with real Date and the cache's default timings.
//
//   beforeEach(() => freshQuoteState(NOW));
//   afterEach(restoreQuoteState);
import { vi } from "vitest";
import { db } from "~/db.server";
import { forgetCheckoutShops } from "~/services/quote-snapshot.server";
import { flushQuoteLogs, invalidateQuoteCache, resetQuoteLogSampling, setQuoteCacheTiming } from "~/services/quotes.server";

export async function freshQuoteState(now: Date): Promise<void> {
  vi.useFakeTimers({ toFake: ["Date"], now });
  invalidateQuoteCache();
  forgetCheckoutShops();
  resetQuoteLogSampling();
  await flushQuoteLogs();
  await db.quoteLog.deleteMany();
}

export function restoreQuoteState(): void {
  vi.useRealTimers();
  setQuoteCacheTiming();
}
