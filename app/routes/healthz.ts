import { db } from "~/db.server";

// 200 when the database answers, 503 otherwise (load balancers and the demo script poll it).
export async function loader() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "database unavailable" }, { status: 503 });
  }
}
