// Time, as the parts of the app that keep time-bound state read it. A cache, a sampler or an
// adapter that decides "has long enough passed?" takes a Clock when it is built instead of calling
// Date.now() itself, so a test moves time by moving its clock (or vitest's faked Date, which the
// system clock reads) rather than by sleeping. Waits work the same way: code that spends one takes
// a Sleep, real by default, and a test passes one that records what was asked and returns at once.

export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
}

/** Reads Date.now() on every call: vitest's `useFakeTimers({ toFake: ["Date"] })` moves it. */
export const systemClock: Clock = { now: () => Date.now() };

/** How a wait of `ms` is spent. */
export type Sleep = (ms: number) => Promise<void>;

/** Waits `ms` on a real timer. */
export const realSleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));
