// `npm run db:seed` (tsx prisma/seed.ts): replaces the demo shop in DATABASE_URL (default
// prisma/dev.db) with a freshly generated marketplace. Safe to run again.
//
//   tsx prisma/seed.ts [--now 2025-11-20T15:00:00Z] [--seed 1001] [--days 365]
//
// --now ends the year of orders (default: the current time); the same --now and --seed give
// the same marketplace.
import { parseArgs } from "node:util";
import { z } from "zod";
import { createPrismaClient, databaseKind, databaseUrl } from "../app/db.server";
import { stopJobWorker } from "../app/services/jobs/index.server";
import { DEMO_DEFAULT_ORDER_DAYS, DEMO_DEFAULT_SEED, DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "./seed/demo";
import { seedDemoPermits } from "./seed/demo-permits";

const argsSchema = z.object({
  now: z.iso
    .datetime({ offset: true, error: "--now must be an ISO date-time such as 2025-11-20T15:00:00Z" })
    .transform((s) => new Date(s))
    .optional(),
  seed: z.coerce.number().int("--seed must be a whole number").optional(),
  days: z.coerce
    .number()
    .int("--days must be a whole number")
    .min(1, "--days must be at least 1")
    .max(1098, "--days must be at most 1098")
    .optional(),
});

async function main() {
  const { values } = parseArgs({
    options: { now: { type: "string" }, seed: { type: "string" }, days: { type: "string" } },
    strict: true,
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  }
  const now = parsed.data.now ?? new Date();
  const seed = parsed.data.seed ?? DEMO_DEFAULT_SEED;
  const orderDays = parsed.data.days ?? DEMO_DEFAULT_ORDER_DAYS;

  const url = databaseUrl();
  const db = createPrismaClient(url);
  try {
    console.log(
      `Seeding ${DEMO_SHOP_DOMAIN} into ${databaseKind(url) === "sqlite" ? url : "PostgreSQL"} ` +
        `(seed ${seed}, ${orderDays} days of orders ending ${now.toISOString()})`,
    );
    const started = performance.now();
    const { shopId, counts: marketplace } = await seedDemoMarketplace(db, { now, seed, orderDays });
    // Licences and permits, one of them lapsed (the robot corridor's): after the history the corridor served.
    const counts = { ...marketplace, ...(await seedDemoPermits(db, { shopId, now })) };
    const ms = Math.round(performance.now() - started);
    console.log(`Demo shop ${shopId}`);
    for (const [name, count] of Object.entries(counts)) console.log(`  ${name.padEnd(12)} ${count}`);
    console.log(`Seeded in ${ms} ms`);
  } finally {
    await db.$disconnect();
    // The seed's routing enqueues jobs: on PostgreSQL that opened pg-boss, which would keep the process up.
    await stopJobWorker();
  }
}

main().catch((error: unknown) => {
  console.error(`Seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
