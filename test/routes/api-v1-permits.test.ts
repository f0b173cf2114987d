// The permits open API over real Requests to the real route modules: create (201, 400 naming the
// field), list with the status derived now, get, renew by PATCH (409 on a stale version), node
// availability per purpose with every reason, and shop isolation (shop B reads and changes nothing
// of shop A's). Dates are relative to today: the routes ask the real clock.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import * as permitsIndex from "~/routes/api.v1.permits._index";
import * as permitById from "~/routes/api.v1.permits.$id";
import * as availability from "~/routes/api.v1.nodes.$id.availability";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.]json";
import { createApiKey } from "~/services/api-keys.server";
import { apiPermitSchema, nodeAvailabilitySchema, permitListSchema } from "~/services/open-api/permits.server";
import { makeNode, makeShop } from "../support/factories";

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response> | Response;

async function call(fn: unknown, path: string, opts: { key?: string; method?: string; body?: unknown; raw?: string; params?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  const hasBody = opts.body !== undefined || opts.raw !== undefined;
  if (hasBody) headers["Content-Type"] = "application/json";
  const request = new Request(`http://127.0.0.1:3000${path}`, {
    method: opts.method ?? "GET",
    headers,
    body: hasBody ? (opts.raw ?? JSON.stringify(opts.body)) : undefined,
  });
  try {
    return await (fn as Fn)({ request, params: opts.params ?? {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let keyA: string;
let keyB: string;
let hubA: { id: string; name: string };
let hubB: { id: string };

const fireInspection = (nodeId: string, over: Record<string, unknown> = {}) => ({
  subjectType: "NODE",
  subjectId: nodeId,
  kind: "FIRE_INSPECTION",
  jurisdiction: "US-NY-NYC",
  issuer: "FDNY Bureau of Fire Prevention",
  issuedOn: day(-400),
  expiresOn: day(-10),
  recurrence: "ANNUAL_INSPECTION",
  gates: ["OPERATE"],
  ...over,
});

beforeAll(async () => {
  const a = await makeShop(db, "permits-api-alpha.myshopify.com");
  const b = await makeShop(db, "permits-api-bravo.myshopify.com");
  hubA = await makeNode(db, a.id, { name: "Williamsburg Micro-hub" });
  hubB = await makeNode(db, b.id, { name: "Bravo hub" });
  keyA = (await createApiKey(a.id, "script")).key;
  keyB = (await createApiKey(b.id, "script")).key;
});

describe("POST /api/v1/permits", () => {
  it("needs an API key", async () => {
    const res = await call(permitsIndex.action, "/api/v1/permits", { method: "POST", body: fireInspection(hubA.id) });
    expect(res.status).toBe(401);
  });

  it.each([
    ["an expiry before the issue date", { issuedOn: day(-10), expiresOn: day(-20) }, "expiresOn"],
    ["an unknown node", { subjectId: "no-such-node" }, "subjectId"],
    ["an unknown kind", { kind: "TELEPORTER_LICENCE" }, "kind"],
    ["an unknown jurisdiction", { jurisdiction: "US-XX" }, "jurisdiction"],
    ["a date that is no date", { issuedOn: "2026-02-30" }, "issuedOn"],
  ])("refuses %s with 400 naming the field", async (_what, over, field) => {
    const before = await db.permit.count();
    const res = await call(permitsIndex.action, "/api/v1/permits", { key: keyA, method: "POST", body: fireInspection(hubA.id, over) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; field: string };
    expect(body.field).toBe(field);
    expect(body.error.startsWith(`${field}:`)).toBe(true);
    expect(await db.permit.count()).toBe(before);
  });

  it("refuses a node of another shop as an unknown node, and a body that is not JSON", async () => {
    const res = await call(permitsIndex.action, "/api/v1/permits", { key: keyA, method: "POST", body: fireInspection(hubB.id) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe("subjectId");
    const bad = await call(permitsIndex.action, "/api/v1/permits", { key: keyA, method: "POST", raw: "{not json" });
    expect(bad.status).toBe(400);
    // Text no database stores as text (PostgreSQL refuses NUL) is a 400 naming the field, not a 500.
    const nul = await call(permitsIndex.action, "/api/v1/permits", { key: keyA, method: "POST", body: fireInspection(hubA.id, { number: "FP-\u0000-1" }) });
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as { field: string }).field).toBe("number");
  });
});

describe("a lapsed fire inspection through the API: create, list, availability, renewal", () => {
  let permitId: string;

  it("creates it (201) with its status derived now: lapsed, taking the hub out of service", async () => {
    const res = await call(permitsIndex.action, "/api/v1/permits", { key: keyA, method: "POST", body: fireInspection(hubA.id) });
    expect(res.status).toBe(201);
    const p = apiPermitSchema.parse(await res.json());
    permitId = p.id;
    expect(p.status).toBe("LAPSED");
    expect(p.subject).toEqual({ type: "NODE", id: hubA.id, name: "Williamsburg Micro-hub" });
    expect(p.lapseDate).toBe(day(-9));
    expect(p.gatingNow.takesAway.map((g) => g.gate)).toEqual(["OPERATE"]);
    expect(p.gatingNow.reason).toMatch(/^fire inspection for Williamsburg Micro-hub lapsed on /);
  });

  it("lists the shop's permits, paginated, each with status, lapse date, subject name and what it gates now", async () => {
    const valid = await call(permitsIndex.action, "/api/v1/permits", {
      key: keyA,
      method: "POST",
      body: fireInspection(hubA.id, { kind: "SECONDHAND_DEALER", gates: ["RESELL_RETURNS"], issuedOn: day(-30), expiresOn: day(300), recurrence: "FIXED_TERM" }),
    });
    expect(valid.status).toBe(201);
    const seen: { status: string; lapseDate: string | null; subject: string | null; gating: number }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(permitsIndex.loader, `/api/v1/permits?limit=1${cursor ? `&cursor=${cursor}` : ""}`, { key: keyA });
      expect(res.status).toBe(200);
      const body = permitListSchema.parse(await res.json());
      expect(body.data.length).toBe(1);
      seen.push(...body.data.map((p) => ({ status: p.status, lapseDate: p.lapseDate, subject: p.subject.name, gating: p.gatingNow.takesAway.length })));
      cursor = body.pagination.nextCursor;
      pages++;
    } while (cursor && pages < 5);
    expect(pages).toBe(2);
    expect(seen).toEqual(
      expect.arrayContaining([
        { status: "LAPSED", lapseDate: day(-9), subject: "Williamsburg Micro-hub", gating: 1 },
        { status: "VALID", lapseDate: day(301), subject: "Williamsburg Micro-hub", gating: 0 },
      ]),
    );
    const bad = await call(permitsIndex.loader, "/api/v1/permits?limit=0", { key: keyA });
    expect(bad.status).toBe(400);
  });

  it("answers the node's availability per purpose with every reason: the lapsed permit on each", async () => {
    const res = await call(availability.loader, `/api/v1/nodes/${hubA.id}/availability`, { key: keyA, params: { id: hubA.id } });
    expect(res.status).toBe(200);
    const body = nodeAvailabilitySchema.parse(await res.json());
    expect(body.purposes.map((p) => p.purpose)).toEqual(["SHIP", "MAKE", "PICKUP", "RETURN", "CAMPAIGN"]);
    for (const p of body.purposes) {
      expect(p.available).toBe(false);
      expect(p.reasons.some((r) => r.code === "PERMIT_LAPSED" && r.message.startsWith("fire inspection for Williamsburg Micro-hub lapsed on"))).toBe(true);
    }
    // A micro-hub does not make to order: that reason too, beside the permit's.
    expect(body.purposes.find((p) => p.purpose === "MAKE")!.reasons.map((r) => r.code)).toEqual(["NOT_A_MAKER", "PERMIT_LAPSED"]);
  });

  it("refuses a stale version with 409 and changes nothing", async () => {
    const current = apiPermitSchema.parse(await (await call(permitById.loader, `/api/v1/permits/${permitId}`, { key: keyA, params: { id: permitId } })).json());
    const res = await call(permitById.action, `/api/v1/permits/${permitId}`, {
      key: keyA,
      method: "PATCH",
      params: { id: permitId },
      body: { version: current.version - 1 + 5, issuedOn: day(-1), expiresOn: day(364) },
    });
    expect(res.status).toBe(409);
    const after = await db.permit.findUniqueOrThrow({ where: { id: permitId } });
    expect(after.expiresOn).toBe(day(-10));
    expect(after.version).toBe(current.version);
  });

  it("renews it by PATCH with new dates: valid at once, and the hub serves again", async () => {
    const current = apiPermitSchema.parse(await (await call(permitById.loader, `/api/v1/permits/${permitId}`, { key: keyA, params: { id: permitId } })).json());
    const res = await call(permitById.action, `/api/v1/permits/${permitId}`, {
      key: keyA,
      method: "PATCH",
      params: { id: permitId },
      body: { version: current.version, issuedOn: day(-1), expiresOn: day(364) },
    });
    expect(res.status).toBe(200);
    const renewed = apiPermitSchema.parse(await res.json());
    expect(renewed.status).toBe("VALID");
    expect(renewed.version).toBe(current.version + 1);
    expect(renewed.gatingNow).toEqual({ takesAway: [], reason: null });

    const av = nodeAvailabilitySchema.parse(
      await (await call(availability.loader, `/api/v1/nodes/${hubA.id}/availability`, { key: keyA, params: { id: hubA.id } })).json(),
    );
    const ship = av.purposes.find((p) => p.purpose === "SHIP")!;
    expect(ship).toMatchObject({ available: true, reasons: [] });
    for (const p of av.purposes) expect(p.reasons.some((r) => r.code.startsWith("PERMIT_"))).toBe(false);
  });

  it("refuses a renewal whose expiry is before its issue date, naming the field", async () => {
    const res = await call(permitById.action, `/api/v1/permits/${permitId}`, {
      key: keyA,
      method: "PATCH",
      params: { id: permitId },
      body: { expiresOn: "2000-01-01" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe("expiresOn");
  });

  it("shop B can neither read nor change shop A's permit, nor ask about its node", async () => {
    const get = await call(permitById.loader, `/api/v1/permits/${permitId}`, { key: keyB, params: { id: permitId } });
    expect(get.status).toBe(404);
    const before = await db.permit.findUniqueOrThrow({ where: { id: permitId } });
    const patch = await call(permitById.action, `/api/v1/permits/${permitId}`, {
      key: keyB,
      method: "PATCH",
      params: { id: permitId },
      body: { expiresOn: day(-5), suspended: true },
    });
    expect(patch.status).toBe(404);
    const after = await db.permit.findUniqueOrThrow({ where: { id: permitId } });
    expect(after).toEqual(before);
    const list = permitListSchema.parse(await (await call(permitsIndex.loader, "/api/v1/permits", { key: keyB })).json());
    expect(list.data).toEqual([]);
    const av = await call(availability.loader, `/api/v1/nodes/${hubA.id}/availability`, { key: keyB, params: { id: hubA.id } });
    expect(av.status).toBe(404);
  });
});

describe("the OpenAPI document", () => {
  it("describes the permit endpoints and their schemas", async () => {
    const doc = (await (await call(openApiLoader, "/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(Object.keys(doc.paths["/permits"])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(doc.paths["/permits/{id}"])).toEqual(expect.arrayContaining(["get", "patch"]));
    expect(doc.paths["/permits.ics"]).toBeDefined();
    expect(doc.paths["/nodes/{id}/availability"]).toBeDefined();
    for (const id of ["Permit", "PermitList", "PermitInput", "PermitPatch", "NodeAvailability"]) expect(doc.components.schemas[id]).toBeDefined();
    // The request body is described as sent: fields with defaults are optional.
    const input = doc.components.schemas.PermitInput;
    expect(input.required).toEqual(expect.arrayContaining(["subjectType", "subjectId", "kind", "jurisdiction", "issuedOn", "recurrence"]));
    expect(input.required).not.toContain("graceDays");
    expect(Object.keys(input.properties ?? {})).toContain("expiresOn");
  });
});
