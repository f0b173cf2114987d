// Helpers for tests that store permits.
/** An ISO date `offset` days from today (UTC). */
export const dayFromToday = (offset: number, now = Date.now()) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
