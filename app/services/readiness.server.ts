// Whether this process is ready for traffic (/readyz), as a load balancer or an orchestrator asks
// before sending requests: the database answers (the background probe's last result, never a wait),
// every migration this build ships is applied, and the job engine's worker runs when this process
// is meant to run jobs (NEARHUB_JOBS). /healthz says only that the process is up.
import { readdirSync } from "node:fs";
import path from "node:path";
import { databaseKind, databaseUrl, db } from "~/db.server";
import { env } from "~/env.server";
import { databaseHealth } from "./database-health.server";
import { enabledJobs, jobWorkerStatus } from "./jobs/index.server";

export interface Readiness {
  ready: boolean;
  database: { ok: boolean; state: string; problem: string | null };
  migrations: { ok: boolean; pending: string[]; problem: string | null };
  jobs: { ok: boolean; expected: boolean; running: boolean };
}

/** The migrations this build ships for the database it runs on. */
function shippedMigrations(root = process.cwd()): string[] {
  const dir = databaseKind(databaseUrl()) === "postgresql" ? path.join(root, "prisma", "pg", "migrations") : path.join(root, "prisma", "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

let migrationsCurrent = false;

async function pendingMigrations(): Promise<string[]> {
  const shipped = shippedMigrations();
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((r) => String(r.name)));
  return shipped.filter((m) => !applied.has(m));
}

export async function readiness(): Promise<Readiness> {
  const health = databaseHealth();
  const database = { ok: health.state === "ok" || health.state === "locked", state: health.state, problem: health.problem };
  let migrations: Readiness["migrations"] = { ok: migrationsCurrent, pending: [], problem: null };
  // Once current, they stay current for this build: the check then costs nothing.
  if (!migrationsCurrent && database.ok) {
    try {
      const pending = await pendingMigrations();
      migrationsCurrent = pending.length === 0;
      migrations = { ok: migrationsCurrent, pending, problem: pending.length ? `${pending.length} migration(s) not applied: run npm run db:prepare` : null };
    } catch (error) {
      migrations = { ok: false, pending: [], problem: `could not read the applied migrations: ${(error as Error).message.split("\n")[0]}` };
    }
  } else if (!migrationsCurrent) {
    migrations = { ok: false, pending: [], problem: "not checked: the database does not answer" };
  }
  const expected = env().jobs.worker && enabledJobs().length > 0;
  const { running } = jobWorkerStatus();
  const jobs = { ok: !expected || running, expected, running };
  return { ready: database.ok && migrations.ok && jobs.ok, database, migrations, jobs };
}
