// The Activity page called as Remix calls it (demo mode, real Requests), on both databases: the
// shop's jobs by state with their message, a dead letter tried again by its button, and nothing of
// another shop's jobs shown or retried.
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import * as page from "~/routes/app.activity";
import { activityRow } from "~/services/activity.server";
import { defineJob, drainJobs, enqueue, listJobs } from "~/services/jobs/index.server";
import { ensureShop } from "~/services/shops.server";
import { makeShop } from "../support/factories";

let failing = true;
const flaky = defineJob<{ shopId: string; orderGid: string }>({
  name: "routing.order", // the real name, so the page labels it; a test run, not the app's
  switch: "routing",
  retries: 1,
  backoff: { type: "fixed", delayMs: 0 },
  timeout: 10_000,
  run: async () => {
    if (failing) throw new Error("Shopify answered 502 Bad Gateway");
  },
});

async function call(fn: typeof page.loader | typeof page.action, form?: Record<string, string>) {
  let body: FormData | undefined;
  if (form) {
    body = new FormData();
    for (const [k, v] of Object.entries(form)) body.append(k, v);
  }
  const request = new Request("http://127.0.0.1:3000/app/activity", form ? { method: "POST", body } : {});
  const out = (await fn({ request, params: {}, context: {} })) as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (out && out.type === "DataWithResponseInit") return { status: out.init?.status ?? 200, body: out.data as { ok: boolean; message: string } };
  return { status: 200, body: out as unknown as Awaited<ReturnType<typeof page.loader>> };
}

let demoId: string;
let otherId: string;

beforeAll(async () => {
  demoId = (await ensureShop(DEMO_SHOP_DOMAIN, { name: "Nearhub Demo Market" })).id;
  otherId = (await makeShop(db)).id;
  await enqueue(db, flaky, { shopId: demoId, orderGid: "gid://shopify/Order/1042" }, { key: "gid://shopify/Order/1042" });
  await enqueue(db, flaky, { shopId: otherId, orderGid: "gid://shopify/Order/7" }, { key: "gid://shopify/Order/7" });
  await drainJobs({ names: ["routing.order"] });
});

describe("Activity", () => {
  it("says when in the shop's zone, with the zone's name (winter and summer time)", () => {
    const job = (finishedAt: Date) => ({
      id: "j1", name: "routing.order", key: "k", state: "completed" as const, attempts: 1, maxAttempts: 3,
      createdAt: finishedAt, startedAt: finishedAt, finishedAt, runAt: null, lastError: null, payload: {}, requestId: null,
    });
    expect(activityRow(job(new Date("2026-12-03T14:05:00Z")), "America/New_York").when).toBe("Dec 3, 2026, 9:05 AM EST");
    expect(activityRow(job(new Date("2026-07-03T14:05:00Z")), "America/Chicago").when).toBe("Jul 3, 2026, 9:05 AM CDT");
    const waiting = { ...job(new Date("2026-12-03T14:05:00Z")), state: "retrying" as const, runAt: new Date("2026-12-03T14:10:00Z") };
    expect(activityRow(waiting, "America/New_York").when).toBe("next try Dec 3, 2026, 9:10 AM EST");
  });

  it("shows the shop's dead letter with its message and order, and none of another shop's", async () => {
    const { body } = await call(page.loader);
    const view = body as Awaited<ReturnType<typeof page.loader>>;
    expect(view.dead).toEqual([
      expect.objectContaining({ label: "Route a paid order", subject: "Order #1042", stateLabel: "Gave up", attempts: "attempt 2 of 2", lastError: "Shopify answered 502 Bad Gateway" }),
    ]);
    expect(JSON.stringify(view)).not.toContain("Order/7");
    expect(view.schedules.map((s) => s.name)).toEqual(expect.arrayContaining(["returns.sweep", "routing.retry", "courier-quotes.prefetch"]));
  });

  it("tries a dead letter again from its button; another shop's cannot be", async () => {
    const [theirs] = await listJobs({ shopId: otherId, states: ["dead"] });
    const refused = await call(page.action, { intent: "retry", name: "routing.order", id: theirs.id });
    expect(refused.status).toBe(409);
    expect((await listJobs({ shopId: otherId, states: ["dead"] })).map((j) => j.id)).toEqual([theirs.id]);

    const [mine] = await listJobs({ shopId: demoId, states: ["dead"] });
    failing = false;
    const retried = await call(page.action, { intent: "retry", name: "routing.order", id: mine.id });
    expect(retried).toMatchObject({ status: 200, body: { ok: true } });
    await drainJobs({ names: ["routing.order"] });
    const view = (await call(page.loader)).body as Awaited<ReturnType<typeof page.loader>>;
    expect(view.dead).toEqual([]);
    expect(view.recent.map((r) => [r.subject, r.stateLabel])).toContainEqual(["Order #1042", "Done"]);
    expect((await call(page.action, { intent: "nonsense" })).status).toBe(400);
  });
});
