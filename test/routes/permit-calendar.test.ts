// The permit calendar (issue 14 item 5): the feed as a calendar app reads it (parsed with
// node-ical), UIDs stable across builds, CRLF line ends, no line over 75 octets; the secret
// subscription URL (only the token's hash stored, unknown or revoked token 404) created and revoked
// from the Settings page; GET /api/v1/permits.ics with an API key, for that key's shop only.
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
});

import ical, { type CalendarResponse, type VEvent } from "node-ical";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import * as feedRoute from "~/routes/calendar.permits.$file";
import * as apiFeed from "~/routes/api.v1.permits[.]ics";
import * as settings from "~/routes/app.settings";
import { createApiKey } from "~/services/api-keys.server";
import { buildPermitCalendar, foldOctets, hashCalendarToken, shopPermitCalendar } from "~/services/permits/calendar.server";
import { createPermit } from "~/services/permits/repository.server";
import { ensureShop } from "~/services/shops.server";
import { makeNode, makeShop } from "../support/factories";
import { dayFromToday } from "../support/permits";

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;

async function respond(fn: unknown, path: string, init: RequestInit = {}, params: Record<string, string> = {}): Promise<Response> {
  try {
    return (await (fn as Fn)({ request: new Request(`http://127.0.0.1:3000${path}`, init), params, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A Settings action as Remix calls it (a form post from the app's own page); its data. */
async function settingsAction(intent: string) {
  const body = new FormData();
  body.set("intent", intent);
  const out = (await (settings.action as Fn)({
    request: new Request("http://127.0.0.1:3000/app/settings", { method: "POST", body, headers: { Origin: "http://127.0.0.1:3000" } }),
    params: {},
    context: {},
  })) as { data: { url?: string; revoked?: boolean } };
  return out.data;
}

const eventsOf = (parsed: CalendarResponse): VEvent[] => Object.values(parsed).filter((c): c is VEvent => c?.type === "VEVENT");
const lines = (feed: string) => feed.split("\r\n").slice(0, -1);
const octets = (s: string) => Buffer.byteLength(s, "utf8");

let demoShop: { id: string; name: string };
let otherShopId: string;
let fireId: string;
const LONG_NAME = "Café Größe – Williamsburg Micro-hub, the one on the corner of Bedford Avenue and North 7th ✓";

beforeAll(async () => {
  demoShop = await ensureShop(DEMO_SHOP_DOMAIN, { name: "Nearhub Demo Market" });
  await db.permit.deleteMany({ where: { shopId: demoShop.id } });
  const hub = await makeNode(db, demoShop.id, { name: LONG_NAME });
  const fire = await createPermit(demoShop.id, {
    subjectType: "NODE",
    subjectId: hub.id,
    kind: "FIRE_INSPECTION",
    jurisdiction: "US-NY-NYC",
    issuer: "FDNY Bureau of Fire Prevention",
    number: "FP-2026-00417",
    issuedOn: dayFromToday(-320),
    expiresOn: dayFromToday(45),
    recurrence: "ANNUAL_INSPECTION",
    gates: ["OPERATE"],
    graceDays: 3,
  });
  fireId = fire.id;
  // Renewed on notice: no expiry, so nothing in the calendar.
  await createPermit(demoShop.id, {
    subjectType: "NODE",
    subjectId: hub.id,
    kind: "SALES_TAX_REGISTRATION",
    title: "Certificate of Authority",
    jurisdiction: "US-NY",
    issuedOn: dayFromToday(-700),
    expiresOn: null,
    recurrence: "ON_NOTICE",
  });
  const other = await makeShop(db, "calendar-other.myshopify.com");
  otherShopId = other.id;
  const otherHub = await makeNode(db, other.id, { name: "Other shop's hub" });
  await createPermit(other.id, {
    subjectType: "NODE",
    subjectId: otherHub.id,
    kind: "BUSINESS_LICENCE",
    jurisdiction: "US-TX",
    issuedOn: dayFromToday(-10),
    expiresOn: dayFromToday(200),
    recurrence: "FIXED_TERM",
  });
});

describe("the feed", () => {
  it("has one all-day event per expiry and per reminder date, in words, parsed by node-ical", async () => {
    const feed = await shopPermitCalendar(demoShop);
    expect(feed.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(feed).toMatch(/\r\nPRODID:-\/\/Nearhub\/\/Permit calendar\/\/EN\r\n/);
    const events = eventsOf(ical.sync.parseICS(feed));
    // Expiry, reminders at 60 (already past, still listed), 30, 7 and 1 days, and the lapse.
    const uids = events.map((e) => e.uid).sort();
    const cycle = dayFromToday(45);
    expect(uids).toEqual(["1", "30", "60", "7", "expiry", "lapse"].map((o) => `${fireId}-${cycle}-${o}@nearhub`).sort());
    const expiry = events.find((e) => e.uid.endsWith("-expiry@nearhub"))!;
    expect(expiry.datetype).toBe("date");
    const ymd = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    expect(ymd(expiry.start)).toBe(cycle);
    expect(expiry.summary).toBe(`Fire inspection for ${LONG_NAME} expires`);
    // 45 days to go with the default 60 days of lead time: renewal is due.
    expect(expiry.description).toContain("Status now: renewal due.");
    expect(expiry.description).toContain(": it is out of service.");
    expect(expiry.description).toContain("FP-2026-00417");
    const lapse = events.find((e) => e.uid.endsWith("-lapse@nearhub"))!;
    // Three days of grace: it lapses on the fourth day after the expiry date.
    expect(ymd(lapse.start)).toBe(dayFromToday(49));
    expect(events.find((e) => e.uid.endsWith("-30@nearhub"))!.summary).toBe(`Renew fire inspection for ${LONG_NAME}: expires in 30 days`);
    // No raw codes in what a person reads.
    for (const e of events) expect(`${e.summary} ${e.description}`).not.toMatch(/FIRE_INSPECTION|OPERATE|ANNUAL_INSPECTION|US-NY/);
  });

  it("keeps every UID across two builds, with CRLF line ends and no line over 75 octets", async () => {
    const first = await shopPermitCalendar(demoShop, Date.now());
    const second = await shopPermitCalendar(demoShop, Date.now() + 3_600_000);
    const uidsOf = (feed: string) => lines(feed).filter((l) => l.startsWith("UID:")).map((l) => l.slice(4));
    expect(uidsOf(first).length).toBe(6);
    expect(uidsOf(second)).toEqual(uidsOf(first));
    // DTSTAMP is the build's instant: it moves, the UIDs do not.
    expect(lines(first).filter((l) => l.startsWith("DTSTAMP:"))).not.toEqual(lines(second).filter((l) => l.startsWith("DTSTAMP:")));
    for (const feed of [first, second]) {
      expect(feed.endsWith("\r\n")).toBe(true);
      expect(feed.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
      for (const line of lines(feed)) expect(octets(line), line).toBeLessThanOrEqual(75);
      // The long, accented name was folded (it is longer than a line) and reads back whole.
      expect(lines(feed).some((l) => l.startsWith(" "))).toBe(true);
    }
  });

  it("folds by octets, never inside a character", () => {
    const folded = foldOctets(`SUMMARY:${"é".repeat(100)}\r\n`);
    for (const line of folded.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(`SUMMARY:${"é".repeat(100)}\r\n`);
    expect(folded).not.toContain("\ufffd");
  });

  it("is a valid, empty calendar for a shop without permits", () => {
    const feed = buildPermitCalendar([], { nodes: [], corridors: [], sellers: [], shopTimezone: "UTC" }, { shopName: "Empty", now: Date.now() });
    expect(feed).toContain("BEGIN:VCALENDAR\r\n");
    expect(eventsOf(ical.sync.parseICS(feed))).toEqual([]);
  });
});

describe("the secret subscription URL", () => {
  it("is created on the Settings page, shown once, stored only as a hash, and revoked there", async () => {
    const created = await settingsAction("create-calendar-link");
    const url = new URL(created.url!);
    const match = /^\/calendar\/permits\/([A-Za-z0-9_-]+)\.ics$/.exec(url.pathname);
    expect(match).not.toBeNull();
    const token = match![1];
    expect(Buffer.from(token, "base64url").length).toBe(32);
    const row = await db.complianceSettings.findUniqueOrThrow({ where: { shopId: demoShop.id } });
    expect(row.calendarTokenHash).toBe(hashCalendarToken(token));
    expect(row.calendarTokenHint).toBe(token.slice(-4));
    expect(JSON.stringify(row)).not.toContain(token);
    // The page shows the hint, never the token again.
    const page = JSON.stringify(await (settings.loader as Fn)({ request: new Request("http://127.0.0.1:3000/app/settings"), params: {}, context: {} }));
    expect(page).toContain(token.slice(-4));
    expect(page).not.toContain(token);

    const res = await respond(feedRoute.loader, url.pathname, {}, { file: `${token}.ics` });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    const text = await res.text();
    expect(text).toContain(`UID:${fireId}-`);
    expect(text).not.toContain("Other shop's hub");

    // A new link replaces the old one.
    const again = await settingsAction("create-calendar-link");
    const newToken = /permits\/(.+)\.ics$/.exec(again.url!)![1];
    expect((await respond(feedRoute.loader, "/", {}, { file: `${token}.ics` })).status).toBe(404);
    expect((await respond(feedRoute.loader, "/", {}, { file: `${newToken}.ics` })).status).toBe(200);

    expect((await settingsAction("revoke-calendar-link")).revoked).toBe(true);
    expect((await respond(feedRoute.loader, "/", {}, { file: `${newToken}.ics` })).status).toBe(404);
    expect((await db.complianceSettings.findUniqueOrThrow({ where: { shopId: demoShop.id } })).calendarTokenHash).toBeNull();
  });

  it.each(["", "x.ics", `${"A".repeat(43)}.ics`, `${"A".repeat(43)}`, "../../etc/passwd.ics"])("answers 404 for %j", async (file) => {
    const res = await respond(feedRoute.loader, "/", {}, { file });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/BEGIN:VCALENDAR/);
  });
});

describe("GET /api/v1/permits.ics", () => {
  it("needs an API key and serves that key's shop's feed only", async () => {
    expect((await respond(apiFeed.loader, "/api/v1/permits.ics")).status).toBe(401);
    const { key } = await createApiKey(otherShopId, "calendar");
    const res = await respond(apiFeed.loader, "/api/v1/permits.ics", { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const events = eventsOf(ical.sync.parseICS(await res.text()));
    expect(events.length).toBe(6);
    expect(events.every((e) => String(e.summary).includes("Other shop's hub"))).toBe(true);
    expect(events.some((e) => e.uid.startsWith(fireId))).toBe(false);
  });
});
