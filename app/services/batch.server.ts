// Queries over a list of values of any length ("ids in a list"): one statement per batch.
//
// Prisma refuses a statement with more bound values than it allows the database (P2029, "The query
// parameter limit supported by your database is exceeded"): 999 on SQLite and 32,766 on PostgreSQL.
// The SQLite figure is Prisma's own constant for the provider, not SQLite's: the better-sqlite3 build
// here takes 32,766 (SQLite's default since 3.32). Prisma binds one value per entry of an `in` list
// plus every other value of the statement (the shop id, other conditions, and one more of its own:
// measured here, 499 ids and the shop id already fail), and splits only the simplest statements
// itself. A list we double (an id and its gid form, as Nearhub stores both) costs two per id: so
// customers/redact failed at 498 order ids (2 × 498 + the customer's 2 + the shop id + 1 = 1,000).
//
// Every `in:` list built from input or from an unbounded query goes through inBatches.

/** Values per statement: far under SQLite's 999 with room for the rest of the statement. */
export const BATCH_SIZE = 400;

/**
 * Runs `run` for consecutive batches of the distinct `values`, one after the other (inside a
 * transaction, SQLite runs one statement at a time anyway), and returns the batches' results in order.
 * `perValue` is how many bound values one entry costs the statement (2 for an id and its gid form).
 */
export async function inBatches<T, R>(values: Iterable<T>, run: (batch: T[]) => Promise<R>, opts: { perValue?: number } = {}): Promise<R[]> {
  const distinct = [...new Set(values)];
  const size = Math.max(1, Math.floor(BATCH_SIZE / Math.max(1, opts.perValue ?? 1)));
  const results: R[] = [];
  for (let i = 0; i < distinct.length; i += size) results.push(await run(distinct.slice(i, i + size)));
  return results;
}

/** inBatches for findMany: the rows of every batch, in batch order. */
export async function findInBatches<T, Row>(values: Iterable<T>, find: (batch: T[]) => Promise<Row[]>, opts: { perValue?: number } = {}): Promise<Row[]> {
  return (await inBatches(values, find, opts)).flat();
}
