import { databaseHealth, probeDatabase, startDatabaseProbe } from "~/services/database-health.server";
import { quoteLogQueue } from "~/services/quotes.server";

/** How long the very first request may wait for the very first probe. */
const FIRST_PROBE_WAIT_MS = 250;

// Load balancers, the demo script and people poll it. It answers from memory (the background probe's
// last result, services/database-health.server.ts), so it never waits on the database:
//   200 {"status":"ok"}        the database answers
//   200 {"status":"degraded"}  SQLite: another process holds the write lock; checkout is unaffected
//   503 {"status":"unavailable"} the database does not answer (or no check has finished yet): checkout
//                              answers from memory and backup rates, writes are queued or fail
// with what is wrong in `database.problem`, and the quote logs waiting to be written.
export async function loader() {
  startDatabaseProbe();
  let health = databaseHealth();
  if (health.state === "starting") {
    health = await Promise.race([probeDatabase(), new Promise<typeof health>((r) => setTimeout(() => r(databaseHealth()), FIRST_PROBE_WAIT_MS))]);
  }
  const status = health.state === "ok" ? "ok" : health.state === "locked" ? "degraded" : "unavailable";
  return Response.json(
    { status, database: health, quoteLogs: quoteLogQueue() },
    { status: status === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } },
  );
}
