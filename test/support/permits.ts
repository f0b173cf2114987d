// Helpers for tests that store permits. A permit change enqueues the shop's reminder job
// (permits.remind, services/permits/reminders.server.ts); where that module is not loaded, a
// stand-in that does nothing is defined so the enqueue finds a job (these tests run no jobs).
import { defineJob, jobDefinition } from "~/services/jobs/define.server";

export function ensurePermitReminderJob(): void {
  if (jobDefinition("permits.remind")) return;
  defineJob({
    name: "permits.remind",
    switch: "returns",
    retries: 0,
    backoff: { type: "fixed", delayMs: 0 },
    timeout: 60_000,
    run: async () => undefined,
  });
}

/** An ISO date `offset` days from today (UTC). */
export const dayFromToday = (offset: number, now = Date.now()) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
