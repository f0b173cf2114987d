import { readiness } from "~/services/readiness.server";

// Readiness for a load balancer or orchestrator (services/readiness.server.ts): 200 when the database
// answers, every migration is applied and the job worker runs where it should; 503 with what is not.
export async function loader() {
  const r = await readiness();
  return Response.json(r, { status: r.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
