/** Thrown by withDeadline when the promise did not settle in time. */
export class DeadlineExceeded extends Error {}

/**
 * The promise, or a rejection with DeadlineExceeded after `ms` ("<what> took longer than N ms").
 * The promise itself goes on; whoever started it decides what its late result is worth.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (ms <= 0) return Promise.reject(new DeadlineExceeded(`no time left for ${what}`));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`${what} took longer than ${Math.round(ms)} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
