// Time for tests that must not sleep (issue 10, item 12): a clock the test moves by hand, and a
// sleep that records the waits it was asked for and returns at once.
//
//   const clock = manualClock(Date.parse("2025-06-10T15:00:00Z"));
//   const client = createPrismaClient(url, { clock });   // or any factory that takes a Clock
//   clock.advance(1_000);
//
//   const { waits, sleep } = recordingSleep();
//   await adminQuery(admin, QUERY, undefined, schema, { sleep });
//   expect(waits).toEqual([10, 10]);
import type { Clock, Sleep } from "~/services/clock.server";

export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

export function manualClock(start = 0): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      if (!(ms >= 0)) throw new Error(`a manual clock only moves forward (asked for ${ms} ms)`);
      now += ms;
    },
  };
}

/** A sleep that records each wait it is asked for (ms) and returns at once. */
export function recordingSleep(): { waits: number[]; sleep: Sleep } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}
