// The returns admin pages called as Remix calls them: real Requests to the real loaders and
// actions, in demo mode, against this file's database with the demo marketplace and its seeded
// returns. State changes go through the returns use cases (ReturnEvent rows prove it); a refused
// change reports its reason per row; another shop's return is a 404 for every route.
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import { db } from "~/db.server";
import * as queue from "~/routes/app.returns._index";
import * as detail from "~/routes/app.returns.$id";
import * as rulesPage from "~/routes/app.returns.rules";
import * as analytics from "~/routes/app.returns.analytics";
import * as settingsPage from "~/routes/app.returns.settings";
import { aggregate, caseStates, getReturnCase } from "~/services/returns/repository.server";
import { getReturnSettings, policyFor } from "~/services/return-settings.server";
import { testReturnRules } from "~/services/returns-admin.server";
import { planReturnForApi } from "~/services/open-api/returns.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { makeShop } from "../support/factories";

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
type Form = Record<string, string | string[]>;
interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(fn: Fn, path: string, params: Record<string, string> = {}, form?: Form): Promise<Outcome> {
  let body: FormData | undefined;
  if (form) {
    body = new FormData();
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  }
  const request = new Request(`http://127.0.0.1:3000${path}`, form ? { method: "POST", body } : {});
  try {
    const out = await fn({ request, params, context: {} });
    if (out instanceof Response) return { status: out.status, body: null };
    const d = out as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (d && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, body: d.data };
    return { status: 200, body: out };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    throw thrown;
  }
}

let shopId: string;
const caseIn = async (status: string) => {
  const c = await db.returnCase.findFirst({ where: { shopId, status }, include: { lines: true }, orderBy: { requestedAt: "asc" } });
  if (!c) throw new Error(`no seeded return in ${status}`);
  return c;
};

beforeAll(async () => {
  const seeded = await seedDemoMarketplace(db, { now: new Date(), orderDays: 70 });
  shopId = seeded.shopId;
  expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).domain).toBe(DEMO_SHOP_DOMAIN);
}, 120_000);

describe("demo returns seed", () => {
  it("has returns in every state, each return's status the aggregate of its lines' machines", async () => {
    const cases = await db.returnCase.findMany({ where: { shopId }, include: { lines: true } });
    const statuses = new Set(cases.map((c) => c.status));
    for (const s of ["REQUESTED", "APPROVED", "DECLINED", "KEPT", "IN_TRANSIT", "RECEIVED", "RESTOCKED", "REFURBISHING", "DISPOSED", "RESOLD"]) {
      expect(statuses, s).toContain(s);
    }
    for (const c of cases) {
      const agg = aggregate(caseStates(await getReturnCase(shopId, c.id)));
      expect(c.status).toBe(agg.status);
      expect(c.inspectionDueAt?.getTime() ?? null).toBe(agg.inspectionDueAt?.getTime() ?? null);
      expect(c.refundedMinor).toBe(agg.refundedMinor);
    }
    const events = await db.returnEvent.count({ where: { shopId } });
    expect(events).toBeGreaterThan(cases.length);
  });
});

describe("queue", () => {
  it("lists returns most urgent first, with overdue ones marked and their countdown in words", async () => {
    const res = await call(queue.loader as Fn, "/app/returns");
    expect(res.status).toBe(200);
    const rows = res.body.rows as { status: string; countdown: { status: string; text: string }; hubName: string | null }[];
    expect(rows.length).toBeGreaterThan(30);
    const overdue = rows.filter((r) => r.countdown.status === "overdue");
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    expect(overdue[0].countdown.text).toMatch(/^overdue by \d+/);
    expect(rows[0].countdown.status).toBe("overdue");
    expect(rows.some((r) => /^due in \d+ (h|min)$/.test(r.countdown.text))).toBe(true);
    // Every return has its hub, but those the customer keeps: nothing travels back.
    expect(rows.every((r) => (r.status === "kept") === (r.hubName === null))).toBe(true);
    expect(rows.some((r) => r.status === "kept")).toBe(true);
  });

  it("filters by hub and by state", async () => {
    const received = await caseIn("RECEIVED");
    const hubId = received.destinationNodeId!;
    const res = await call(queue.loader as Fn, `/app/returns?hub=${hubId}&state=received`);
    const rows = res.body.rows as { hubId: string; status: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.hubId === hubId && r.status === "received")).toBe(true);
    const all = await call(queue.loader as Fn, "/app/returns?state=nonsense");
    expect(all.body.filters.state).toBeNull();
  });

  it("bulk approve: the requested return is approved through the use case, the received one is refused with its reason", async () => {
    const requested = await caseIn("REQUESTED");
    const received = await caseIn("RECEIVED");
    const form = { intent: "approve", ids: [requested.id, received.id], requestId: "bulk-test-0001" };
    const res = await call(queue.action as Fn, "/app/returns", {}, form);
    expect(res.status).toBe(200);
    const results = res.body.results as { returnId: string; ok: boolean; message: string }[];
    expect(results.find((r) => r.returnId === requested.id)).toMatchObject({ ok: true, message: "Now approved" });
    const refused = results.find((r) => r.returnId === received.id)!;
    expect(refused.ok).toBe(false);
    // The life cycle's own sentence, naming the first line it refused (lines are taken in id order).
    const firstLine = [...received.lines].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    expect(firstLine.status).toBe("RECEIVED");
    expect(refused.message).toBe(`Cannot approve return ${received.id}/${firstLine.id}: it is received; only a return that is requested can be approved.`);

    const after = await db.returnCase.findUniqueOrThrow({ where: { id: requested.id }, include: { lines: true } });
    expect(after.status).toBe("APPROVED");
    expect(after.lines.every((l) => l.status === "APPROVED")).toBe(true);
    expect(after.refundedMinor).toBe(after.lines.reduce((t, l) => t + l.valueMinor * l.quantity, 0));
    expect(await db.returnEvent.count({ where: { returnId: requested.id, type: "APPROVE", payloadJson: { contains: '"source":"admin"' } } })).toBe(after.lines.length);
    expect((await db.returnCase.findUniqueOrThrow({ where: { id: received.id } })).status).toBe("RECEIVED");

    // The same form sent again (a double tap) changes nothing.
    const again = await call(queue.action as Fn, "/app/returns", {}, form);
    expect(again.body.results.find((r: { returnId: string }) => r.returnId === requested.id).message).toMatch(/Already done/);
    expect(await db.returnEvent.count({ where: { returnId: requested.id, type: "APPROVE" } })).toBe(after.lines.length);
  });

  it("bulk receive starts the hub's inspection clock", async () => {
    const transit = await caseIn("IN_TRANSIT");
    const res = await call(queue.action as Fn, "/app/returns", {}, { intent: "receive", ids: [transit.id], requestId: "bulk-test-0002" });
    expect(res.body.results[0]).toMatchObject({ ok: true, message: "Now received" });
    const after = await db.returnCase.findUniqueOrThrow({ where: { id: transit.id } });
    expect(after.status).toBe("RECEIVED");
    expect(after.inspectionDueAt!.getTime() - after.receivedAt!.getTime()).toBe(48 * 3600_000);
  });

  it("refuses an empty selection with a message", async () => {
    const res = await call(queue.action as Fn, "/app/returns", {}, { intent: "approve", requestId: "bulk-test-0003" });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("Tick at least one return");
  });
});

describe("inspection", () => {
  it("shows a received return with its lines and history", async () => {
    const received = await caseIn("RECEIVED");
    const res = await call(detail.loader as Fn, `/app/returns/${received.id}`, { id: received.id });
    expect(res.status).toBe(200);
    expect(res.body.detail.lines[0].status).toBe("received");
    expect(res.body.detail.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(["APPROVE", "SHIP", "RECEIVE"]));
  });

  it("refuses grade D back on the shelf next to the disposition field, and writes nothing", async () => {
    const received = await caseIn("RECEIVED");
    const line = received.lines[0];
    const res = await call(detail.action as Fn, `/app/returns/${received.id}`, { id: received.id }, {
      intent: "inspect",
      lineId: line.id,
      grade: "D",
      disposition: "RESTOCK",
      note: "",
      requestId: "inspect-test-0001",
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.disposition).toMatch(/grade D item is not resellable/);
    expect((await db.returnLine.findUniqueOrThrow({ where: { id: line.id } })).status).toBe("RECEIVED");
  });

  it("inspects a line (grade A, restock) through the use case: the line is restocked at its hub, the note kept in its history", async () => {
    const received = await caseIn("RECEIVED");
    const line = received.lines[0];
    const res = await call(detail.action as Fn, `/app/returns/${received.id}`, { id: received.id }, {
      intent: "inspect",
      lineId: line.id,
      grade: "A",
      disposition: "RESTOCK",
      note: "Tags still on",
      requestId: "inspect-test-0002",
    });
    expect(res.status).toBe(200);
    expect(res.body.result.ok).toBe(true);
    const after = await db.returnLine.findUniqueOrThrow({ where: { id: line.id } });
    expect(after).toMatchObject({ status: "RESTOCKED", grade: "A", disposition: "RESTOCK" });
    const shown = await call(detail.loader as Fn, `/app/returns/${received.id}`, { id: received.id });
    const inspect = shown.body.detail.events.find((e: { type: string }) => e.type === "INSPECT");
    expect(inspect.note).toBe("Tags still on");
    expect(shown.body.detail.events.at(-1)).toMatchObject({ type: "RESTOCK", toStatus: "RESTOCKED" });

    // Inspecting it again is refused with the life cycle's reason.
    const again = await call(detail.action as Fn, `/app/returns/${received.id}`, { id: received.id }, {
      intent: "inspect",
      lineId: line.id,
      grade: "B",
      disposition: "RESTOCK",
      note: "",
      requestId: "inspect-test-0003",
    });
    expect(again.status).toBe(409);
    expect(again.body.errors.form).toBe(`Cannot inspect return ${received.id}/${line.id}: it is restocked; only a return that is received can be inspected.`);
  });
});

describe("inspection of a return with several items", () => {
  it("moves the inspected item and says the return waits for the others", async () => {
    const cases = await db.returnCase.findMany({ where: { shopId, status: "RECEIVED", lines: { every: { status: "RECEIVED" } } }, include: { lines: true } });
    const pair = cases.find((c) => c.lines.length === 2)!;
    expect(pair).toBeDefined();
    const res = await call(detail.action as Fn, `/app/returns/${pair.id}`, { id: pair.id }, {
      intent: "inspect",
      lineId: pair.lines[0].id,
      grade: "C",
      disposition: "REFURBISH",
      note: "",
      requestId: "inspect-test-pair-1",
    });
    expect(res.body.result.message).toBe("Now being refurbished; the return as a whole stays received until its other items catch up");
    expect((await db.returnCase.findUniqueOrThrow({ where: { id: pair.id } })).status).toBe("RECEIVED");
  });
});

describe("shop isolation", () => {
  it("another shop's return id is a 404 for the detail page and its actions", async () => {
    const other = await makeShop(db, "other-returns.myshopify.com");
    const foreign = await db.returnCase.create({
      data: { shopId: other.id, status: "RECEIVED", currency: "USD", requestedAt: new Date() },
    });
    expect((await call(detail.loader as Fn, `/app/returns/${foreign.id}`, { id: foreign.id })).status).toBe(404);
    const post = await call(detail.action as Fn, `/app/returns/${foreign.id}`, { id: foreign.id }, { intent: "approve", requestId: "isolation-0001" });
    expect(post.status).toBe(404);
    // Bulk actions on it report "no such return" and change nothing.
    const bulk = await call(queue.action as Fn, "/app/returns", {}, { intent: "approve", ids: [foreign.id], requestId: "isolation-0002" });
    expect(bulk.body.results[0]).toMatchObject({ ok: false, message: "No such return in this shop" });
    expect((await db.returnCase.findUniqueOrThrow({ where: { id: foreign.id } })).status).toBe("RECEIVED");
    const list = await call(queue.loader as Fn, "/app/returns");
    expect(list.body.rows.some((r: { id: string }) => r.id === foreign.id)).toBe(false);
  });
});

/** The rules as the editor posts them: one field per input, named after the stored shape (rules.0.when.1.args.maxDays). */
type PostedRef = { code: string; args: Record<string, string | string[] | undefined> };
function rulesState(rules: { id: string; name: string; enabled: boolean; when: PostedRef[]; then: PostedRef }[], defaultOutcome = "REFUND"): Form {
  const form: Form = { defaultOutcome };
  const ref = (at: string, r: PostedRef) => {
    form[`${at}.code`] = r.code;
    for (const [k, v] of Object.entries(r.args)) if (v !== undefined) form[`${at}.args.${k}`] = v;
  };
  rules.forEach((r, i) => {
    Object.assign(form, { [`rules.${i}.id`]: r.id, [`rules.${i}.name`]: r.name }, r.enabled ? { [`rules.${i}.enabled`]: "true" } : {});
    r.when.forEach((c, j) => ref(`rules.${i}.when.${j}`, c));
    ref(`rules.${i}.then`, r.then);
  });
  return form;
}
const sample = { sku: "", reason: "UNWANTED", condition: "OPENED", price: "40.00", quantity: "1", daysSinceDelivery: "45", country: "US", province: "NY", postalCode: "11211", tags: "" };

describe("rules editor and tester", () => {
  it("shows the stored rules as forms generated from the registries", async () => {
    const res = await call(rulesPage.loader as Fn, "/app/returns/rules");
    const late = res.body.initial.rules.find((r: { own: { name: string } }) => r.own.name === "Late returns get store credit");
    expect(late.own).toEqual({ id: "late-returns", name: "Late returns get store credit", enabled: true });
    expect(late.when).toEqual([{ code: "DAYS_SINCE_DELIVERY", values: { minDays: "31", maxDays: "60" } }]);
    expect(late.then).toEqual({ code: "STORE_CREDIT", values: { bonusPercent: "5" } });
    const cheap = res.body.initial.rules.find((r: { own: { id: string } }) => r.own.id === "cheap-damaged");
    // Money is shown in the shop currency, not in minor units.
    expect(cheap.when[1]).toEqual({ code: "ITEM_VALUE", values: { minMinor: "", maxMinor: "15.00" } });
  });

  it("puts each error next to its field and saves nothing", async () => {
    const before = await getReturnSettings(shopId);
    const bad = [
      { id: "r1", name: "", enabled: true, when: [{ code: "DAYS_SINCE_DELIVERY", args: { minDays: "40", maxDays: "10" } }], then: { code: "REFUND", args: { restockingFeePercent: "" } } },
      { id: "r2", name: "Cheap", enabled: true, when: [{ code: "ITEM_VALUE", args: { minMinor: "", maxMinor: "abc" } }], then: { code: "DECLINE", args: { declineReason: "OTHER", customerMessage: "" } } },
    ];
    const res = await call(rulesPage.action as Fn, "/app/returns/rules", {}, { intent: "save", ...rulesState(bad) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toMatchObject({
      "rules.0.name": "Give the rule a name",
      "rules.0.when.0.args.maxDays": "The maximum must be at least the minimum",
      "rules.1.when.0.args.maxMinor": 'Max: "abc" is not a price (write it like 8.95)',
      "rules.1.then.args.customerMessage": "Tell the customer why",
    });
    expect((await getReturnSettings(shopId)).rules).toEqual(before.rules);
  });

  it("saves valid rules (money in the shop's currency becomes minor units)", async () => {
    const rules = [
      { id: "cheap", name: "Keep cheap items", enabled: true, when: [{ code: "ITEM_VALUE", args: { minMinor: "", maxMinor: "12.50" } }], then: { code: "KEEP_ITEM", args: { resolution: "REFUND" } } },
      { id: "late", name: "Late: store credit", enabled: true, when: [{ code: "DAYS_SINCE_DELIVERY", args: { minDays: "31", maxDays: "" } }], then: { code: "STORE_CREDIT", args: { bonusPercent: "5" } } },
    ];
    const res = await call(rulesPage.action as Fn, "/app/returns/rules", {}, { intent: "save", ...rulesState(rules) });
    expect(res.status).toBe(200);
    expect(res.body.saved).toBe(true);
    const stored = await getReturnSettings(shopId);
    expect(stored.rules.map((r) => r.id)).toEqual(["cheap", "late"]);
    expect(stored.rules[0].when?.[0]).toEqual({ code: "ITEM_VALUE", args: { minMinor: null, maxMinor: 1250 } });
  });

  it("tester: shows which rule matched, which did not and why, the outcome and the destination hub with its figures", async () => {
    const product = await db.product.findFirstOrThrow({ where: { shopId }, orderBy: { sku: "asc" } });
    const rules = [
      { id: "damaged", name: "Damaged only", enabled: true, when: [{ code: "REPORTED_CONDITION", args: { conditions: ["DAMAGED"] } }], then: { code: "REFUND", args: { restockingFeePercent: "0" } } },
      { id: "late", name: "Late: store credit", enabled: true, when: [{ code: "DAYS_SINCE_DELIVERY", args: { minDays: "31", maxDays: "" } }], then: { code: "STORE_CREDIT", args: { bonusPercent: "5" } } },
    ];
    const res = await call(rulesPage.action as Fn, "/app/returns/rules", {}, { intent: "test", ...rulesState(rules), ...sample, sku: product.sku });
    expect(res.status).toBe(200);
    const line = res.body.test.evaluation.lines[0];
    expect(line.rule).toMatchObject({ index: 1, id: "late" });
    expect(line.trace[0]).toMatchObject({ matched: false, name: "Damaged only" });
    expect(line.trace[0].conditions[0].detail).toMatch(/opened/i);
    expect(line.trace[1].matched).toBe(true);
    expect(line.outcome.code).toBe("STORE_CREDIT");
    expect(line.outcome.storeCreditMinor).toBe(4200);
    expect(line.destination.hub).not.toBeNull();
    expect(line.destination.considered.length).toBeGreaterThan(0);
    expect(line.destination.reasons.length).toBeGreaterThan(0);
    // Rules are not saved by testing them.
    expect((await getReturnSettings(shopId)).rules.map((r) => r.id)).toEqual(["cheap", "late"]);
  });

  it("tester and the open API give the same plan for the same return: a Brooklyn ZIP placed at its centroid by both", async () => {
    // Once, the API left a ZIP-only address off the map and sent this return to the warehouse at a
    // loss, while the tester placed it at the ZIP's centre and chose a Brooklyn hub.
    const now = Date.now();
    const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const product = await db.product.findFirstOrThrow({ where: { shopId, madeToOrder: false }, orderBy: { sku: "asc" } });
    const stored = await getReturnSettings(shopId);
    const tested = await testReturnRules(
      shop,
      { rules: stored.rules, defaultOutcome: stored.defaultOutcome },
      { sku: product.sku, reason: "UNWANTED", condition: "OPENED", unitPriceMinor: 4000, quantity: 1, daysSinceDelivery: 10, country: "US", province: "NY", postalCode: "11211", tags: [] },
      now,
    );
    if ("error" in tested) throw new Error(tested.error);
    const body = {
      from: { postalCode: "11211", province: "NY", country: "US" },
      deliveredAt: new Date(now - 10 * 86_400_000).toISOString(),
      lines: [{ sku: product.sku, unitPriceMinor: 4000, reason: "UNWANTED", condition: "OPENED" }],
    };
    const request = new Request("http://127.0.0.1:3000/api/v1/returns/plan", { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    const viaApi = await planReturnForApi(shop, request, now);

    expect(tested.placedBy).toBe("postal_code");
    const t = tested.evaluation.lines[0];
    const a = viaApi.lines[0];
    expect(a.outcome).toEqual(t.outcome);
    const figures = (hubs: { nodeId: string; distanceM: number | null; netRecoveryMinor: number }[]) => hubs.map((h) => [h.nodeId, h.distanceM, h.netRecoveryMinor]);
    expect(a.destination?.hub?.nodeId).toBe(t.destination?.hub?.nodeId);
    expect(figures(a.destination!.considered)).toEqual(figures(t.destination!.considered));
    expect(a.destination!.excluded).toEqual(t.destination!.excluded.map((e) => ({ nodeId: e.nodeId, name: e.name, code: e.code, message: e.message })));
    // Both placed the ZIP: every considered hub has a distance from it.
    expect(a.destination!.considered.every((h) => h.distanceM !== null)).toBe(true);
  });

  it("tester: a bad sample is answered next to its field", async () => {
    const res = await call(rulesPage.action as Fn, "/app/returns/rules", {}, { intent: "test", ...rulesState([]), ...sample, sku: "NOPE-1", price: "abc" });
    expect(res.status).toBe(400);
    expect(res.body.testErrors.price).toBe("Enter an amount such as 24.00");
    const unknown = await call(rulesPage.action as Fn, "/app/returns/rules", {}, { intent: "test", ...rulesState([]), ...sample, sku: "NOPE-1" });
    expect(unknown.body.testErrors.sku).toMatch(/No product with SKU NOPE-1/);
  });
});

describe("analytics", () => {
  it("per hub and per product figures from the lines' timestamps", async () => {
    const res = await call(analytics.loader as Fn, "/app/returns/analytics");
    const a = res.body;
    expect(a.byHub.length).toBeGreaterThan(0);
    expect(a.total.resold).toBeGreaterThanOrEqual(10);
    expect(a.total.recoveryRate).toBeGreaterThan(0);
    expect(a.total.reverseCostPerReturnMinor).toBeGreaterThan(0);
    expect(a.within48h.inspected).toBeGreaterThan(0);
    expect(a.within48h.share).toBeGreaterThan(0.5);
    expect(a.within48h.share).toBeLessThan(1);
    const hub = a.byHub.find((h: { receiptToResaleDays: number | null }) => h.receiptToResaleDays !== null);
    expect(hub.receiptToResaleDays).toBeGreaterThan(hub.receiptToInspectionDays);
  });
});

describe("settings", () => {
  it("refuses a bad email and webhook URL next to their fields", async () => {
    const res = await call(settingsPage.action as Fn, "/app/returns/settings", {}, {
      inspectionHours: "0",
      escalationEmail: "not-an-email",
      escalationWebhookUrl: "ftp://x",
      destinationMode: "NEAREST",
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(["escalationEmail", "escalationWebhookUrl", "inspectionHours"]);
  });

  it("saves and keeps the rules", async () => {
    const res = await call(settingsPage.action as Fn, "/app/returns/settings", {}, {
      inspectionHours: "36",
      escalationEmail: "hub-leads@example.com",
      escalationWebhookUrl: "https://hooks.example.com/returns",
      destinationMode: "NEAREST",
    });
    expect(res.status).toBe(200);
    const s = await getReturnSettings(shopId);
    expect(s).toMatchObject({ inspectionHours: 36, escalationEmail: "hub-leads@example.com", destinationMode: "NEAREST", autoApprove: false });
    expect(s.rules.map((r) => r.id)).toEqual(["cheap", "late"]);
    const shown = await call(settingsPage.loader as Fn, "/app/returns/settings");
    expect(shown.body.values.inspectionHours).toBe("36");
  });

  it("brings items back at a loss only when the merchant ticks it, and the policy follows", async () => {
    const form = { inspectionHours: "48", escalationEmail: "", escalationWebhookUrl: "", destinationMode: "BEST_RECOVERY" };
    expect((await call(settingsPage.action as Fn, "/app/returns/settings", {}, { ...form, shipBackAtALoss: "on" })).status).toBe(200);
    expect((await getReturnSettings(shopId)).shipBackAtALoss).toBe(true);
    expect(policyFor(await getReturnSettings(shopId), {}).config.destination.shipBackAtALoss).toBe(true);
    expect((await call(settingsPage.loader as Fn, "/app/returns/settings")).body.values.shipBackAtALoss).toBe(true);
    expect((await call(settingsPage.action as Fn, "/app/returns/settings", {}, form)).status).toBe(200);
    expect(policyFor(await getReturnSettings(shopId), {}).config.destination.shipBackAtALoss).toBe(false);
  });
});
