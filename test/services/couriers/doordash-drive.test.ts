// The DoorDash Drive adapter against MSW handlers that follow DoorDash's documented request and
// response shapes and check what they receive: a JWT signed the DoorDash way, the documented body
// fields, cents as integers. Every failure comes back as a typed value; nothing is thrown.
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DoorDashDrive, doorDashJwt, parseRetryAfter } from "~/services/couriers/doordash-drive.server";
import { courierProviderIssues, resolveCourierProvider } from "~/services/couriers/registry";
import error429 from "../../fixtures/doordash/error-429.json";
import { CREDENTIALS, DD_URL, doorDashFake, verifyJwt, type DoorDashFake } from "./doordash-fake";

const NOW = Date.parse("2026-11-25T16:45:00Z");
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function fakeWith(options: Partial<Parameters<typeof doorDashFake>[0]> = {}): DoorDashFake {
  const fake = doorDashFake({ now: () => NOW, ...options });
  server.use(...fake.handlers);
  return fake;
}

function drive(over: Partial<ConstructorParameters<typeof DoorDashDrive>[0]> = {}) {
  return new DoorDashDrive({ credentials: CREDENTIALS, contactPhone: "+12125550100", businessName: "Nearhub Brooklyn hub", now: () => NOW, ...over });
}

const REQUEST = {
  pickup: { lat: 40.7145, lng: -73.9566, address: "1 Main St, Brooklyn, NY 11211, US" },
  dropoff: { lat: 40.7181, lng: -73.9571, address: "Brooklyn, NY 11211, US" },
  orderValueMinor: 3500,
  sizeClass: "SMALL" as const,
  pickupAt: new Date(NOW + 20 * 60_000),
  reference: "882a100dedfffff-S",
};

describe("DoorDash Drive JWT", () => {
  it("is HS256 over the base64url-decoded secret with dd-ver DD-JWT-V1 and the documented claims", () => {
    const token = doorDashJwt(CREDENTIALS, NOW);
    const check = verifyJwt(`Bearer ${token}`, NOW / 1000);
    expect(check.ok).toBe(true);
    expect(check.header).toEqual({ alg: "HS256", typ: "JWT", "dd-ver": "DD-JWT-V1" });
    expect(check.claims).toEqual({ aud: "doordash", iss: CREDENTIALS.developerId, kid: CREDENTIALS.keyId, iat: NOW / 1000, exp: NOW / 1000 + 300 });
  });

  it("is refused when signed with another secret", () => {
    const token = doorDashJwt({ ...CREDENTIALS, signingSecret: Buffer.from("another-secret-another-secret-00").toString("base64url") }, NOW);
    expect(verifyJwt(`Bearer ${token}`, NOW / 1000)).toMatchObject({ ok: false, problem: "bad signature" });
  });
});

describe("quote", () => {
  it("sends the documented fields in cents with a valid token and reads fee, currency, ETAs and expiry", async () => {
    const fake = fakeWith({ fee: (b) => 975 + Math.round(b.order_value / 100) });
    const r = await drive().quote(REQUEST);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].jwt.ok).toBe(true);
    const body = fake.quotes[0];
    expect(body).toMatchObject({
      pickup_address: "1 Main St, Brooklyn, NY 11211, US",
      pickup_business_name: "Nearhub Brooklyn hub",
      pickup_phone_number: "+12125550100",
      dropoff_address: "Brooklyn, NY 11211, US",
      dropoff_location: { lat: 40.7181, lng: -73.9571 },
      dropoff_phone_number: "+12125550100",
      order_value: 3500,
      pickup_time: "2026-11-25T17:05:00.000Z",
    });
    expect(body.external_delivery_id).toMatch(/^nh-882a100dedfffff-S-[a-z0-9]+$/);
    expect(body.items?.[0]).toMatchObject({ name: "Parcel", quantity: 1 });
    expect(body.items?.[0].description).toContain("small parcel");
    expect(r.value).toEqual({
      externalId: body.external_delivery_id,
      feeMinor: 1010,
      currency: "USD",
      expiresAt: new Date(NOW + 5 * 60_000),
      pickupEta: new Date("2026-11-25T17:05:00Z"),
      dropoffEta: new Date("2026-11-25T17:31:00Z"),
    });
  });

  it("asks for pickup as soon as possible when the parcel is ready now, and rounds the order value to whole cents", async () => {
    const fake = fakeWith();
    const r = await drive().quote({ ...REQUEST, pickupAt: new Date(NOW - 60_000), orderValueMinor: 1999.6 });
    expect(r.ok).toBe(true);
    expect(fake.quotes[0].pickup_time).toBeUndefined();
    expect(fake.quotes[0].order_value).toBe(2000);
  });

  it("takes DoorDash's 5 minutes as the expiry when the answer has no expires_at", async () => {
    fakeWith({ omitExpiresAt: true });
    const r = await drive().quote(REQUEST);
    expect(r.ok && r.value.expiresAt.getTime()).toBe(NOW + 5 * 60_000);
  });

  it("gives a 400 back as a rejection with DoorDash's field errors", async () => {
    fakeWith();
    const r = await drive({ contactPhone: "555-0100" }).quote({ ...REQUEST, pickup: { ...REQUEST.pickup, phone: "+17185550100" } });
    expect(r).toEqual({
      ok: false,
      failure: {
        kind: "rejected",
        status: 400,
        code: "validation_error",
        message: "Validation Failed",
        fieldErrors: [{ field: "dropoff_phone_number", error: "Phone number provided does not seem to be a valid one" }],
      },
    });
  });

  it("gives a 422 (outside coverage) back as a rejection", async () => {
    server.use(
      http.post(`${DD_URL}/drive/v2/quotes`, () =>
        HttpResponse.json({ code: "unsupported_location", message: "Allowed distance between addresses exceeded" }, { status: 422 }),
      ),
    );
    const r = await drive().quote(REQUEST);
    expect(r).toMatchObject({ ok: false, failure: { kind: "rejected", status: 422, code: "unsupported_location", fieldErrors: [] } });
  });

  it("gives a 401 back as unauthorized when the credentials are wrong", async () => {
    const fake = fakeWith();
    const r = await drive({ credentials: { ...CREDENTIALS, keyId: "revoked-key" } }).quote(REQUEST);
    expect(fake.requests[0].jwt).toMatchObject({ ok: false, problem: "bad claims" });
    expect(r).toMatchObject({ ok: false, failure: { kind: "unauthorized", status: 401, code: "authentication_error" } });
  });

  it("gives a 429 back with its Retry-After, in seconds or as a date", async () => {
    server.use(http.post(`${DD_URL}/drive/v2/quotes`, () => HttpResponse.json(error429, { status: 429, headers: { "Retry-After": "7" } })));
    expect(await drive().quote(REQUEST)).toMatchObject({ ok: false, failure: { kind: "rate_limited", status: 429, retryAfterMs: 7000 } });

    const at = new Date(NOW + 42_000).toUTCString();
    server.use(http.post(`${DD_URL}/drive/v2/quotes`, () => HttpResponse.json(error429, { status: 429, headers: { "Retry-After": at } })));
    expect(await drive().quote(REQUEST)).toMatchObject({ ok: false, failure: { kind: "rate_limited", retryAfterMs: 42_000 } });

    server.use(http.post(`${DD_URL}/drive/v2/quotes`, () => HttpResponse.json(error429, { status: 429 })));
    expect(await drive().quote(REQUEST)).toMatchObject({ ok: false, failure: { kind: "rate_limited", retryAfterMs: null } });
  });

  it("gives a 5xx back as unavailable, whatever its body", async () => {
    server.use(http.post(`${DD_URL}/drive/v2/quotes`, () => new HttpResponse("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" })));
    expect(await drive().quote(REQUEST)).toEqual({ ok: false, failure: { kind: "unavailable", status: 502, message: "Bad Gateway" } });
  });

  it("gives an unreadable 200 back as unavailable, naming the field", async () => {
    server.use(http.post(`${DD_URL}/drive/v2/quotes`, () => HttpResponse.json({ currency: "USD", fee: "10.75" })));
    const r = await drive().quote(REQUEST);
    expect(r).toMatchObject({ ok: false, failure: { kind: "unavailable", status: 200 } });
    expect(!r.ok && r.failure.message).toContain("fee");
  });

  it("stops waiting after its timeout and says so", async () => {
    server.use(
      http.post(`${DD_URL}/drive/v2/quotes`, async () => {
        await delay(2_000);
        return HttpResponse.json({});
      }),
    );
    expect(await drive({ timeoutMs: 50 }).quote(REQUEST)).toEqual({
      ok: false,
      failure: { kind: "timeout", timeoutMs: 50, message: "DoorDash did not answer within 50 ms" },
    });
  });

  it("gives a connection failure back as a network failure", async () => {
    server.use(http.post(`${DD_URL}/drive/v2/quotes`, () => HttpResponse.error()));
    expect(await drive().quote(REQUEST)).toMatchObject({ ok: false, failure: { kind: "network" } });
  });
});

describe("accept", () => {
  it("accepts a live quote with a tip in cents and returns the delivery", async () => {
    const fake = fakeWith({ fee: () => 1075 });
    const dd = drive();
    const q = await dd.quote(REQUEST);
    if (!q.ok) throw new Error("quote failed");
    const r = await dd.accept(q.value.externalId, { tipMinor: 300 });
    expect(r).toEqual({
      ok: true,
      value: {
        externalId: q.value.externalId,
        status: "created",
        feeMinor: 1075,
        currency: "USD",
        trackingUrl: "https://track.doordash.com/share/5e8a0b70-1d3a-4c8b-9e43-1a2f8e7a6c11/track",
      },
    });
    expect(fake.accepted).toEqual([q.value.externalId]);
    expect(fake.requests[1]).toMatchObject({ path: `/drive/v2/quotes/${q.value.externalId}/accept`, body: { tip: 300 }, jwt: { ok: true } });
  });

  it("reports an unknown or expired quote as not found", async () => {
    fakeWith();
    expect(await drive().accept("nh-never-quoted")).toMatchObject({ ok: false, failure: { kind: "not_found", status: 404 } });
  });
});

describe("registry", () => {
  it("resolves DOORDASH_DRIVE with credentials, and says why not without them or with bad args", () => {
    const ref = { code: "DOORDASH_DRIVE", args: { contactPhone: "+12125550100" } };
    const ok = resolveCourierProvider(ref, { doordash: CREDENTIALS });
    expect(ok.ok && ok.provider.label).toBe("DoorDash Drive");
    expect(resolveCourierProvider(ref, { doordash: null })).toMatchObject({ ok: false, reason: expect.stringContaining("DOORDASH_DEVELOPER_ID") });
    expect(resolveCourierProvider({ code: "DOORDASH_DRIVE", args: { contactPhone: "555" } }, { doordash: CREDENTIALS })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("args.contactPhone"),
    });
    expect(resolveCourierProvider({ code: "PIGEON" }, { doordash: CREDENTIALS })).toMatchObject({ ok: false, reason: expect.stringContaining('unknown courier provider "PIGEON"') });
  });

  it("names the field of a bad provider in a quote configuration", () => {
    expect(
      courierProviderIssues({ couriers: [{ quoteProvider: null }, { quoteProvider: { code: "DOORDASH_DRIVE", args: { contactPhone: "12" } } }] }),
    ).toEqual([{ path: "couriers.1.quoteProvider.args.contactPhone", message: expect.stringContaining("international format") }]);
  });

  it("reads Retry-After as RFC 9110 allows", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});
