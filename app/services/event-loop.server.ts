// Long work in a web process gives the event loop back often, so that rate requests, health
// probes and webhooks arriving meanwhile are answered at once. Awaiting a query is not enough:
// better-sqlite3 runs synchronously and Prisma resolves its promises without returning to the
// event loop, so a chain of awaits is one long stretch unless something yields (setImmediate).

/**
 * Lets pending I/O (new requests) and timers run before going on. Twice setImmediate: one callback
 * scheduled from an I/O callback (a request's handler) runs right after it, before the event loop
 * polls for I/O again; the second runs only after that poll.
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** How long one stretch of sliced work runs before it yields. */
export const SLICE_MS = 10;

/** `items.map(fn)`, yielding to the event loop whenever a slice has run for `sliceMs`. */
export async function mapInSlices<T, U>(items: readonly T[], fn: (item: T, index: number) => U, sliceMs = SLICE_MS): Promise<U[]> {
  const out: U[] = [];
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    out.push(fn(items[i], i));
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return out;
}
