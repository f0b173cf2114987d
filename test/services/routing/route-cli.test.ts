// `npm run route` as a merchant runs it: scripts/route.ts in a child process (tsx), against this
// test file's own database seeded with the demo marketplace, on a CSV shaped like Shopify's order
// export. The output's per-order lines and totals are asserted, and match the same plan computed
// in process.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { planOrders } from "~/services/routing/decide.server";
import { parseOrderFile } from "~/services/routing/order-file";
import { seedDemoMarketplace } from "../../../prisma/seed/demo";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../../..");
const NOW = "2025-06-10T15:00:00Z";

const CSV = `Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Shipping Method,Shipping Zip,Shipping Province,Shipping Country
#1001,ana@example.com,paid,2025-06-10 10:41:07 -0400,1,"Speckled Stoneware Mug, 12 oz",38.00,KK-MUG-SPK-12,NH:nj-secaucus-dc:STANDARD,11211,NY,US
#1002,ben@example.com,paid,2025-06-10 10:44:51 -0400,1,"Speckled Stoneware Mug, 12 oz",38.00,KK-MUG-SPK-12,Standard,11211,NY,US
#1002,,,,2,"Cobalt Drip Mug, 12 oz",38.00,KK-MUG-CBT-12,,,,
#1003,cy@example.com,paid,2025-06-10 10:50:30 -0400,1,"Mystery item",12.00,NOT-IN-CATALOGUE,Standard,11211,NY,US
`;

let dir: string;
let shopId: string;

async function route(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/route.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent" },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  shopId = (await seedDemoMarketplace(db, { now: new Date(NOW), orderDays: 3 })).shopId;
  dir = mkdtempSync(path.join(tmpdir(), "nearhub-route-"));
  writeFileSync(path.join(dir, "orders_export.csv"), CSV);
  writeFileSync(path.join(dir, "bad.csv"), "Name,Lineitem sku,Lineitem quantity,Shipping Country\n#1,KK-MUG-SPK-12,two,USA\n");
}, 120_000);

describe("npm run route", () => {
  it("prints each order's assignment, the unroutable one with its reason, and the totals of the plan", async () => {
    const decisionsBefore = await db.routingDecision.count(); // the demo seed's routing log
    const { code, stdout, stderr } = await route(["--orders", path.join(dir, "orders_export.csv"), "--now", NOW]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(`Routing plan for nearhub-demo.myshopify.com: 3 orders from orders_export.csv, at 2025-06-10T15:00:00.000Z`);
    expect(lines.find((l) => l.startsWith("#1001"))).toMatch(/^#1001\s+ROUTED\s+[\d.]+ USD\s+nj-secaucus-dc STANDARD/);
    expect(lines.find((l) => l.startsWith("#1002"))).toMatch(/ROUTED/);
    expect(lines.find((l) => l.startsWith("#1003"))).toMatch(/^#1003\s+UNROUTABLE\s+-\s+unroutable: unknown product unknown SKU NOT-IN-CATALOGUE \(unknown SKU: NOT-IN-CATALOGUE\)$/);

    // The totals are the plan's, computed here in process on the same database.
    const parsed = parseOrderFile("orders_export.csv", CSV);
    expect(parsed.errors).toEqual([]);
    expect(parsed.orders.map((o) => [o.id, o.lines.length])).toEqual([["#1001", 1], ["#1002", 2], ["#1003", 1]]);
    const plan = await planOrders({ id: shopId, currency: "USD" }, parsed.orders, { now: Date.parse(NOW) });
    const f = (m: number) => `${(m / 100).toFixed(2)} USD`;
    expect(plan.totals).toMatchObject({ orders: 3, routed: 2, unroutable: 1 });
    expect(stdout).toContain(`Orders: 3  routed: 2  unroutable: 1  shipments: ${plan.totals.shipments}`);
    expect(stdout).toContain(`Landed cost: ${f(plan.totals.landedMinor)}  split penalties: ${f(plan.totals.splitPenaltyMinor)}  total: ${f(plan.totals.totalMinor)}`);
    expect(plan.totals.totalMinor).toBeGreaterThan(0);
    expect(await db.routingDecision.count()).toBe(decisionsBefore); // a plan stores nothing
  }, 90_000);

  it("prints the plan as the open API's RoutingPlan with --json", async () => {
    const { code, stdout } = await route(["--orders", path.join(dir, "orders_export.csv"), "--now", NOW, "--json"]);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.orders.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([["#1001", "ROUTED"], ["#1002", "ROUTED"], ["#1003", "UNROUTABLE"]]);
    expect(plan.orders[0].promise).toMatchObject({ requested: "NH:nj-secaucus-dc:STANDARD", status: "KEPT" });
  }, 90_000);

  it("names every problem of a bad file by line and column, and an unknown shop, with exit codes 1 and 2", async () => {
    const bad = await route(["--orders", path.join(dir, "bad.csv")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 2, column 3 (lineitem quantity): "two" is not a whole number of at least 1');
    expect(bad.stderr).toContain('line 2, column 4 (shipping country): "USA" is not a two-letter country code such as US');
    const noShop = await route(["--orders", path.join(dir, "orders_export.csv"), "--shop", "nobody.myshopify.com"]);
    expect(noShop.code).toBe(2);
    expect(noShop.stderr).toMatch(/no shop nobody\.myshopify\.com/);
    const noFile = await route([]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/--orders FILE is required/);
  }, 90_000);
});
