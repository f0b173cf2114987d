// Each quote test starts from nothing cached: Date faked at `now` (timers and performance.now stay
// real, so time budgets do too), no snapshot or shop in memory (invalidateQuoteCache() drops both),
// nothing sampled (dropping the shop's network starts its log sampling afresh), no quote log queued
// or stored; and ends with real Date.
// The quote cache and the log sampler read the faked Date (their clock is the system clock): a test
// moves them with `vi.setSystemTime`, never by sleeping.
//
//   beforeEach(() => freshQuoteState(NOW));
//   afterEach(restoreQuoteState);
import { vi } from "vitest";
import { db } from "~/db.server";
import { flushQuoteLogs, invalidateQuoteCache } from "~/services/quotes.server";

export async function freshQuoteState(now: Date): Promise<void> {
  vi.useFakeTimers({ toFake: ["Date"], now });
  invalidateQuoteCache();
  await flushQuoteLogs();
  await db.quoteLog.deleteMany();
}

export function restoreQuoteState(): void {
  vi.useRealTimers();
}
