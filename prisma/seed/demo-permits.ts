// The demo's licences and permits (issue 14 item 7), dated from the seed's clock so the Compliance
// page always shows the same picture: most permits in force, the Williamsburg hub's fire inspection
// due for renewal (its task open), the Chelsea hub's fire inspection in its grace period, and the
// Williamsburg sidewalk robots' operating permit lapsed, so the corridor is closed and couriers
// take over (its reason shows in quotes, routing and the simulator).
//
// Seeded by `npm run demo` / `npm run db:seed` after the marketplace (its history was made while the
// corridor ran); tests that want the permits call it after seedDemoMarketplace.
import type { PrismaClient } from "@prisma/client";
import { randomUUID } from "node:crypto";

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface DemoPermit {
  subject: { type: "NODE" | "CORRIDOR"; handle: string };
  kind: string;
  title?: string;
  jurisdiction: string;
  issuer: string;
  number: string;
  /** Days from the seed's now (negative: past). */
  issued: number;
  expires: number | null;
  recurrence: "FIXED_TERM" | "ANNUAL_INSPECTION" | "ON_NOTICE" | "PER_DEVICE";
  graceDays?: number;
  leadDays?: number;
  feeMinor?: number;
  gates: string[];
  owner: string;
  templateId?: string;
  task?: string[];
}

const PERMITS: DemoPermit[] = [
  { subject: { type: "NODE", handle: "nyc-bk-hub" }, kind: "CERTIFICATE_OF_OCCUPANCY", jurisdiction: "US-NY-NYC", issuer: "NYC Department of Buildings", number: "CO-321045877", issued: -900, expires: null, recurrence: "ON_NOTICE", gates: ["OPERATE"], owner: "Dana Ruiz, hub lead", templateId: "nyc-co" },
  { subject: { type: "NODE", handle: "nyc-bk-hub" }, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuer: "FDNY Bureau of Fire Prevention", number: "FP-2025-88412", issued: -345, expires: 20, recurrence: "ANNUAL_INSPECTION", leadDays: 60, gates: ["OPERATE"], owner: "Dana Ruiz, hub lead", templateId: "nyc-fire", task: ["Book the inspection", "Check extinguishers, exits and battery storage", "Upload the inspection certificate"] },
  { subject: { type: "NODE", handle: "nyc-bk-hub" }, kind: "SALES_TAX_REGISTRATION", title: "Certificate of Authority", jurisdiction: "US-NY", issuer: "New York State Department of Taxation and Finance", number: "CA-11-4470921", issued: -700, expires: null, recurrence: "ON_NOTICE", gates: ["OPERATE"], owner: "Finance", templateId: "ny-cert-authority" },
  { subject: { type: "NODE", handle: "nyc-bk-hub" }, kind: "SECONDHAND_DEALER", title: "Secondhand Dealer – General", jurisdiction: "US-NY-NYC", issuer: "NYC Department of Consumer and Worker Protection", number: "2099341-DCA", issued: -330, expires: 400, recurrence: "FIXED_TERM", gates: ["RESELL_RETURNS"], owner: "Returns team", templateId: "nyc-secondhand" },
  { subject: { type: "NODE", handle: "nyc-mn-hub" }, kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuer: "FDNY Bureau of Fire Prevention", number: "FP-2025-80177", issued: -368, expires: -3, recurrence: "ANNUAL_INSPECTION", graceDays: 14, gates: ["OPERATE"], owner: "Sam Lee, hub lead", templateId: "nyc-fire", task: ["Book the inspection", "Check extinguishers, exits and battery storage", "Upload the inspection certificate"] },
  { subject: { type: "NODE", handle: "atx-east-hub" }, kind: "FIRE_INSPECTION", title: "Fire operational permit", jurisdiction: "US-TX-AUSTIN", issuer: "Austin Fire Department", number: "AFD-OP-55120", issued: -160, expires: 205, recurrence: "ANNUAL_INSPECTION", feeMinor: 10000, gates: ["OPERATE"], owner: "Ana Flores, hub lead", templateId: "austin-fire" },
  { subject: { type: "NODE", handle: "atx-east-hub" }, kind: "SALES_TAX_REGISTRATION", title: "Texas sales and use tax permit", jurisdiction: "US-TX", issuer: "Texas Comptroller of Public Accounts", number: "3-20455-6614-8", issued: -500, expires: null, recurrence: "ON_NOTICE", feeMinor: 0, gates: ["OPERATE"], owner: "Finance", templateId: "tx-sales-tax" },
  { subject: { type: "NODE", handle: "nj-secaucus-dc" }, kind: "BUSINESS_LICENCE", jurisdiction: "US-NJ", issuer: "Town of Secaucus", number: "SEC-BL-2026-0142", issued: -60, expires: 305, recurrence: "FIXED_TERM", gates: ["OPERATE"], owner: "Operations" },
  { subject: { type: "CORRIDOR", handle: "williamsburg-robots" }, kind: "ROBOT_OPERATION", title: "NYC DOT sidewalk-robot pilot permit", jurisdiction: "US-NY-NYC", issuer: "NYC Department of Transportation", number: "DOT-PDD-0031", issued: -370, expires: -5, recurrence: "PER_DEVICE", gates: ["ROBOT_DELIVERY"], owner: "Dana Ruiz, hub lead", task: ["Renew the liability insurance", "Send the fleet's device list and markings", "Apply for the next year's permit"] },
];

export async function seedDemoPermits(db: PrismaClient, opts: { shopId: string; now: Date }): Promise<{ permits: number }> {
  const now = opts.now.getTime();
  const nodes = new Map((await db.node.findMany({ where: { shopId: opts.shopId }, select: { id: true, handle: true } })).map((n) => [n.handle, n.id]));
  await db.permit.deleteMany({ where: { shopId: opts.shopId } });
  let made = 0;
  for (const p of PERMITS) {
    const subjectId = p.subject.type === "NODE" ? nodes.get(p.subject.handle) : p.subject.handle;
    if (!subjectId) continue;
    const id = randomUUID();
    const expiresOn = p.expires === null ? null : iso(now + p.expires * DAY_MS);
    await db.permit.create({
      data: {
        id,
        shopId: opts.shopId,
        subjectType: p.subject.type,
        subjectId,
        kind: p.kind,
        title: p.title ?? null,
        jurisdiction: p.jurisdiction,
        number: p.number,
        issuer: p.issuer,
        issuedOn: iso(now + p.issued * DAY_MS),
        expiresOn,
        recurrence: p.recurrence,
        graceDays: p.graceDays ?? 0,
        leadDays: p.leadDays ?? 60,
        feeMinor: p.feeMinor ?? null,
        owner: p.owner,
        gatesJson: JSON.stringify(p.gates),
        templateId: p.templateId ?? null,
      },
    });
    if (p.task && expiresOn) {
      await db.permitTask.create({
        data: { shopId: opts.shopId, permitId: id, cycle: expiresOn, owner: p.owner, checklistJson: JSON.stringify(p.task.map((text, i) => ({ text, done: i === 0 }))), openedAt: new Date(now - 10 * DAY_MS) },
      });
    }
    made++;
  }
  // Checkout's caches reload with the permits in force.
  await db.shop.update({ where: { id: opts.shopId }, data: { configVersion: { increment: 1 } } });
  return { permits: made };
}
