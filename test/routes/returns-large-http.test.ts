// Issue 9, "a large return freezes the whole process", as the red team found it, against the real
// production build (server.mjs in demo mode on this file's database, returns job on): one signed
// returns/request with 1,000 lines took 59.8 s and rate requests sent meanwhile got no answer
// within 30 s; returns/approve and returns/decline on a stored 1,001-line return took over 15 s
// (they now move all 1,001 lines, answered well within Shopify's 5 s).
// Now the webhook is answered as soon as the return is recorded, the decision runs after it a
// slice at a time, and every signed rate request and /healthz probe sent meanwhile (every 200 ms,
// without waiting for the previous answer) must answer within 1 s: the one timed assertion, which
// the issue demands. The machines are shared: the 1 s is on top of the slowest answer the same
// probes got from the idle server just before (the baseline, a few tens of ms on a quiet machine).
// Shopify gives a webhook 5 s to answer. The work behind these timings is asserted without a clock
// in test/services/returns/linear-work.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { seedDemoMarketplace } from "../../prisma/seed/demo";
import { ensureBuild, startDemoServer, type RunningServer } from "../e2e/support/app-server";
import { DEMO_SHOP, knownDemoOrder, largeReturnPayload, postRateRequest, postWebhook, slowest, withProbes, type KnownOrder, type Probes } from "../support/returns-load";

const PROBE_LIMIT_MS = 1_000;
const SHOPIFY_WEBHOOK_TIMEOUT_MS = 5_000;

let server: RunningServer;
let base: string;
let order: KnownOrder;
/** The slowest probe answer of the idle server, measured in beforeAll. */
let baselineMs: number;

beforeAll(async () => {
  await ensureBuild();
  await seedDemoMarketplace(db, { now: new Date(), orderDays: 60 });
  order = await knownDemoOrder(db);
  server = await startDemoServer(process.env.DATABASE_URL!);
  base = server.url;
  // Warm: the network snapshot cached, the code paths compiled, as in a server that has been up a while.
  for (let i = 0; i < 10; i++) expect((await postRateRequest(base)).status).toBe(200);
  const idle = await withProbes(base, () => new Promise((r) => setTimeout(r, 2_000)), { everyMs: 200 });
  baselineMs = Math.max(slowest(idle.probes.rates).ms, slowest(idle.probes.healthz).ms);
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

const lineStatuses = async (gid: string) => {
  const lines = await db.returnLine.groupBy({ by: ["status"], where: { returnCase: { shopifyReturnGid: gid } }, _count: true });
  return Object.fromEntries(lines.map((l) => [l.status, l._count]));
};

async function until(what: string, check: () => Promise<boolean>, limitMs = 120_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`${what}: not within ${limitMs} ms\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every probe answered 200 (rates with rates in them); with `withinMs`, each within it (the slowest named when not).
 * A probe goes out every 200 ms from the start until the tail after the work ends, so a window of at
 * least 800 ms sends more than 3 of each; fewer means the probes themselves did not go out. */
function expectAnswered(probes: Probes, withinMs?: number, since = 0) {
  expect(probes.rates.length).toBeGreaterThan(3);
  for (const [kind, list] of [["rate request", probes.rates], ["/healthz", probes.healthz]] as const) {
    expect(list.filter((t) => t.status !== 200), `${kind}: failed answers`).toEqual([]);
    const late = slowest(list);
    if (withinMs !== undefined) {
      const when = `sent ${Math.round(late.sentAt - since)} ms after the webhook`;
      expect(late.ms, `slowest ${kind} of ${list.length}: ${Math.round(late.ms)} ms, ${when} (idle server: ${Math.round(baselineMs)} ms)`).toBeLessThan(withinMs);
    }
  }
  for (const r of probes.rates) expect((JSON.parse(r.body) as { rates: unknown[] }).rates.length).toBeGreaterThan(0);
}

describe("a 1,000-line return on the built server", () => {
  it("is answered at once and decided on every line, while every rate request and /healthz meanwhile answers within 1 s", async () => {
    const payload = largeReturnPayload(7_100_001, order, 1000);
    let sentAt = 0;
    const { result: answer, probes } = await withProbes(
      base,
      async () => {
        sentAt = performance.now();
        const res = await postWebhook(base, "returns/request", payload);
        await until("the 1,000-line return decided", async () => (await lineStatuses(payload.admin_graphql_api_id)).REQUESTED === undefined);
        return res;
      },
      { everyMs: 200, tailMs: 1_000 },
    );
    expect(answer.status, answer.body).toBe(200);
    expect(answer.ms).toBeLessThan(SHOPIFY_WEBHOOK_TIMEOUT_MS);
    expectAnswered(probes, PROBE_LIMIT_MS + baselineMs, sentAt);

    const c = await db.returnCase.findFirstOrThrow({ where: { shopifyReturnGid: payload.admin_graphql_api_id }, include: { lines: true } });
    expect(c.lines).toHaveLength(1000);
    expect(c.status).not.toBe("REQUESTED");
    // The demo's latest order is days old: its rules refund every line (brought back or kept).
    expect(c.lines.every((l) => ["APPROVED", "KEPT"].includes(l.status) && l.outcome !== null)).toBe(true);
    // The reasons of every line are stored, lines decided alike once (the SKUs repeat).
    const decision = JSON.parse(c.decisionJson) as { lines: { lineIds: string[]; outcome: { code: string } }[] };
    expect(decision.lines.flatMap((l) => l.lineIds).sort()).toEqual(c.lines.map((l) => l.id).sort());
    expect(decision.lines.length).toBeLessThan(c.lines.length);
    // Every line moved by one event of its own, and the rules' event once per line, never more.
    expect(await db.returnEvent.count({ where: { returnId: c.id, idempotencyKey: { startsWith: `decide:${c.id}#` } } })).toBe(1000);
  }, 300_000);
});

describe("returns/approve and returns/decline on stored 1,001-line returns", () => {
  it("move every line, answered within Shopify's 5 s, while rate requests meanwhile are answered", async () => {
    // The merchant decides in Shopify: auto-approve off, so the stored returns stay requested.
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    await db.returnSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, autoApprove: false }, update: { autoApprove: false } });
    const toApprove = largeReturnPayload(7_100_002, order, 1001);
    const toDecline = largeReturnPayload(7_100_003, order, 1001);
    for (const p of [toApprove, toDecline]) {
      expect((await postWebhook(base, "returns/request", p)).status).toBe(200);
      await until("planned", async () => {
        const c = await db.returnCase.findFirst({ where: { shopifyReturnGid: p.admin_graphql_api_id }, select: { decisionJson: true } });
        return c !== null && c.decisionJson !== "{}";
      });
      expect(await lineStatuses(p.admin_graphql_api_id)).toEqual({ REQUESTED: 1001 });
    }

    // The probes go on for a second after the answer, as the moved lines' follow-up work runs then, and
    // so that a fast machine (answered in ~100 ms) still sends enough of them to judge.
    const approved = await withProbes(base, () => postWebhook(base, "returns/approve", { ...toApprove, status: "open" }), { everyMs: 200, tailMs: 1_000 });
    expect(approved.result.status, approved.result.body).toBe(200);
    expect(approved.result.ms).toBeLessThan(SHOPIFY_WEBHOOK_TIMEOUT_MS);
    expectAnswered(approved.probes);
    const afterApprove = await lineStatuses(toApprove.admin_graphql_api_id);
    expect((afterApprove.APPROVED ?? 0) + (afterApprove.KEPT ?? 0)).toBe(1001);

    const declined = await withProbes(
      base,
      () => postWebhook(base, "returns/decline", { ...toDecline, status: "declined", decline: { reason: "other", note: "Declined in Shopify" } }),
      { everyMs: 200, tailMs: 1_000 },
    );
    expect(declined.result.status, declined.result.body).toBe(200);
    expect(declined.result.ms).toBeLessThan(SHOPIFY_WEBHOOK_TIMEOUT_MS);
    expectAnswered(declined.probes);
    expect(await lineStatuses(toDecline.admin_graphql_api_id)).toEqual({ DECLINED: 1001 });
  }, 300_000);
});
