import type { LoaderFunctionArgs } from "@remix-run/node";
import { timingSafeEqual } from "node:crypto";
import { env } from "~/env.server";
import { jobQueueDepth } from "~/services/jobs/index.server";
import { jobsWaiting, registry } from "~/services/metrics.server";

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

// Prometheus metrics (services/metrics.server.ts) for a scraper presenting `Authorization: Bearer
// <NEARHUB_METRICS_TOKEN>`. Without the token configured the route does not exist (404); a wrong or
// missing token answers 401.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = env().metricsToken;
  if (!token) return new Response("Not Found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const given = request.headers.get("Authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
  if (!same(given, token)) {
    return new Response("Unauthorized: present the metrics token as a Bearer token\n", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": "Bearer" } });
  }
  try {
    const depth = await jobQueueDepth();
    for (const state of ["waiting", "retrying", "running", "dead"] as const) jobsWaiting.set({ state }, depth[state] ?? 0);
  } catch {
    // The database is away: the queue depth keeps its last value; the other metrics still answer.
  }
  return new Response(await registry.metrics(), { status: 200, headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
}
