// The Compliance page's loader and actions with real requests and session tokens (issue 14 item 7):
// a permit added with bad input names its field; a lapsed fire inspection shows what it takes out
// of service; renewing it closes its task and gives the node back to the gate at once; a proposal
// of the node's jurisdiction is accepted or dismissed; another shop's permit cannot be renewed here.
import { beforeEach, describe, expect, it } from "vitest";
import { nodeAvailability } from "~/core/network/availability";
import { db } from "~/db.server";
import { action, loader } from "~/routes/app.compliance";
import { createPermit } from "~/services/permits/repository.server";
import { createQuoteSnapshotCache } from "~/services/quote-snapshot.server";
import { makeNode, makeSession, makeShop } from "../support/factories";
import { sessionToken, TEST_SHOPIFY } from "../support/shopify";

let shop: Awaited<ReturnType<typeof makeShop>>;
let hub: Awaited<ReturnType<typeof makeNode>>;
let n = 0;

beforeEach(async () => {
  shop = await makeShop(db, `compliance-${++n}.myshopify.com`);
  await makeSession(db, shop.domain);
  hub = await makeNode(db, shop.id, { name: "Williamsburg Micro-hub", city: "Brooklyn", province: "NY" });
});

const call = (shopDomain: string, form?: Record<string, string | string[]>) => {
  const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))) : undefined;
  const request = new Request(`${TEST_SHOPIFY.appUrl}/app/compliance`, {
    method: form ? "POST" : "GET",
    body,
    headers: { Authorization: `Bearer ${sessionToken(shopDomain)}`, ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
  });
  return form ? action({ request, params: {}, context: {} }) : loader({ request, params: {}, context: {} });
};
const json = async (r: unknown) => (r instanceof Response ? r.json() : (r as { data: unknown }).data ?? r);
const status = (r: unknown) => (r instanceof Response ? r.status : ((r as { init?: { status?: number } }).init?.status ?? 200));

const today = () => new Date().toISOString().slice(0, 10);
const daysFrom = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

describe("Compliance", () => {
  it("refuses a permit whose expiry is before its issue, naming the field, and adds a good one", async () => {
    const bad = await call(shop.domain, { intent: "create", subject: `NODE:${hub.id}`, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: "2026-05-01", expiresOn: "2026-04-01", recurrence: "ANNUAL_INSPECTION", gates: "OPERATE" });
    expect(status(bad)).toBe(400);
    expect(await json(bad)).toMatchObject({ ok: false, target: "create", field: "expiresOn", message: "must not be before issuedOn" });
    const unknown = await call(shop.domain, { intent: "create", subject: "NODE:nope", kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: "2026-05-01", expiresOn: "2027-04-30", recurrence: "ANNUAL_INSPECTION" });
    expect(await json(unknown)).toMatchObject({ ok: false, field: "subjectId" });
    expect(await db.permit.count({ where: { shopId: shop.id } })).toBe(0);
    const good = await call(shop.domain, { intent: "create", subject: `NODE:${hub.id}`, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: "2026-05-01", expiresOn: "2027-04-30", recurrence: "ANNUAL_INSPECTION", gates: "OPERATE", owner: "Dana" });
    expect(await json(good)).toMatchObject({ ok: true });
    expect(await db.permit.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ kind: "FIRE_INSPECTION", gatesJson: '["OPERATE"]', owner: "Dana" });
  });

  it("shows a lapsed permit taking its node out; renewing it closes the task and gives the node back at once", async () => {
    const p = await createPermit(shop.id, { subjectType: "NODE", subjectId: hub.id, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: daysFrom(-370), expiresOn: daysFrom(-5), recurrence: "ANNUAL_INSPECTION", gates: ["OPERATE"] });
    await db.permitTask.create({ data: { shopId: shop.id, permitId: p.id, cycle: p.expiresOn!, checklistJson: JSON.stringify([{ text: "Book the inspection", done: false }]) } });
    const { view } = (await json(await call(shop.domain))) as { view: { summary: { out: number }; gatedNow: { sentence: string }[]; permits: { statusTitle: string; task: { id: string } }[] } };
    expect(view.summary.out).toBe(1);
    expect(view.permits[0].statusTitle).toBe("Lapsed");
    expect(view.gatedNow[0].sentence).toMatch(/^fire inspection for Williamsburg Micro-hub lapsed on \d{1,2} \w{3}/);

    // Tick the task's step, then renew.
    expect(await json(await call(shop.domain, { intent: "tick", id: p.id, taskId: view.permits[0].task.id, step: "0", done: "1" }))).toMatchObject({ ok: true });
    const renewed = await call(shop.domain, { intent: "renew", id: p.id, version: String(p.version), issuedOn: today(), expiresOn: daysFrom(365) });
    expect(await json(renewed)).toMatchObject({ ok: true });
    expect(await db.permitTask.findFirstOrThrow({ where: { permitId: p.id } })).toMatchObject({ state: "DONE", renewedTo: daysFrom(365) });
    const snapshot = await createQuoteSnapshotCache().loadSnapshot(shop);
    expect(snapshot.ok && nodeAvailability(snapshot.snapshot.net.costing.byId.get(hub.id)!.gate, "SHIP").available).toBe(true);

    // A second renewal from the same (now old) page is refused, and says why.
    const stale = await call(shop.domain, { intent: "renew", id: p.id, version: String(p.version), issuedOn: today(), expiresOn: daysFrom(700) });
    expect(status(stale)).toBe(409);
    expect(await json(stale)).toMatchObject({ ok: false, field: "version" });
  });

  it("proposes what a Brooklyn hub needs, accepts one from its template and forgets a dismissed one", async () => {
    const before = ((await json(await call(shop.domain))) as { view: { proposals: { subject: { id: string }; template: { id: string } }[] } }).view.proposals;
    const ids = before.filter((pr) => pr.subject.id === hub.id).map((pr) => pr.template.id);
    expect(ids).toEqual(expect.arrayContaining(["nyc-co", "nyc-fire", "ny-cert-authority"]));
    expect(await json(await call(shop.domain, { intent: "accept", subject: `NODE:${hub.id}`, templateId: "nyc-fire", issuedOn: today(), expiresOn: "" }))).toMatchObject({ ok: true });
    expect(await db.permit.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ kind: "FIRE_INSPECTION", templateId: "nyc-fire", issuer: "FDNY Bureau of Fire Prevention" });
    expect(await json(await call(shop.domain, { intent: "dismiss", subject: `NODE:${hub.id}`, templateId: "nyc-co" }))).toMatchObject({ ok: true });
    const after = ((await json(await call(shop.domain))) as { view: { proposals: { subject: { id: string }; template: { id: string } }[] } }).view.proposals.filter((pr) => pr.subject.id === hub.id).map((pr) => pr.template.id);
    expect(after).not.toContain("nyc-fire");
    expect(after).not.toContain("nyc-co");
    expect(after).toContain("ny-cert-authority");
  });

  it("cannot see or renew another shop's permit", async () => {
    const other = await makeShop(db, `compliance-other-${n}.myshopify.com`);
    const theirHub = await makeNode(db, other.id);
    const theirs = await createPermit(other.id, { subjectType: "NODE", subjectId: theirHub.id, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: daysFrom(-370), expiresOn: daysFrom(-5), recurrence: "ANNUAL_INSPECTION", gates: ["OPERATE"] });
    const { view } = (await json(await call(shop.domain))) as { view: { permits: unknown[] } };
    expect(view.permits).toEqual([]);
    const r = await call(shop.domain, { intent: "renew", id: theirs.id, version: String(theirs.version), issuedOn: today(), expiresOn: daysFrom(365) });
    expect(status(r)).toBe(404);
    expect((await db.permit.findUniqueOrThrow({ where: { id: theirs.id } })).expiresOn).toBe(theirs.expiresOn);
  });
});

describe("reminder settings", () => {
  it("refuses an address that is not one, naming the field, and saves good ones", async () => {
    const bad = await call(shop.domain, { intent: "reminders", reminderEmail: "not an address", reminderWebhookUrl: "" });
    expect(status(bad)).toBe(400);
    expect(await json(bad)).toMatchObject({ ok: false, field: "reminderEmail" });
    expect(await json(await call(shop.domain, { intent: "reminders", reminderEmail: "ops@example.com", reminderWebhookUrl: "https://hooks.example.com/permits" }))).toMatchObject({ ok: true });
    expect(await db.complianceSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ reminderEmail: "ops@example.com", reminderWebhookUrl: "https://hooks.example.com/permits" });
  });
});
