// What a request must be before a route reads it: not larger than its path's body limit (413), a form
// where a form is expected (415, 400), and, for forms that change things, from the app's own origin
// (403). The production server (server.mjs) applies the same limits before Remix sees a byte; routes
// read bodies through readBody (or have requireAdmin run assertReadableForm) so `remix vite:dev` and
// direct calls enforce them too. Refusals never repeat what the request said (a page may render them).
import { MAX_RATE_REQUEST_BYTES } from "./carrier-rates.server";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The largest body each path (and everything below it) accepts, first match wins (README, "Limits").
 * Sized to the largest legitimate request with room to spare: Shopify's own payloads, the open API's
 * schema maxima (500 orders of up to 200 lines for a routing plan), a rate-card CSV.
 */
export const BODY_LIMITS: readonly { path: string; bytes: number }[] = [
  { path: "/api/carrier-service/rates", bytes: MAX_RATE_REQUEST_BYTES },
  { path: "/api/checkout", bytes: 64 * KiB },
  { path: "/api/v1/routing/plan", bytes: 8 * MiB },
  { path: "/api/v1", bytes: 1 * MiB },
  { path: "/webhooks", bytes: 5 * MiB },
  { path: "/app/shipping/rate-cards/import", bytes: 4 * MiB },
  // A permit document of at most 10 MB (services/permits/documents.server.ts) and its form's envelope.
  { path: "/app/permits", bytes: 12 * MiB },
  { path: "/app", bytes: 1 * MiB },
];
/** Every other path: the landing page, /auth/*, the app proxy. */
export const DEFAULT_BODY_LIMIT = 64 * KiB;

export function bodyLimitFor(pathname: string): number {
  return BODY_LIMITS.find((l) => pathname === l.path || pathname.startsWith(`${l.path}/`))?.bytes ?? DEFAULT_BODY_LIMIT;
}

export const tooLargeMessage = (limit: number, pathname: string) =>
  `body: larger than ${limit} bytes, the most ${pathname} accepts`;

/** A refusal in the format the caller reads: plain text for pages, { error } for JSON endpoints. */
export function refusal(status: number, message: string, format: "text" | "json", headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("Cache-Control", "no-store");
  if (format === "json") return Response.json({ error: message }, { status, headers: h });
  h.set("Content-Type", "text/plain; charset=utf-8");
  return new Response(message, { status, headers: h });
}

/**
 * The body's bytes, at most `limit` of them: a declared Content-Length over the limit is refused
 * before reading, a longer stream as soon as it passes the limit. Throws a 413 Response.
 */
export async function readBody(request: Request, format: "text" | "json", limit?: number): Promise<Uint8Array<ArrayBuffer>> {
  const pathname = new URL(request.url).pathname;
  const max = limit ?? bodyLimitFor(pathname);
  const tooLarge = () => refusal(413, tooLargeMessage(max, pathname), format, { Connection: "close" });
  if (Number(request.headers.get("content-length")) > max) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** The request's media type, lower case, without parameters ("" when absent). */
export const mediaType = (request: Request) => (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
/** A media type fit to quote back: type/subtype of token characters, or a plain description. */
const quotable = (type: string) => (/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : type ? "that content type" : "a body without a type");

/**
 * Checks that a form post is a form within its path's limit, without consuming the body the route
 * reads (it parses a copy). Throws 415 for another content type, 413 for a body too large, 400 for a
 * form that does not parse.
 */
export async function assertReadableForm(request: Request): Promise<void> {
  const type = mediaType(request);
  const copy = request.clone();
  if (!FORM_TYPES.includes(type)) {
    // A post with nothing in it (a bare button) needs no content type.
    if (type === "" && (await readBody(copy, "text")).byteLength === 0) return;
    throw refusal(415, `Content-Type: this page accepts form posts (${FORM_TYPES.join(" or ")}), not ${quotable(type)}`, "text");
  }
  const bytes = await readBody(copy, "text");
  try {
    await new Response(bytes, { headers: { "Content-Type": request.headers.get("content-type")! } }).formData();
  } catch {
    throw refusal(400, `body: not a valid ${type} form`, "text");
  }
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
export const isLoopbackHost = (hostname: string) => LOOPBACK.has(hostname);

/**
 * Why a state-changing request is not from one of `allowed` origins, or null when it is. Browsers
 * send Origin on every cross-origin POST (and Sec-Fetch-Site on all modern ones); a request with
 * neither comes from a program, not a page another site controls.
 */
export function crossOriginProblem(request: Request, allowed: readonly string[]): string | null {
  const origin = request.headers.get("origin");
  if (origin !== null) return allowed.includes(origin) ? null : "a page of another origin may not post here";
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    return `a ${site === "same-site" ? "same-site" : "cross-site"} request may not post here`;
  }
  return null;
}
