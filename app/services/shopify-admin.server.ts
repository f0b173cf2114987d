// The one Admin GraphQL client (API 2026-10). Every call Nearhub makes to a store goes through here:
// routing, returns, the carrier service, the location rule's configuration and the catalogue sync.
//
// Session-bound: a call runs on an `AdminGraphql`, the Shopify library's `admin` of the request
// (authenticate.admin) or of the shop's offline session (`offlineAdmin`, unauthenticated.admin), so
// the library attaches the token; nothing here reads, keeps or logs it.
//
// Typed at the boundary: the caller passes a zod schema for `data`; the answer is parsed, never cast.
// Whatever else Shopify answers becomes a typed error with a sentence a person can read:
//   ShopifyThrottledError   THROTTLED (the cost bucket is empty) or HTTP 429, with how long to wait
//   ShopifyHttpError        any other HTTP failure (401/403: the app's scopes or install)
//   ShopifyGraphqlError     top-level `errors` (a bad query, ACCESS_DENIED, …)
//   ShopifyShapeError       `data` not in the shape the caller asked for
//   ShopifyUserErrors       a mutation's `userErrors` (adminMutation only)
//
// Throttling, as Shopify documents it (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
// calculated query cost per app and store, a leaky bucket reported in every answer's
// `extensions.cost.throttleStatus` { maximumAvailable, currentlyAvailable, restoreRate }. A request
// over budget answers 200 with errors[].extensions.code = "THROTTLED". A call waits until the bucket
// holds its requested cost again, (requested − available) / restoreRate seconds, with exponential
// backoff when the answer says nothing, and tries again up to `maxAttempts`; a wait longer than
// `maxWaitMs` is thrown instead, for a job to schedule.
import { z } from "zod";
import { unauthenticated } from "~/shopify.server";
import { realSleep, type Sleep } from "./clock.server";
import { logger } from "./logger.server";
import { shopifyThrottleWait } from "./metrics.server";

/** What we need of the library's Admin API client: `admin` from authenticate.admin / unauthenticated.admin. */
export interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

/** The Admin API client of a shop's offline session (background work: webhooks, jobs, the outbox). */
export type AdminFor = (shopDomain: string) => Promise<AdminGraphql>;

export const offlineAdmin: AdminFor = async (shopDomain) => (await unauthenticated.admin(shopDomain)).admin;

/** Something Shopify answered that is not the data asked for. */
export class ShopifyAdminError extends Error {
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(`${operation}: ${message}`);
    this.name = new.target.name;
  }
}

/** Shopify throttled the call: try again after `retryAfterMs`. */
export class ShopifyThrottledError extends ShopifyAdminError {
  constructor(
    operation: string,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(operation, message);
  }
}

export class ShopifyHttpError extends ShopifyAdminError {
  constructor(
    operation: string,
    readonly status: number,
    /** The start of Shopify's answer (no headers, so no token). */
    readonly body: string,
  ) {
    super(
      operation,
      status === 401 || status === 403
        ? `Shopify refused the request (HTTP ${status}): the app may lack a scope it needs or need to be reinstalled. ${body}`.trim()
        : `Shopify answered HTTP ${status}. ${body}`.trim(),
    );
  }
}

export interface GraphqlError {
  message: string;
  code: string | null;
}

export class ShopifyGraphqlError extends ShopifyAdminError {
  constructor(
    operation: string,
    readonly errors: GraphqlError[],
  ) {
    super(operation, `Shopify answered with errors: ${errors.map((e) => (e.code ? `${e.message} (${e.code})` : e.message)).join("; ").slice(0, 300)}`);
  }
}

export class ShopifyShapeError extends ShopifyAdminError {}

export const userErrorSchema = z.object({
  field: z.array(z.string()).nullish(),
  message: z.string(),
  code: z.string().nullish(),
});
export type UserError = z.infer<typeof userErrorSchema>;

/** A mutation Shopify refused: its userErrors, each with the field it names. */
export class ShopifyUserErrors extends ShopifyAdminError {
  constructor(
    operation: string,
    readonly userErrors: UserError[],
  ) {
    super(operation, userErrors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; "));
  }
}

export interface CallOptions {
  maxAttempts?: number;
  /** Longest single wait inside a call; a longer one is thrown for the caller (a job) to schedule. */
  maxWaitMs?: number;
  /** How a wait is spent (default: a real timer); a job passes its context's, a test one that records the waits. */
  sleep?: Sleep;
}

const throttleSchema = z.object({
  cost: z.object({
    requestedQueryCost: z.number().nullish(),
    throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }),
  }),
});

/** How long until the bucket holds the cost asked (ms), from a response's `extensions`. */
export function throttleWaitMs(extensions: unknown, fallbackMs: number): number {
  const parsed = throttleSchema.safeParse(extensions);
  if (!parsed.success) return fallbackMs;
  const { requestedQueryCost, throttleStatus: t } = parsed.data.cost;
  const need = Math.min(requestedQueryCost ?? 50, t.maximumAvailable) - t.currentlyAvailable;
  if (need <= 0 || t.restoreRate <= 0) return fallbackMs;
  return Math.ceil((need / t.restoreRate) * 1000);
}

/** The operation's name (`query NearhubCatalog…` → NearhubCatalog), for messages and logs. */
export function operationName(document: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "Admin GraphQL";
}

const bodySchema = z.object({ data: z.unknown().optional(), errors: z.unknown().optional(), extensions: z.unknown().optional() });
type Body = z.infer<typeof bodySchema>;
const errorSchema = z.object({ message: z.string(), extensions: z.object({ code: z.string().nullish() }).passthrough().nullish() }).passthrough();

/** GraphQL errors of a body, whatever shape the library gave them ([...], { graphQLErrors }, { message }). */
function errorsOf(body: Body): GraphqlError[] {
  const e = body.errors;
  const list = Array.isArray(e)
    ? e
    : e && typeof e === "object" && Array.isArray((e as { graphQLErrors?: unknown }).graphQLErrors)
      ? (e as { graphQLErrors: unknown[] }).graphQLErrors
      : e && typeof e === "object"
        ? [e]
        : typeof e === "string"
          ? [{ message: e }]
          : [];
  return list.map((item) => {
    const parsed = errorSchema.safeParse(item);
    return parsed.success ? { message: parsed.data.message, code: parsed.data.extensions?.code ?? null } : { message: JSON.stringify(item).slice(0, 200), code: null };
  });
}

/** The body of an answer, or the typed error for an HTTP failure the library threw. */
async function send(admin: AdminGraphql, operation: string, document: string, variables: Record<string, unknown> | undefined, backoffMs: number): Promise<Body> {
  let raw: unknown;
  try {
    const response = await admin.graphql(document, variables ? { variables } : undefined);
    raw = await response.json();
  } catch (error) {
    if (error instanceof Response) {
      if (error.status === 429) {
        const after = Number(error.headers.get("Retry-After"));
        throw new ShopifyThrottledError(operation, "Shopify answered HTTP 429", Number.isFinite(after) && after > 0 ? after * 1000 : backoffMs);
      }
      throw new ShopifyHttpError(operation, error.status, (await error.text().catch(() => "")).slice(0, 200));
    }
    // The library's GraphqlQueryError (errors in a 200 answer) carries the body.
    const carried = (error as { body?: unknown }).body;
    if (carried && typeof carried === "object") raw = carried;
    else if ((error as { name?: string }).name === "HttpThrottlingError") {
      const after = (error as { response?: { retryAfter?: number } }).response?.retryAfter;
      throw new ShopifyThrottledError(operation, "Shopify answered HTTP 429", after ? after * 1000 : backoffMs);
    } else if (typeof (error as { response?: { code?: unknown } }).response?.code === "number") {
      // The library's HttpResponseError.
      const r = (error as { response: { code: number; body?: unknown } }).response;
      throw new ShopifyHttpError(operation, r.code, JSON.stringify(r.body ?? "").slice(0, 200));
    } else throw error;
  }
  const body = bodySchema.safeParse(raw);
  if (!body.success) throw new ShopifyShapeError(operation, "Shopify's answer was not a GraphQL response");
  return body.data;
}

async function once<T>(admin: AdminGraphql, document: string, variables: Record<string, unknown> | undefined, schema: z.ZodType<T>, attempt: number): Promise<T> {
  const operation = operationName(document);
  const backoff = Math.min(30_000, 500 * 2 ** (attempt - 1));
  const body = await send(admin, operation, document, variables, backoff);
  const errors = errorsOf(body);
  if (errors.some((e) => e.code === "THROTTLED" || /throttled/i.test(e.message))) {
    throw new ShopifyThrottledError(operation, "Shopify throttled the request (THROTTLED)", throttleWaitMs(body.extensions, backoff));
  }
  if (errors.length > 0) throw new ShopifyGraphqlError(operation, errors);
  const parsed = schema.safeParse(body.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ShopifyShapeError(operation, `Shopify's answer was not in the expected shape: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}


/** A query (or mutation) whose `data` is parsed with `schema`, retried while Shopify throttles. */
export async function adminQuery<T>(
  admin: AdminGraphql,
  document: string,
  variables: Record<string, unknown> | undefined,
  schema: z.ZodType<T>,
  opts: CallOptions = {},
): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxWaitMs = opts.maxWaitMs ?? 10_000;
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(admin, document, variables, schema, attempt);
    } catch (error) {
      if (!(error instanceof ShopifyThrottledError) || attempt >= maxAttempts || error.retryAfterMs > maxWaitMs) throw error;
      logger.info({ operation: error.operation, attempt, waitMs: error.retryAfterMs }, "Shopify throttled the call: waiting for the cost bucket");
      shopifyThrottleWait.inc(error.retryAfterMs / 1000);
      await sleep(error.retryAfterMs);
    }
  }
}

/**
 * A mutation whose payload sits at `data[field]` and carries `userErrors`: the payload, parsed with
 * `payload`, or ShopifyUserErrors when Shopify refused it.
 */
export async function adminMutation<S extends z.ZodObject<{ userErrors: z.ZodArray<typeof userErrorSchema> }>>(
  admin: AdminGraphql,
  document: string,
  variables: Record<string, unknown>,
  field: string,
  payload: S,
  opts: CallOptions = {},
): Promise<z.output<S>> {
  const data = await adminQuery(admin, document, variables, z.object({ [field]: payload.nullable() }), opts);
  const answer = data[field] as z.output<S> | null;
  const operation = operationName(document);
  if (!answer) throw new ShopifyShapeError(operation, `Shopify answered ${field} with no payload`);
  if (answer.userErrors.length > 0) throw new ShopifyUserErrors(operation, answer.userErrors);
  return answer;
}

/** "gid://shopify/Order/123", "123" or 123 → "gid://shopify/Order/123". */
export function gid(type: string, id: string | number): string {
  const s = String(id);
  return s.startsWith("gid://") ? s : `gid://shopify/${type}/${s}`;
}

/** A failure in words, for a page or a log (never the token: the library holds it, not the error). */
export function describeShopifyFailure(error: unknown): string {
  if (error instanceof ShopifyAdminError) return error.message;
  return `Could not reach Shopify: ${error instanceof Error ? error.message : String(error)}`;
}
