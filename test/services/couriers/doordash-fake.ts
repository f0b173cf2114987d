// A stand-in for DoorDash Drive's quote API (MSW handlers), following its documented shapes: it checks
// every request the way DoorDash would (a valid DD-JWT-V1 token signed with the developer's secret,
// the documented body fields, cents as integers) and answers with the documented quote or error
// envelope. Tests read what it received from `requests`.
import { createHmac } from "node:crypto";
import { http, HttpResponse, type HttpHandler } from "msw";
import { z } from "zod";
import quote200 from "../../fixtures/doordash/quote-200.json";
import accept200 from "../../fixtures/doordash/accept-200.json";
import error400 from "../../fixtures/doordash/error-400.json";
import error401 from "../../fixtures/doordash/error-401.json";

export const DD_URL = "https://openapi.doordash.com";

/** Made-up credentials in the portal's format (the secret is base64url of 32 bytes). */
export const CREDENTIALS = {
  developerId: "1f6c3d2e-5b7a-4c9d-8e1f-2a3b4c5d6e7f",
  keyId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
  signingSecret: Buffer.from("nearhub-test-signing-secret-32by").toString("base64url"),
};

export interface JwtCheck {
  ok: boolean;
  problem?: string;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}

/** Verifies "Bearer <jwt>" as DoorDash does: HS256 over the decoded secret, dd-ver, aud, iss, kid, exp. */
export function verifyJwt(authorization: string | null, nowSec: number, credentials = CREDENTIALS): JwtCheck {
  if (!authorization?.startsWith("Bearer ")) return { ok: false, problem: "no bearer token" };
  const parts = authorization.slice(7).split(".");
  if (parts.length !== 3) return { ok: false, problem: "not a JWT" };
  const [h, p, sig] = parts;
  const expected = createHmac("sha256", Buffer.from(credentials.signingSecret, "base64url")).update(`${h}.${p}`).digest("base64url");
  if (sig !== expected) return { ok: false, problem: "bad signature" };
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
  const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  if (header.alg !== "HS256" || header["dd-ver"] !== "DD-JWT-V1") return { ok: false, problem: "bad header", header, claims };
  if (claims.aud !== "doordash" || claims.iss !== credentials.developerId || claims.kid !== credentials.keyId) {
    return { ok: false, problem: "bad claims", header, claims };
  }
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number" || claims.exp <= nowSec || claims.exp - claims.iat > 1800) {
    return { ok: false, problem: "expired or too long-lived", header, claims };
  }
  return { ok: true, header, claims };
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "Phone number provided does not seem to be a valid one");
/** The request body as documented; unknown fields are tolerated, as DoorDash does. */
export const quoteRequestSchema = z.object({
  external_delivery_id: z.string().regex(/^[a-zA-Z0-9-._~]+$/),
  pickup_address: z.string().min(5),
  pickup_business_name: z.string().optional(),
  pickup_phone_number: e164.optional(),
  dropoff_address: z.string().min(5),
  dropoff_location: z.object({ lat: z.number(), lng: z.number() }).optional(),
  dropoff_phone_number: e164,
  order_value: z.number().int().nonnegative().max(2_147_483_647),
  pickup_time: z.iso.datetime().optional(),
  items: z.array(z.object({ name: z.string(), description: z.string().optional(), quantity: z.number().int().positive() })).optional(),
});
export type QuoteRequestBody = z.infer<typeof quoteRequestSchema>;

export interface FakeOptions {
  now: () => number;
  /** Fee in cents for a request (default 975). */
  fee?: (body: QuoteRequestBody) => number;
  /** Leave expires_at out of answers. */
  omitExpiresAt?: boolean;
  /** Answer this instead, for the n-th quote call (1-based); undefined: answer normally. */
  override?: (n: number, body: QuoteRequestBody) => Response | Promise<Response> | undefined;
}

export interface DoorDashFake {
  handlers: HttpHandler[];
  requests: { path: string; body: unknown; jwt: JwtCheck }[];
  quotes: QuoteRequestBody[];
  accepted: string[];
}

export function doorDashFake(opts: FakeOptions): DoorDashFake {
  const fake: DoorDashFake = { handlers: [], requests: [], quotes: [], accepted: [] };
  const issued = new Map<string, { fee: number; expiresAt: number }>();
  fake.handlers = [
    http.post(`${DD_URL}/drive/v2/quotes`, async ({ request }) => {
      const body = await request.json();
      const jwt = verifyJwt(request.headers.get("authorization"), Math.floor(opts.now() / 1000));
      fake.requests.push({ path: "/drive/v2/quotes", body, jwt });
      if (!jwt.ok) return HttpResponse.json(error401, { status: 401 });
      const parsed = quoteRequestSchema.safeParse(body);
      if (!parsed.success) {
        return HttpResponse.json(
          { ...error400, field_errors: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? "body"), error: i.message })) },
          { status: 400 },
        );
      }
      fake.quotes.push(parsed.data);
      const special = await opts.override?.(fake.quotes.length, parsed.data);
      if (special) return special;
      const now = opts.now();
      const fee = opts.fee ? opts.fee(parsed.data) : 975;
      const expiresAt = now + 5 * 60_000;
      issued.set(parsed.data.external_delivery_id, { fee, expiresAt });
      const pickupAt = parsed.data.pickup_time ? Date.parse(parsed.data.pickup_time) : now + 10 * 60_000;
      const answer: Record<string, unknown> = {
        ...quote200,
        external_delivery_id: parsed.data.external_delivery_id,
        fee,
        order_value: parsed.data.order_value,
        pickup_address: parsed.data.pickup_address,
        dropoff_address: parsed.data.dropoff_address,
        updated_at: new Date(now).toISOString(),
        pickup_time_estimated: new Date(pickupAt).toISOString(),
        dropoff_time_estimated: new Date(pickupAt + 26 * 60_000).toISOString(),
        expires_at: new Date(expiresAt).toISOString(),
      };
      if (opts.omitExpiresAt) delete answer.expires_at;
      return HttpResponse.json(answer);
    }),
    http.post(`${DD_URL}/drive/v2/quotes/:id/accept`, async ({ request, params }) => {
      const text = await request.text();
      const jwt = verifyJwt(request.headers.get("authorization"), Math.floor(opts.now() / 1000));
      const id = String(params.id);
      fake.requests.push({ path: `/drive/v2/quotes/${id}/accept`, body: text ? JSON.parse(text) : undefined, jwt });
      if (!jwt.ok) return HttpResponse.json(error401, { status: 401 });
      const q = issued.get(id);
      if (!q || q.expiresAt <= opts.now()) {
        return HttpResponse.json({ code: "not_found", message: `Quote ${id} does not exist or has expired` }, { status: 404 });
      }
      issued.delete(id);
      fake.accepted.push(id);
      return HttpResponse.json({ ...accept200, external_delivery_id: id, fee: q.fee, tip: text ? JSON.parse(text).tip : 0 });
    }),
  ];
  return fake;
}
