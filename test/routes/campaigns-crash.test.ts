// A campaign change survives the process applying it being killed (issue 17 item 2, "SIGKILL in the
// middle of a campaign change"). Two real app processes (the built server.mjs, connected mode) on one
// PostgreSQL, both running the `campaigns.apply` job; Meta's Graph API is a real HTTP server in this
// test process (test/support/fake-meta-graph.ts, the documented shapes, with state), each process
// pointed at it through META_GRAPH_URL with its own path prefix so every call says who made it:
//  1. a LAUNCH (POST /api/v1/campaigns): Meta creates the campaign, then the ad set, and the answer to
//     the ad set never comes back; the process waiting for it is SIGKILLed. The other takes the job
//     over when its lease runs out and finishes the launch: Meta holds one campaign and one ad set,
//     the LAUNCH change is APPLIED once, the campaign ACTIVE with Meta's ids, and the API never
//     showed it ACTIVE before Meta had answered that process;
//  2. a guardrail PAUSE (the hub's stock runs out; the guard job the inventory webhook enqueues):
//     Meta pauses the ad set and the answer is lost with the process, SIGKILLed; the other applies
//     it again: one effective pause on Meta (ACTIVE → PAUSED once), the PAUSE change APPLIED once,
//     the campaign PAUSED as Meta has it, and never shown PAUSED before Meta answered;
//  3. a LAUNCH cut off after Meta made the campaign, before the ad set: the other process finds the
//     campaign by its name (which carries the Nearhub id) and adds the one ad set to it.
// PostgreSQL only, like test/routes/jobs-two-processes.test.ts: on SQLite the processes share one
// file and the apply job's idempotence is tested in process (test/services/campaigns/*).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createApiKey } from "~/services/api-keys.server";
import { enqueueHubGuards } from "~/services/campaigns/guardrails.server";
import { listJobs, stopJobWorker } from "~/services/jobs/index.server";
import { secrets } from "~/services/secrets.server";
import { ROOT, ensureBuild, freePort, startAppServer, type RunningServer } from "../e2e/support/app-server";
import { seedHub, type SeededHub } from "../services/campaigns/plan-hub.fixture";
import { testDbKind } from "../support/db";
import { startFakeMetaGraph, type FakeMetaGraph, type GraphCall } from "../support/fake-meta-graph";
import { TEST_SHOPIFY } from "../support/shopify";

const SHOP = "campaign-crash.myshopify.com";
const ACT = "act_1029384756";

let tmp: string;
let meta: FakeMetaGraph;
let seeded: SeededHub;
let apiKey: string;
/** Running processes by their label (the path prefix of their Meta calls). */
const running = new Map<string, RunningServer>();
const all: RunningServer[] = [];

async function start(label: string): Promise<RunningServer> {
  const port = await freePort();
  const server = await startAppServer({
    databaseUrl: process.env.DATABASE_URL!,
    demo: false,
    port,
    preload: path.join(ROOT, "test/support/fake-shopify-fetch.mjs"),
    env: {
      SHOPIFY_API_KEY: TEST_SHOPIFY.apiKey,
      SHOPIFY_API_SECRET: TEST_SHOPIFY.apiSecret,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      NEARHUB_ENCRYPTION_KEY: TEST_SHOPIFY.encryptionKey,
      HOST: "127.0.0.1",
      META_APP_ID: "1234567890",
      META_APP_SECRET: "meta-app-secret-for-tests",
      META_API_VERSION: "v26.0",
      META_GRAPH_URL: meta.baseFor(label),
      // Only the campaigns' jobs (the "insights" switch) run here.
      NEARHUB_COURIER_QUOTES: "0",
      NEARHUB_RETURNS_JOB: "0",
      NEARHUB_ROUTING_JOB: "0",
      NEARHUB_CATALOG_JOB: "0",
      NEARHUB_ORDERS_JOB: "0",
      NEARHUB_PERMITS_JOB: "0",
      NEARHUB_DELIVERIES_JOB: "0",
      // A killed worker's job is failed after 10 s without a heartbeat and retried within a second.
      NEARHUB_JOBS_POLL_MS: "500",
      NEARHUB_JOBS_LEASE_SECONDS: "10",
      NEARHUB_JOBS_SUPERVISE_SECONDS: "1",
      NEARHUB_JOBS_MAX_RETRY_DELAY_SECONDS: "1",
      NEARHUB_FAKE_SHOPIFY_LOG: path.join(tmp, `shopify-${label}.jsonl`),
      LOG_LEVEL: "warn",
    },
  });
  running.set(label, server);
  all.push(server);
  return server;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const outputs = [...running.entries()].map(([l, s]) => `${l}: ${s.output().slice(-2000)}`).join("\n---\n");
      throw new Error(`timed out waiting for ${what}\nMeta calls: ${meta.calls.map((c) => `${c.proc} ${c.method} ${c.path}`).join(", ")}\n${outputs}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Seen {
  /** When the answer was read: what it says was true of the database by then. */
  at: number;
  status: string;
  wantStatus: string;
}

/** Reads GET /api/v1/campaigns/{id} from every running process, over and over, until stopped. */
function watchApi(campaignId: string) {
  const seen: Seen[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const server of [...running.values()]) {
        try {
          const res = await fetch(`${server.url}/api/v1/campaigns/${campaignId}`, { headers: { Authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(5_000) });
          if (res.ok) {
            const body = (await res.json()) as { status: string; wantStatus: string };
            seen.push({ at: Date.now(), status: body.status, wantStatus: body.wantStatus });
          }
        } catch {
          // A process being killed: the next one answers.
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    seen,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** GET /api/v1/campaigns/{id} from one process. */
async function readApi(server: RunningServer, campaignId: string): Promise<{ status: string; wantStatus: string }> {
  const res = await fetch(`${server.url}/api/v1/campaigns/${campaignId}`, { headers: { Authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; wantStatus: string };
}

/** Waits for the hanging call (meta.hung[index]), SIGKILLs the process that made it, and says which one survived. */
async function killTheHungProcess(index: number): Promise<{ killed: string; hung: GraphCall; survivors: string[] }> {
  const hung = await until("a process stuck in a Meta call", async () => meta.hung[index]);
  const victim = running.get(hung.proc);
  if (!victim) throw new Error(`the hung call came from ${hung.proc}, which is not running`);
  running.delete(hung.proc);
  const exited = new Promise((r) => victim.child.once("exit", r));
  victim.child.kill("SIGKILL");
  await exited;
  return { killed: hung.proc, hung, survivors: [...running.keys()] };
}

describe.skipIf(testDbKind() !== "postgresql")("a campaign change when the process applying it is SIGKILLed (two processes, PostgreSQL)", () => {
  let campaignId: string;

  beforeAll(async () => {
    await ensureBuild();
    tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-campaign-crash-"));
    meta = await startFakeMetaGraph({ currency: "USD", minDailyBudgetMinor: 150 });
    // The hub is open around the clock with a 23:59 cut-off: the real clock the processes read can launch.
    seeded = await seedHub(db, SHOP, Date.now(), { allDay: true });
    apiKey = (await createApiKey(seeded.shop.id, "crash test")).key;
    await db.adConnection.create({
      data: {
        shopId: seeded.shop.id,
        platform: "META",
        accountId: ACT,
        accountName: "Crash ads",
        currency: "USD",
        timezone: "America/New_York",
        accessToken: secrets().seal("EAAB-crash-test-token", `AdConnection.accessToken:${seeded.shop.id}:META`),
        tokenExpiresAt: new Date(Date.now() + 50 * 86_400_000),
      },
    });
    await Promise.all([start("A"), start("B")]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(all.map((s) => s.stop()));
    await stopJobWorker();
    await meta?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("launches once on Meta when the process creating it dies before Meta's answer", async () => {
    // Meta makes the ad set, and its answer is lost with the process waiting for it.
    const hungBefore = meta.hung.length;
    meta.hangOnce((c) => c.method === "POST" && c.path === `${ACT}/adsets`);
    const res = await fetch(`${running.get("A")!.url}/api/v1/campaigns`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ nodeId: seeded.hub.id, platform: "META" }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const launched = (await res.json()) as { id: string; status: string };
    campaignId = launched.id;
    expect(launched.status).toBe("DRAFT");
    const watch = watchApi(campaignId);

    const { killed, survivors } = await killTheHungProcess(hungBefore);
    const change = await db.campaignChange.findFirstOrThrow({ where: { shopId: seeded.shop.id, campaignId, action: "LAUNCH" } });
    expect(change.state).toBe("PENDING");
    await until("the launch applied by the other process", async () => (await db.campaignChange.findUniqueOrThrow({ where: { id: change.id } })).state === "APPLIED");
    await watch.stop();

    // Meta: one campaign, one ad set (the killed attempt's), running.
    const made = [...meta.campaigns.values()].filter((c) => !c.deleted);
    expect(made, JSON.stringify(meta.calls.map((c) => `${c.proc} ${c.method} ${c.path}`))).toHaveLength(1);
    expect([...meta.adSets.values()]).toHaveLength(1);
    const [adSet] = [...meta.adSets.values()];
    expect(adSet.campaignId).toBe(made[0].id);
    const creates = meta.calls.filter((c) => c.method === "POST" && c.path === `${ACT}/campaigns` && !c.body?.execution_options);
    expect(creates.map((c) => c.proc)).toEqual([killed]);

    // Nearhub: the change APPLIED once, the campaign as Meta has it, with Meta's ids.
    const changes = await db.campaignChange.findMany({ where: { shopId: seeded.shop.id, campaignId } });
    expect(changes.map((c) => `${c.action} ${c.state}`)).toEqual(["LAUNCH APPLIED"]);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign).toMatchObject({ status: adSet.status, remoteCampaignId: made[0].id, remoteAdSetId: adSet.id });
    expect(campaign.status).toBe("ACTIVE");
    const job = (await listJobs({ name: "campaigns.apply", key: change.id, states: ["completed"] }))[0];
    expect(job).toMatchObject({ attempts: 2 }); // the killed attempt, taken over

    // The API never said ACTIVE before Meta answered the process that finished it: every read
    // completed before Meta's first answer to that process says DRAFT.
    const firstAnswer = Math.min(...meta.calls.filter((c) => survivors.includes(c.proc) && c.answeredAt !== null && c.at > meta.hung[0].at).map((c) => c.answeredAt!));
    expect(Number.isFinite(firstAnswer)).toBe(true);
    const early = watch.seen.filter((s) => s.at < firstAnswer);
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((s) => s.status === "DRAFT" && s.wantStatus === "ACTIVE"), JSON.stringify(early)).toBe(true);
    expect(await readApi(running.get(survivors[0])!, campaignId)).toMatchObject({ status: "ACTIVE", wantStatus: "ACTIVE" });
    console.info(
      `campaign crash, launch: killed ${killed} mid ad set; Meta calls ${meta.calls.length}, campaigns ${made.length}, ad sets ${meta.adSets.size}; API reads ${watch.seen.length} (${early.length} before Meta answered, all DRAFT)`,
    );
    // Two processes again for the next change.
    await start("C");
  }, 240_000);

  it("pauses once on Meta, and says so only after Meta answered, when the process pausing it dies mid-call", async () => {
    const adSetId = (await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).remoteAdSetId!;
    const callsBefore = meta.calls.length;
    const hungBefore = meta.hung.length;
    meta.hangOnce((c) => c.method === "POST" && c.path === adSetId && c.body?.status === "PAUSED");
    const watch = watchApi(campaignId);
    // The hub's stock runs out; the inventory webhook's transaction enqueues the hub's guard job.
    await db.$transaction(async (tx) => {
      await tx.stockLevel.updateMany({ where: { shopId: seeded.shop.id, nodeId: seeded.hub.id }, data: { available: 0 } });
      expect(await enqueueHubGuards(tx, seeded.shop.id, [seeded.hub.id])).toBe(1);
    });

    const { killed, hung, survivors } = await killTheHungProcess(hungBefore);
    const pause = await db.campaignChange.findFirstOrThrow({ where: { shopId: seeded.shop.id, campaignId, action: "PAUSE" } });
    expect(pause).toMatchObject({ actor: "GUARDRAIL", state: "PENDING" });
    await until("the pause applied by the other process", async () => (await db.campaignChange.findUniqueOrThrow({ where: { id: pause.id } })).state === "APPLIED");
    await watch.stop();

    // Meta: the ad set paused once (the killed call took effect; the retry set what it already was).
    expect(meta.transitions.filter((t) => t.adSetId === adSetId)).toEqual([{ adSetId, from: "ACTIVE", to: "PAUSED", proc: killed }]);
    const pauseCalls = meta.calls.slice(callsBefore).filter((c) => c.method === "POST" && c.path === adSetId);
    expect(pauseCalls.every((c) => c.body?.status === "PAUSED")).toBe(true);
    expect(meta.adSets.get(adSetId)!.status).toBe("PAUSED");

    // Nearhub: one PAUSE, APPLIED; the campaign PAUSED as Meta has it.
    const changes = await db.campaignChange.findMany({ where: { shopId: seeded.shop.id, campaignId }, orderBy: { createdAt: "asc" } });
    expect(changes.map((c) => `${c.action} ${c.state}`)).toEqual(["LAUNCH APPLIED", "PAUSE APPLIED"]);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign.status).toBe(meta.adSets.get(adSetId)!.status);
    expect(campaign.wantStatus).toBe("PAUSED");
    const job = (await listJobs({ name: "campaigns.apply", key: pause.id, states: ["completed"] }))[0];
    expect(job).toMatchObject({ attempts: 2 });

    // Never shown PAUSED before Meta answered a pause (the killed process's answer never came):
    // every read completed before Meta's first answer to the process that finished it says ACTIVE.
    const answered = meta.calls.slice(callsBefore).filter((c) => survivors.includes(c.proc) && c.path === adSetId && c.answeredAt !== null && c.at > hung.at);
    expect(answered.length).toBeGreaterThan(0);
    const firstAnswer = Math.min(...answered.map((c) => c.answeredAt!));
    const early = watch.seen.filter((s) => s.at < firstAnswer);
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((s) => s.status === "ACTIVE"), JSON.stringify(early)).toBe(true);
    expect(early.some((s) => s.wantStatus === "PAUSED")).toBe(true);
    for (const server of running.values()) expect(await readApi(server, campaignId)).toMatchObject({ status: "PAUSED", wantStatus: "PAUSED" });
    console.info(
      `campaign crash, pause: killed ${killed} mid pause; pause requests ${pauseCalls.length}, effective ${meta.transitions.length}; API reads ${watch.seen.length} (${early.length} before Meta answered, all ACTIVE)`,
    );
  }, 240_000);

  it("completes, with its one ad set, a launch whose process died after Meta made the campaign", async () => {
    // Stock back at the hub, so that it can launch again; Meta makes the campaign and its answer is lost.
    const [tee, tote, mug] = seeded.products;
    for (const [product, units] of [[tee, 40], [tote, 25], [mug, 1]] as const) {
      await db.stockLevel.updateMany({ where: { shopId: seeded.shop.id, nodeId: seeded.hub.id, productId: product.id }, data: { available: units } });
    }
    const hungBefore = meta.hung.length;
    meta.hangOnce((c) => c.method === "POST" && c.path === `${ACT}/campaigns` && !c.body?.execution_options);
    const callsBefore = meta.calls.length;
    const res = await fetch(`${[...running.values()][0].url}/api/v1/campaigns`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ nodeId: seeded.hub.id, platform: "META" }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const second = ((await res.json()) as { id: string }).id;
    if (running.size < 2) await start("D");
    const { killed, survivors } = await killTheHungProcess(hungBefore);
    const change = await db.campaignChange.findFirstOrThrow({ where: { shopId: seeded.shop.id, campaignId: second, action: "LAUNCH" } });
    await until("the second launch applied by the other process", async () => (await db.campaignChange.findUniqueOrThrow({ where: { id: change.id } })).state === "APPLIED");

    // Meta: one campaign under this launch's name (it carries the Nearhub id), one ad set on it.
    const mine = [...meta.campaigns.values()].filter((c) => c.name.includes(second) && !c.deleted);
    expect(mine).toHaveLength(1);
    const adSets = [...meta.adSets.values()].filter((a) => a.campaignId === mine[0].id);
    expect(adSets).toHaveLength(1);
    // (A guardrail check may resume the first campaign meanwhile, the stock being back: not this launch's.)
    const sent = meta.calls.slice(callsBefore).filter((c) => c.method === "POST" && [`${ACT}/campaigns`, `${ACT}/adsets`].includes(c.path) && !c.body?.execution_options);
    expect(sent.map((c) => `${c.proc === killed ? "killed" : "survivor"} ${c.method} ${c.path}`)).toEqual([`killed POST ${ACT}/campaigns`, `survivor POST ${ACT}/adsets`]);
    expect(survivors).toContain(sent[1].proc);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: second } });
    expect(campaign).toMatchObject({ status: "ACTIVE", remoteCampaignId: mine[0].id, remoteAdSetId: adSets[0].id });
    expect(adSets[0].status).toBe("ACTIVE");
    console.info(`campaign crash, launch cut after the campaign: killed ${killed}; Meta campaigns ${mine.length}, ad sets ${adSets.length}, requests that made something ${sent.length}`);
  }, 240_000);
});
