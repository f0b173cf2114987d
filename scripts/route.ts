// `npm run route -- --orders FILE [--shop DOMAIN] [--json] [--now ISO]`: where a file of orders
// would ship from over a shop's network and stock in DATABASE_URL (default prisma/dev.db, the
// demo shop), with each order's nodes, services, landed cost and, for orders nothing can serve,
// the reason; then the totals. Nothing is stored and Shopify is not called.
// File formats: docs/routing-cli.md (Shopify's order-export CSV, or RoutingPlanRequest JSON).
// Exit codes: 0 planned (unroutable orders included), 1 bad arguments or file, 2 unknown shop.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

process.env.LOG_LEVEL ??= "warn";

const argsSchema = z.object({
  orders: z.string({ error: "--orders FILE is required" }).min(1, "--orders FILE is required"),
  shop: z.string().trim().min(1).optional(),
  json: z.boolean().default(false),
  now: z.iso.datetime({ offset: true, error: "--now must be an ISO date-time such as 2025-06-10T15:00:00Z" }).optional(),
});

const fmt = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;
const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

async function main(): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: { orders: { type: "string" }, shop: { type: "string" }, json: { type: "boolean" }, now: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    console.error(`route: ${(error as Error).message}`);
    return 1;
  }
  const args = argsSchema.safeParse(values);
  if (!args.success) {
    console.error(`route: ${args.error.issues.map((i) => i.message).join("; ")}`);
    return 1;
  }
  const file = path.resolve(args.data.orders);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    console.error(`route: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const { parseOrderFile } = await import("../app/services/routing/order-file");
  const parsed = parseOrderFile(file, text);
  if (parsed.errors.length) {
    console.error(`route: ${path.basename(file)} has ${parsed.errors.length} problem${parsed.errors.length === 1 ? "" : "s"}:`);
    for (const e of parsed.errors.slice(0, 50)) console.error(`  ${e}`);
    return 1;
  }

  const { db } = await import("../app/db.server");
  const { DEMO_SHOP_DOMAIN } = await import("../app/env.server");
  const { planOrders } = await import("../app/services/routing/decide.server");
  const { toApiRoutingPlan } = await import("../app/services/routing/plan-wire");
  try {
    const domain = args.data.shop ?? DEMO_SHOP_DOMAIN;
    const shop = await db.shop.findUnique({ where: { domain } });
    if (!shop) {
      console.error(`route: no shop ${domain} in ${process.env.DATABASE_URL ?? "prisma/dev.db"} (seed the demo with npm run db:seed, or pass --shop)`);
      return 2;
    }
    const now = args.data.now ? Date.parse(args.data.now) : Date.now();
    const plan = await planOrders(shop, parsed.orders, { now });
    if (args.data.json) {
      console.log(JSON.stringify(toApiRoutingPlan(plan), null, 2));
      return 0;
    }
    const c = plan.currency;
    console.log(`Routing plan for ${domain}: ${plan.orders.length} order${plan.orders.length === 1 ? "" : "s"} from ${path.basename(file)}, at ${new Date(now).toISOString()}`);
    console.log("");
    for (const { input, decision: d, unknownSkus } of plan.orders) {
      if (d.status === "ROUTED") {
        const ships = d.shipments.map((s) => `${s.nodeHandle} ${s.service} ${fmt(s.cost.totalMinor, c)} (${s.lines.map((l) => `${l.quantity}× ${l.sku}`).join(", ")})`).join(" + ");
        const promise = d.promise.status && d.promise.status !== "KEPT" ? `  [promise ${d.promise.status}]` : "";
        console.log(`${pad(input.id, 10)} ROUTED      ${pad(fmt(d.totalMinor, c), 12)} ${ships}${d.splitPenaltyMinor ? ` + split ${fmt(d.splitPenaltyMinor, c)}` : ""}${promise}`);
        const next = d.alternatives[0];
        if (next) console.log(`${" ".repeat(23)}next best: ${next.nodes.join(" + ")} ${fmt(next.costMinor, c)} (${next.lost.map((l) => l.message).join("; ")})`);
      } else {
        const why = d.reasons.filter((r) => !r.startsWith("address placed")).slice(0, 3).join("; ");
        console.log(`${pad(input.id, 10)} UNROUTABLE  ${pad("-", 12)} ${why}${unknownSkus.length ? ` (unknown SKU: ${unknownSkus.join(", ")})` : ""}`);
      }
    }
    const t = plan.totals;
    console.log("");
    console.log(`Orders: ${t.orders}  routed: ${t.routed}  unroutable: ${t.unroutable}  shipments: ${t.shipments}`);
    console.log(`Landed cost: ${fmt(t.landedMinor, c)}  split penalties: ${fmt(t.splitPenaltyMinor, c)}  total: ${fmt(t.totalMinor, c)}`);
    console.log(`Method: ${plan.method} (${plan.methodReason})`);
    for (const w of plan.warnings) console.log(`warning: ${w}`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`route: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
