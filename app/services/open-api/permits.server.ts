// Open API v1 for permits (issue 14 item 8): GET/POST /permits, GET/PATCH /permits/{id} (a renewal
// is a PATCH with new dates; `version` refuses a change made from an older read), and
// GET /nodes/{id}/availability (per purpose, whether the node may serve and every reason it may
// not, from the network snapshot's gate subject: the same answer quoting, routing and returns get).
// Every query names the shop of the API key; another shop's permit or node is a 404.
import type { Shop } from "@prisma/client";
import { z } from "zod";
import { everyReason, nodeAvailability, PURPOSES, PURPOSE_WORDS, type GateContext, type GateSubject } from "~/core/network/availability";
import { weekdayIndexOfDay } from "~/core/geo/localTime";
import type { NodeCalendar } from "~/core/quoting/calendar";
import {
  permitInputSchema,
  permitKindLabel,
  permitStanding,
  permitState,
  PERMIT_GATES,
  PERMIT_GATE_WORDS,
  PERMIT_STATUSES,
  PERMIT_STATUS_WORDS,
  jurisdictionName,
  resolveSubject,
  type Permit,
  type PermitSubjects,
} from "~/core/permits";
import { issueSummary } from "~/core/validation/issues";
import { db } from "~/db.server";
import { StaleConfigError } from "~/services/config-version.server";
import { createPermit, getPermit, loadPermitSubjects, PermitInputError, PermitNotFoundError, toPermit, updatePermit } from "~/services/permits/repository.server";
import { loadSnapshot } from "~/services/quote-snapshot.server";
import { brokenUnicodeAt } from "~/services/webhooks.server";
import { apiInputRegistry, apiRegistry, paginationQuerySchema } from "./schemas";
import { apiError } from "./v1.server";

// ---------------------------------------------------------------------------------------------
// The wire format.

/** The body of POST /permits, as the core parses it (its messages name the field). */
export const permitCreateRequestSchema = permitInputSchema.register(apiInputRegistry, {
  id: "PermitInput",
});

/** The body of PATCH /permits/{id}: any fields of PermitInput (they replace the stored ones), and optionally the version read. */
export const permitPatchRequestSchema = z
  .object({
    ...permitInputSchema.shape,
    version: z.number().int().min(1).describe("The permit's version as last read: a stale one is refused with 409"),
  })
  .partial()
  .describe("A renewal sends new issuedOn and expiresOn dates; any other field of PermitInput may be changed too")
  .register(apiInputRegistry, { id: "PermitPatch" });

const gateWordsSchema = z.object({
  gate: z.enum(PERMIT_GATES),
  title: z.string().describe("What it gates, in words"),
  loses: z.string().describe("What is taken away while the permit is lapsed or suspended"),
});

export const apiPermitSchema = z
  .object({
    id: z.string(),
    version: z.number().int().describe("Moves on every change; send it with a PATCH to refuse a change made from an older read"),
    subject: z.object({
      type: z.enum(["NODE", "CORRIDOR", "SELLER"]),
      id: z.string(),
      name: z.string().nullable().describe("The node's, corridor's or seller's name; null when it no longer exists"),
    }),
    kind: z.string(),
    kindLabel: z.string(),
    title: z.string().nullable(),
    jurisdiction: z.string(),
    jurisdictionName: z.string(),
    number: z.string().nullable(),
    issuer: z.string().nullable(),
    issuedOn: z.string().describe("YYYY-MM-DD, local date of the subject"),
    expiresOn: z.string().nullable().describe("YYYY-MM-DD; null: renewed on notice"),
    recurrence: z.string(),
    graceDays: z.number().int(),
    leadDays: z.number().int(),
    fee: z.object({ amountMinor: z.number().int(), currency: z.string().length(3) }).nullable(),
    owner: z.string().nullable(),
    ownerEmail: z.string().nullable(),
    gates: z.array(gateWordsSchema).describe("What the permit gates"),
    suspended: z.boolean(),
    suspendedReason: z.string().nullable(),
    reminderOffsetsDays: z.array(z.number().int()),
    notes: z.string().nullable(),
    status: z.enum(PERMIT_STATUSES).describe("Derived from the dates and the time now, never stored"),
    statusLabel: z.string(),
    renewalDueFrom: z.iso.datetime().nullable().describe("UTC instant renewal falls due (expiry − lead days)"),
    expiresAt: z.iso.datetime().nullable().describe("UTC instant the expiry date ends, in the subject's time zone"),
    lapsesAt: z.iso.datetime().nullable().describe("UTC instant it lapses (after the grace days)"),
    lapseDate: z.string().nullable().describe("Local date it lapses on, YYYY-MM-DD"),
    daysToExpiry: z.number().int().nullable(),
    gatingNow: z
      .object({
        takesAway: z.array(gateWordsSchema),
        reason: z.string().nullable().describe("The sentence shown wherever the subject would have been offered"),
      })
      .describe("What the permit takes away right now (empty while it is in force)"),
  })
  .register(apiRegistry, { id: "Permit" });
export type ApiPermit = z.infer<typeof apiPermitSchema>;

export const permitListSchema = z
  .object({ data: z.array(apiPermitSchema), pagination: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }) })
  .register(apiRegistry, { id: "PermitList" });

const reasonSchema = z.object({ code: z.string(), message: z.string() });

export const nodeAvailabilitySchema = z
  .object({
    nodeId: z.string(),
    name: z.string(),
    at: z.iso.datetime().describe("The instant the answer is for"),
    purposes: z.array(
      z.object({
        purpose: z.enum(PURPOSES),
        label: z.string(),
        available: z.boolean(),
        reasons: z.array(reasonSchema).describe("Every reason the node may not serve this purpose now; empty when available"),
      }),
    ),
  })
  .register(apiRegistry, { id: "NodeAvailability" });

// ---------------------------------------------------------------------------------------------
// Building answers.

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const gateWords = (g: Permit["gates"][number]) => ({ gate: g, title: PERMIT_GATE_WORDS[g].title, loses: PERMIT_GATE_WORDS[g].loses });

/** The first sentence the permit's standing gives (node purpose, courier or corridor), if it takes anything away. */
function standingReason(p: Permit, subjects: PermitSubjects, now: number): string | null {
  const standing = permitStanding([p], subjects, now);
  for (const node of Object.values(standing.nodes)) {
    const first = Object.values(node.purposes)[0] ?? node.courier;
    if (first) return first.message;
  }
  const corridor = Object.values(standing.corridors)[0];
  return corridor ?? null;
}

export function toApiPermit(p: Permit, subjects: PermitSubjects, currency: string, now: number): ApiPermit {
  const subject = resolveSubject(p, subjects);
  const state = permitState(p, subject?.timezone ?? subjects.shopTimezone, now);
  const gating = subject !== null && (state.status === "LAPSED" || state.status === "SUSPENDED");
  return {
    id: p.id,
    version: p.version,
    subject: { type: p.subjectType, id: p.subjectId, name: subject?.name ?? null },
    kind: p.kind,
    kindLabel: p.kind === "CUSTOM" && p.title ? p.title : permitKindLabel(p.kind),
    title: p.title,
    jurisdiction: p.jurisdiction,
    jurisdictionName: jurisdictionName(p.jurisdiction),
    number: p.number,
    issuer: p.issuer,
    issuedOn: p.issuedOn,
    expiresOn: p.expiresOn,
    recurrence: p.recurrence,
    graceDays: p.graceDays,
    leadDays: p.leadDays,
    fee: p.feeMinor === null ? null : { amountMinor: p.feeMinor, currency },
    owner: p.owner,
    ownerEmail: p.ownerEmail,
    gates: p.gates.map(gateWords),
    suspended: p.suspended,
    suspendedReason: p.suspendedReason,
    reminderOffsetsDays: p.reminderOffsetsDays,
    notes: p.notes,
    status: state.status,
    statusLabel: PERMIT_STATUS_WORDS[state.status].title,
    renewalDueFrom: iso(state.renewalDueAt),
    expiresAt: iso(state.expiresAt),
    lapsesAt: iso(state.lapsesAt),
    lapseDate: state.lapseDate,
    daysToExpiry: state.daysToExpiry,
    gatingNow: gating ? { takesAway: p.gates.map(gateWords), reason: standingReason(p, subjects, now) } : { takesAway: [], reason: null },
  };
}

async function jsonObject(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw apiError(400, "body: not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw apiError(400, "body: must be a JSON object");
  // Text no database stores (NUL, a lone surrogate) is refused here, naming where, not failed on at the insert.
  const broken = brokenUnicodeAt(body);
  if (broken) throw Response.json({ error: `${broken}: not well-formed Unicode (a lone surrogate or NUL)`, field: broken }, { status: 400 });
  return body as Record<string, unknown>;
}

/** 400 naming the field, 404 for a permit of no shop of the key's, 409 for a stale version. */
function apiProblem(error: unknown): never {
  if (error instanceof PermitInputError) throw Response.json({ error: error.message, field: error.field }, { status: 400 });
  if (error instanceof PermitNotFoundError) throw apiError(404, error.message);
  if (error instanceof StaleConfigError) throw apiError(409, `version: ${error.message}`);
  throw error;
}

export async function listApiPermits(shop: Shop, request: Request, now = Date.now()) {
  const parsed = paginationQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw apiError(400, issueSummary(parsed.error));
  const q = parsed.data;
  const [rows, subjects] = await Promise.all([
    db.permit.findMany({ where: { shopId: shop.id, ...(q.cursor ? { id: { gt: q.cursor } } : {}) }, orderBy: { id: "asc" }, take: q.limit + 1 }),
    loadPermitSubjects(shop.id),
  ]);
  const more = rows.length > q.limit;
  const data = more ? rows.slice(0, q.limit) : rows;
  return {
    data: data.map((r) => toApiPermit(toPermit(r), subjects, shop.currency, now)),
    pagination: { limit: q.limit, nextCursor: more ? data[data.length - 1].id : null },
  };
}

export async function getApiPermit(shop: Shop, id: string, now = Date.now()): Promise<ApiPermit> {
  const permit = await getPermit(shop.id, id).catch(apiProblem);
  return toApiPermit(permit, await loadPermitSubjects(shop.id), shop.currency, now);
}

export async function createApiPermit(shop: Shop, request: Request, now = Date.now()): Promise<ApiPermit> {
  const body = await jsonObject(request);
  const permit = await createPermit(shop.id, body).catch(apiProblem);
  return toApiPermit(permit, await loadPermitSubjects(shop.id), shop.currency, now);
}

export async function patchApiPermit(shop: Shop, id: string, request: Request, now = Date.now()): Promise<ApiPermit> {
  const { version, id: _id, ...patch } = await jsonObject(request);
  if (version !== undefined && version !== null && !(typeof version === "number" && Number.isInteger(version))) {
    throw Response.json({ error: "version: must be a whole number", field: "version" }, { status: 400 });
  }
  const permit = await updatePermit(shop.id, id, patch, typeof version === "number" ? version : undefined, now).catch(apiProblem);
  return toApiPermit(permit, await loadPermitSubjects(shop.id), shop.currency, now);
}

const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** What the node is asked now: its capacity left today and whether it is open today. */
function contextNow(subject: GateSubject, calendar: NodeCalendar | undefined, now: number): GateContext {
  const ctx: GateContext = { ordersLeft: subject.ordersLeft };
  if (calendar) {
    const day = calendar.clock.local(now).day;
    const plan = calendar.plan(day);
    ctx.day = { holiday: plan.holiday, open: plan.intervals.length > 0, weekday: WEEKDAY_NAMES[weekdayIndexOfDay(day)] };
  }
  return ctx;
}

export async function apiNodeAvailability(shop: Shop, nodeId: string, now = Date.now()) {
  const node = await db.node.findFirst({ where: { id: nodeId, shopId: shop.id }, select: { id: true, name: true } });
  if (!node) throw apiError(404, `node ${nodeId} was not found`);
  const loaded = await loadSnapshot(shop);
  if (!loaded.ok) throw apiError(503, `the shop's network could not be loaded: ${loaded.failure.error}`);
  const net = loaded.snapshot.net;
  const subject = net.costing.availability.byNodeId.get(node.id);
  if (!subject) {
    const why = loaded.snapshot.warnings.find((w) => w.includes(node.id)) ?? "its settings do not read";
    throw apiError(409, `${node.name} is left out of the network: ${why}`);
  }
  const calendar = net.nodes.find((qn) => qn.prepared.node.id === node.id)?.calendar;
  const ctx = contextNow(subject, calendar, now);
  return nodeAvailabilitySchema.parse({
    nodeId: node.id,
    name: node.name,
    at: new Date(now).toISOString(),
    purposes: PURPOSES.map((purpose) => {
      const { available } = nodeAvailability(subject, purpose, ctx);
      return {
        purpose,
        label: PURPOSE_WORDS[purpose],
        available,
        reasons: available ? [] : everyReason(subject, purpose, ctx).map((r) => ({ code: r.code, message: r.message })),
      };
    }),
  });
}
