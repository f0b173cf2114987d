// A permit's whole life on a real database, with an injected clock moved through it: reminders
// (to-do, email over SMTP, a signed webhook) once per slot whatever runs them, the renewal task,
// grace, the lapse taking the node out of the network snapshot at its instant, and renewal bringing
// it back and starting a new cycle.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeAvailability } from "~/core/network/availability";
import { db } from "~/db.server";
import { drainJobs, lastJob } from "~/services/jobs/index.server";
import { merchantWebhookSecret, signWebhookBody } from "~/services/notify.server";
import { createPermit, PermitInputError, updatePermit } from "~/services/permits/repository.server";
import { permitToDos, runPermitReminders } from "~/services/permits/reminders.server";
import { createQuoteSnapshotCache, type SnapshotResult } from "~/services/quote-snapshot.server";
import { makeNode, makeShop } from "../../support/factories";
import { manualClock } from "../../support/clock";

const NY = (iso: string) => Date.parse(`${iso}-05:00`); // New York in December (EST)

let smtp: SMTPServer;
let smtpUrl: string;
const mails: string[] = [];
const hooks: { body: string; hmac: string | undefined; topic: string | undefined }[] = [];
let hookServer: ReturnType<typeof createServer>;
let hookUrl: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _s, cb) {
      let body = "";
      stream.on("data", (d: Buffer) => (body += d.toString()));
      stream.on("end", () => {
        mails.push(body);
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  // The send jobs read SMTP_URL from the process's configuration, parsed on first use.
  process.env.SMTP_URL = smtpUrl;
  hookServer = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      if (failHooks > 0) {
        failHooks--;
        res.writeHead(503).end("busy");
        return;
      }
      hooks.push({ body, hmac: req.headers["x-nearhub-hmac-sha256"] as string | undefined, topic: req.headers["x-nearhub-topic"] as string | undefined });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/permits`;
});

afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => hookServer.close(() => r()));
});

const snapshotOf = (r: SnapshotResult | null) => (r?.ok ? r.snapshot : null);
/** Runs the reminder sends that are due, retries included (their backoff skipped). */
const sendAll = () => drainJobs({ names: ["permits.send-reminder"], ignoreDelay: true });
let failHooks = 0;

describe("a permit from first reminder to renewal", () => {
  it("reminds once per slot and channel, opens the task, lapses the node at its instant and comes back on renewal", async () => {
    const shop = await makeShop(db, "permit-life.myshopify.com");
    await db.shop.update({ where: { id: shop.id }, data: { contactEmail: "ops@permit-life.example" } });
    const hub = await makeNode(db, shop.id, { name: "Williamsburg Micro-hub", openingHoursJson: JSON.stringify({}) });
    await db.complianceSettings.create({ data: { shopId: shop.id, reminderWebhookUrl: hookUrl } });

    const permit = await createPermit(shop.id, {
      subjectType: "NODE", subjectId: hub.id, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: "2025-12-11", expiresOn: "2026-12-10",
      recurrence: "ANNUAL_INSPECTION", graceDays: 3, leadDays: 60, gates: ["OPERATE"], owner: "Dana (hub lead)", ownerEmail: "dana@permit-life.example",
    });
    const opts = (now: number) => ({ now, shopId: shop.id, smtpUrl });

    // 5 Nov: the 30-day slot has not fallen (10 Nov); the 60-day one has (11 Oct): one reminder per channel, the task opens.
    expect(await runPermitReminders(opts(NY("2026-11-05T12:00")))).toEqual({ recorded: 3, tasksOpened: 1 });
    expect(await runPermitReminders(opts(NY("2026-11-05T12:15")))).toEqual({ recorded: 0, tasksOpened: 0 });
    expect(await sendAll()).toMatchObject({ completed: 2, failed: 0 }); // the email and the webhook; the to-do needs no sending
    expect(await sendAll()).toMatchObject({ ran: 0 });
    const task = await db.permitTask.findFirstOrThrow({ where: { permitId: permit.id } });
    expect(task).toMatchObject({ cycle: "2026-12-10", state: "OPEN", owner: "Dana (hub lead)" });
    expect(JSON.parse(task.checklistJson).length).toBeGreaterThan(0);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("ops@permit-life.example");
    expect(mails[0]).toContain("dana@permit-life.example");
    expect(mails[0]).toMatch(/Fire inspection for Williamsburg Micro-hub expires on 10 Dec \(in 35 days\)/);
    expect(hooks).toHaveLength(1);
    expect(hooks[0].topic).toBe("permits/reminder");
    expect(hooks[0].hmac).toBe(signWebhookBody(hooks[0].body, merchantWebhookSecret(shop.domain)));
    expect(JSON.parse(hooks[0].body)).toMatchObject({ type: "permit.renewal_due", permitId: permit.id, status: "RENEWAL_DUE", offsetDays: 60 });

    // 8 Dec: two processes run the job at once; the 7-day slot goes out once per channel.
    const both = await Promise.all([runPermitReminders(opts(NY("2026-12-08T10:00"))), runPermitReminders(opts(NY("2026-12-08T10:00")))]);
    expect(both[0].recorded + both[1].recorded).toBe(3);
    expect(await db.permitReminder.count({ where: { permitId: permit.id, offsetDays: 7 } })).toBe(3);
    // The webhook endpoint fails once: the engine retries the send, which then goes out once.
    failHooks = 1;
    expect(await sendAll()).toEqual({ ran: 3, completed: 2, failed: 1 }); // the email; the webhook failed, then its retry went out
    expect(await db.permitReminder.findFirstOrThrow({ where: { permitId: permit.id, offsetDays: 7, channel: "WEBHOOK" } })).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
    expect(mails).toHaveLength(2);
    expect(hooks.filter((h) => JSON.parse(h.body).offsetDays === 7)).toHaveLength(1);

    // In grace on 12 Dec the hub still serves; the snapshot holds only until the lapse (14 Dec, 00:00 New York).
    const clock = manualClock(NY("2026-12-12T09:00"));
    // A cache that would keep its snapshot for a week: only the lapse makes it build one again.
    const week = 7 * 86_400_000;
    const cache = createQuoteSnapshotCache({ clock, timing: { ttlMs: week, refreshAheadMs: 1_000, versionCheckMs: week, failureTtlMs: 5_000, staleMaxMs: week } });
    const graced = snapshotOf(await cache.loadSnapshot(shop))!;
    const gateOf = (s: typeof graced) => s.net.costing.byId.get(hub.id)!.gate;
    expect(nodeAvailability(gateOf(graced), "SHIP").available).toBe(true);
    expect(graced.net.costing.snapshot.permits!.validUntil).toBe(NY("2026-12-14T00:00"));
    clock.advance(NY("2026-12-13T23:59") - clock.now());
    expect(snapshotOf(cache.cachedSnapshot(shop))).toBe(graced);
    clock.advance(60_000);
    expect(cache.cachedSnapshot(shop)).toBeNull(); // lapsed: built again, not served until the TTL
    const lapsed = snapshotOf(await cache.loadSnapshot(shop))!;
    expect(nodeAvailability(gateOf(lapsed), "SHIP")).toEqual({
      available: false,
      reasons: [{ code: "PERMIT_LAPSED", message: "fire inspection for Williamsburg Micro-hub lapsed on 14 Dec" }],
    });
    expect(nodeAvailability(gateOf(lapsed), "RETURN").available).toBe(false);

    // The lapse reminder, and the Overview's to-do.
    expect(await runPermitReminders(opts(NY("2026-12-14T00:05")))).toMatchObject({ recorded: 3 });
    await sendAll();
    expect(JSON.parse(hooks.at(-1)!.body)).toMatchObject({ type: "permit.lapsed", status: "LAPSED", lapsesOn: "2026-12-14" });
    const todos = await permitToDos(shop.id, NY("2026-12-14T08:00"));
    expect(todos).toEqual([
      expect.objectContaining({ permitId: permit.id, tone: "critical", text: expect.stringMatching(/^Fire inspection for Williamsburg Micro-hub lapsed on 14 Dec/) }),
    ]);

    // Renewed: new dates; the task is done, the hub is back at once, and a new cycle has nothing due yet.
    await updatePermit(shop.id, permit.id, { issuedOn: "2026-12-14", expiresOn: "2027-12-13" }, permit.version, NY("2026-12-14T09:00"));
    expect(await db.permitTask.findFirstOrThrow({ where: { permitId: permit.id } })).toMatchObject({ state: "DONE", renewedTo: "2027-12-13" });
    cache.invalidate(shop.id);
    const renewed = snapshotOf(await cache.loadSnapshot(shop))!;
    expect(nodeAvailability(gateOf(renewed), "SHIP").available).toBe(true);
    expect(await runPermitReminders(opts(NY("2026-12-14T10:00")))).toEqual({ recorded: 0, tasksOpened: 0 });
    expect(await permitToDos(shop.id, NY("2026-12-14T10:00"))).toEqual([]);
    // The renewal enqueued the shop's reminder job in the same transaction.
    expect(await lastJob("permits.remind", shop.id)).toMatchObject({ name: "permits.remind" });
  });

  it("refuses bad input naming the field, and a subject of another shop", async () => {
    const a = await makeShop(db, "permit-a.myshopify.com");
    const b = await makeShop(db, "permit-b.myshopify.com");
    const bNode = await makeNode(db, b.id);
    const base = { subjectType: "NODE", subjectId: bNode.id, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: "2026-01-01", expiresOn: "2027-01-01", recurrence: "ANNUAL_INSPECTION" };
    await expect(createPermit(a.id, base)).rejects.toMatchObject({ field: "subjectId" });
    await expect(createPermit(b.id, { ...base, expiresOn: "2025-01-01" })).rejects.toThrow(PermitInputError);
    await expect(createPermit(b.id, { ...base, expiresOn: "2025-01-01" })).rejects.toMatchObject({ field: "expiresOn" });
    await expect(createPermit(b.id, { ...base, kind: "PARKING" })).rejects.toMatchObject({ field: "kind" });
    const ok = await createPermit(b.id, base);
    await expect(updatePermit(a.id, ok.id, { expiresOn: "2028-01-01" })).rejects.toThrow(/not found/);
    await expect(updatePermit(b.id, ok.id, { expiresOn: "2028-01-01" }, ok.version + 1)).rejects.toThrow(/changed since you opened it/);
  });
});
