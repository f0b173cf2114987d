// The fuzzer's machinery (test/routes/fuzz-public-endpoints.test.ts): the public endpoints as the
// routes folder declares them, hostile JSON mutations as fast-check arbitraries, one HTTP request
// through node:http (any method, any header, repeated headers, raw bytes), a record of every write
// the database commits (triggers into a side table, on SQLite and PostgreSQL alike) so a refused
// request that wrote is caught whatever table it touched, and the oracles with their tally.
import { readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import fc from "fast-check";
import { db } from "~/db.server";
import { quoteIdent } from "../../scripts/lib/migrate.mjs";
import { repoRoot } from "./app-toml";
import { testDbKind } from "./db";

/**
 * The one timed check the issue demands ("any answer slower than a few seconds"): Shopify gives a
 * webhook and a rate callback 5 s, so no public endpoint may take longer. Generous on purpose: the
 * machines are shared and loaded; the slowest honest answers here are a few hundred ms.
 */
export const FUZZ_SLOW_MS = 5_000;
/** A request still unanswered after this is given up on (and counted as slow, with status 0). */
const GIVE_UP_MS = 30_000;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Requests per endpoint (each webhook topic, each open API operation): NEARHUB_FUZZ_RUNS, default 6 (CI). */
export const FUZZ_RUNS = positiveInt("NEARHUB_FUZZ_RUNS", 6);
/** fast-check's seed: NEARHUB_FUZZ_SEED replays a run; the default is fixed so CI runs the same requests. */
export const FUZZ_SEED = positiveInt("NEARHUB_FUZZ_SEED", 20_261_202);

// ---------------------------------------------------------------------------------------------
// The public endpoints, from app/routes (Remix flat routes)

export interface RouteEntry {
  file: string;
  /** `/api/v1/returns/:id/events`, `/auth/*`, `/`. */
  pattern: string;
}

/** The URL pattern of a flat-routes file: dots are slashes, `[.]` a dot, `$x` a parameter, `$` a splat, `_index` the index. */
export function urlPattern(file: string): string {
  const name = file.replace(/\.(tsx?|jsx?)$/, "");
  const segments = name.split(/\.(?![^[]*\])/).filter((s) => s !== "_index");
  const url = segments.map((s) => (s === "$" ? "*" : s.startsWith("$") ? `:${s.slice(1)}` : s.replaceAll("[.]", ".")));
  return `/${url.join("/")}`;
}

export function routeEntries(): RouteEntry[] {
  return readdirSync(path.join(repoRoot, "app/routes"))
    .filter((f) => /\.(tsx?|jsx?)$/.test(f))
    .map((file) => ({ file, pattern: urlPattern(file) }))
    // app.tsx (the admin's layout) and app._index.tsx are both /app: the index is the page.
    .filter((r, _, all) => !(r.file.split(".").length === 2 && all.some((o) => o !== r && o.pattern === r.pattern)))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

// ---------------------------------------------------------------------------------------------
// Hostile values and JSON mutations

/** Strings that have broken servers: lone surrogates, NUL, huge, right-to-left, look-alike numbers, injection. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("\ud800", "\udfff", "\u0000", "a", "\u202e", "\ufeff", "é"), maxLength: 12 }),
  fc.constantFrom(
    "",
    " ",
    "\ud800",
    "x\udc00",
    "\u0000",
    "null",
    "-1",
    "1e400",
    "NaN",
    "0x10",
    "9".repeat(40),
    "2026-13-45T99:99:99Z",
    "gid://shopify/Order/1",
    "gid://shopify/Return/\ud800",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%00%ff",
    "💥".repeat(2_000),
  ),
  fc.nat({ max: 3 }).map((k) => "x".repeat([1_000, 10_000, 70_000, 300_000][k])),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324),
);

/** Raw JSON text spliced in for a `__FUZZ_RAW_<n>__` placeholder (nesting deeper than JSON.stringify goes). */
const RAW_SPLICES: string[] = ["[".repeat(20_000) + "]".repeat(20_000), '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000), "1" + "0".repeat(400), "-0.0e-999999"];
const rawSplice = fc.nat({ max: RAW_SPLICES.length - 1 }).map((i) => `__FUZZ_RAW_${i}__`);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.constant([]),
  fc.jsonValue({ maxDepth: 3 }),
  rawSplice,
);

type Json = unknown;
type Step = string | number;

/** Every place in a JSON value (the root first), as key paths. */
function placesIn(value: Json, at: Step[] = [], out: Step[][] = []): Step[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => placesIn(v, [...at, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) placesIn(v, [...at, k], out);
  return out;
}

function getAt(value: Json, at: Step[]): Json {
  return at.reduce<Json>((v, k) => (v as Record<Step, Json>)?.[k], value);
}

function setAt(value: Json, at: Step[], next: Json | typeof REMOVE): Json {
  if (at.length === 0) return next === REMOVE ? null : next;
  const [head, ...rest] = at;
  const child = (value as Record<Step, Json>)[head];
  const replaced = rest.length ? setAt(child, rest, next) : next;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (replaced === REMOVE) copy.splice(Number(head), 1);
    else copy[Number(head)] = replaced;
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (replaced === REMOVE) delete copy[head];
  else copy[head] = replaced;
  return copy;
}
const REMOVE = Symbol("remove");

export type Mutation =
  | { op: "set"; place: number; value: Json }
  | { op: "remove"; place: number }
  | { op: "add"; place: number; key: string; value: Json }
  | { op: "grow"; place: number; times: number }
  | { op: "stringify"; place: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("set" as const), place: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("remove" as const), place: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("add" as const), place: fc.nat(), key: fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "id", "")), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("grow" as const), place: fc.nat(), times: fc.constantFrom(2, 50, 600) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("stringify" as const), place: fc.nat() }) },
);

const GROW_BYTES = 2 * 1024 * 1024;

/** Applies mutations to a JSON value, each at a place chosen among the places the value has then. */
export function mutate(seed: Json, mutations: readonly Mutation[]): Json {
  let value = seed;
  for (const m of mutations) {
    const places = placesIn(value);
    const at = places[m.place % places.length];
    const here = getAt(value, at);
    if (m.op === "set") value = setAt(value, at, m.value);
    else if (m.op === "remove") value = at.length ? setAt(value, at, REMOVE) : null;
    else if (m.op === "stringify") value = setAt(value, at, JSON.stringify(here) ?? "");
    else if (m.op === "add") {
      if (here !== null && typeof here === "object" && !Array.isArray(here)) value = setAt(value, at, { ...(here as object), [m.key]: m.value });
      else if (Array.isArray(here)) value = setAt(value, at, [...here, m.value]);
    } else if (m.op === "grow") {
      const list = Array.isArray(here) ? here : [here];
      // At most GROW_BYTES: a larger body is refused (413) before it is read, and the client, still
      // writing, sees the connection closed instead of the answer (security-http.test.ts sends those).
      const times = Math.max(1, Math.min(m.times, Math.floor(GROW_BYTES / (jsonText(list).length + 1))));
      value = setAt(value, at, Array.from({ length: times }, (_, i) => list[i % Math.max(1, list.length)] ?? null));
    }
  }
  return value;
}

/** JSON text of a value, with raw splices put in. */
export function jsonText(value: Json): string {
  return (JSON.stringify(value) ?? "null").replace(/"__FUZZ_RAW_(\d+)__"/g, (_, i: string) => RAW_SPLICES[Number(i)]);
}

/** A body: the seed mutated (mostly), or bytes that are not the seed's JSON at all. */
export function bodyFor(seed: Json): fc.Arbitrary<{ text: Buffer; label: string }> {
  const seedText = JSON.stringify(seed);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ text: Buffer.from(seedText), label: "seed body" }) },
    {
      weight: 6,
      arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ({
        text: Buffer.from(jsonText(mutate(seed, ms))),
        label: ms.map((m) => m.op).join("+"),
      })),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((b) => ({ text: Buffer.from(b), label: "random bytes" })),
        fc.nat({ max: Math.max(0, seedText.length - 1) }).map((n) => ({ text: Buffer.from(seedText.slice(0, n)), label: "truncated" })),
        fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: Buffer.from(JSON.stringify(v) ?? "null"), label: "other JSON" })),
        fc.constantFrom("", "null", "[]", "0", '"x"', "\ufeff" + seedText, seedText.replace(/^\{/, '{"id":1,"id":"dup",'), seedText + "garbage").map((t) => ({ text: Buffer.from(t), label: "odd JSON" })),
        fc.constant({ text: Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]), label: "not UTF-8" }),
      ),
    },
  );
}

/** A content type, mostly the right one. */
export const contentType = (right: string) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant<string | undefined>(right) }, fc.constantFrom<string | undefined>(undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "*/*", "\u00ff"));

/** A method, mostly the right one. */
export const methodFor = (right: string) => fc.oneof({ weight: 8, arbitrary: fc.constant(right) }, fc.constantFrom("GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"));

/** The path, mostly as is; sometimes with a query string, a trailing slash, doubled slashes or encoded bytes. */
export const pathFor = (right: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(right) },
    fc.constantFrom(`${right}/`, `${right}?`, `${right}?a=%ff&a=%ud800`, `/${right}`, `${right}%2F..%2F`, `${right}?_data=routes%2Fapp`, `${right}.data`),
    fc.string({ unit: "binary", maxLength: 20 }).map((q) => `${right}?q=${encodeURIComponent(q.replace(/[\ud800-\udfff]/g, "x"))}`),
  );

// ---------------------------------------------------------------------------------------------
// HTTP

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
  /** What was mutated, for the report. */
  label: string;
  /** Sent without valid credentials (bad signature, token or key): must be refused and write nothing. */
  unsigned?: boolean;
  /** Must write nothing whatever it answers (a replayed delivery: Shopify's duplicates answer 200). */
  noEffect?: boolean;
  /** Writes allowed even when refused ("ApiKey update": a valid key's last use, recorded once a minute). */
  bookkeeping?: readonly string[];
}

export interface Answer {
  status: number;
  ms: number;
  body: string;
}

export function send(base: string, req: FuzzRequest): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
    if (req.body !== undefined) headers["Content-Length"] = String(req.body.length);
    let done = false;
    const finish = (status: number, body: string) => {
      if (done) return;
      done = true;
      resolve({ status, ms: performance.now() - started, body });
    };
    let client: http.ClientRequest;
    /** The status, once it came: a server that answers and closes at once (Node's own 431) resets the socket after it. */
    let status = 0;
    try {
      client = http.request(`${base}${req.path}`, { method: req.method, headers, timeout: GIVE_UP_MS, agent: false }, (res) => {
        status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (d: Buffer) => {
          if (size < 200_000) chunks.push(d);
          size += d.length;
        });
        res.on("end", () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
        res.on("error", (e) => finish(status, `response failed: ${e.message}`));
      });
    } catch (error) {
      // A header node:http itself will not send (e.g. a character outside Latin-1): nothing left the client.
      resolve({ status: -1, ms: 0, body: (error as Error).message });
      return;
    }
    client.on("timeout", () => client.destroy(new Error(`no answer within ${GIVE_UP_MS} ms`)));
    client.on("error", (e) => finish(status, `request failed: ${e.message}`));
    client.end(req.body);
  });
}

// ---------------------------------------------------------------------------------------------
// Every write the database commits

const WRITE_LOG = "_FuzzWrite";

/**
 * Adds a side table and, on every table of the app (but `skip`), triggers that append one row per
 * inserted, updated or deleted row to it, in the same transaction: a write that commits is recorded,
 * one rolled back is not. This file's own database only (each test file has its own copy).
 */
export async function recordWrites(skip: readonly string[] = []): Promise<void> {
  const log = quoteIdent(WRITE_LOG);
  if (testDbKind() === "postgresql") {
    const tables = await db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('_prisma_migrations', '${WRITE_LOG}')`,
    );
    await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS ${log} (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)`);
    await db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION "_fuzz_write"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${log} (tbl, op) VALUES (TG_TABLE_NAME, lower(TG_OP)); RETURN NULL; END $$`,
    );
    for (const { name } of tables.filter((t) => !skip.includes(t.name))) {
      await db.$executeRawUnsafe(`CREATE TRIGGER "_fuzz_write" AFTER INSERT OR UPDATE OR DELETE ON ${quoteIdent(name)} FOR EACH ROW EXECUTE FUNCTION "_fuzz_write"()`);
    }
    return;
  }
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('_prisma_migrations', '${WRITE_LOG}')`,
  );
  await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS ${log} (id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, op TEXT NOT NULL)`);
  for (const { name } of tables.filter((t) => !skip.includes(t.name))) {
    for (const op of ["insert", "update", "delete"]) {
      await db.$executeRawUnsafe(
        `CREATE TRIGGER ${quoteIdent(`_fuzz_${name}_${op}`)} AFTER ${op.toUpperCase()} ON ${quoteIdent(name)} BEGIN INSERT INTO ${log} (tbl, op) VALUES ('${name}', '${op}'); END`,
      );
    }
  }
}

/** How many rows each table has had inserted, updated and deleted so far: `{ "Order update": 3 }`. */
export async function writesSoFar(): Promise<Map<string, number>> {
  const rows = await db.$queryRawUnsafe<{ tbl: string; op: string; n: bigint | number }[]>(`SELECT tbl, op, count(*) AS n FROM ${quoteIdent(WRITE_LOG)} GROUP BY tbl, op`);
  return new Map(rows.map((r) => [`${r.tbl} ${r.op}`, Number(r.n)]));
}

/** What changed between two counts: ["Order update ×3"]. */
export function writesBetween(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([k, n]) => n !== (before.get(k) ?? 0)).map(([k, n]) => `${k} ×${n - (before.get(k) ?? 0)}`);
}

/**
 * Waits until no write has committed for `quietMs` (an accepted request's work after its answer,
 * e.g. a return decided in the background), at most `limitMs`.
 */
export async function settle(quietMs = 60, limitMs = 10_000): Promise<Map<string, number>> {
  const started = Date.now();
  let last = await writesSoFar();
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = await writesSoFar();
    if (writesBetween(last, now).length === 0 || Date.now() - started > limitMs) return now;
    last = now;
  }
}

// ---------------------------------------------------------------------------------------------
// Oracles and tally

export type FailureKind = "5xx" | "slow" | "wrote on refusal" | "accepted unsigned" | "leak";

export interface Failure {
  kind: FailureKind;
  endpoint: string;
  request: string;
  detail: string;
}

const LEAK = [path.resolve(repoRoot), "node_modules", /\n\s+at [^\n]+:\d+:\d+/];

export class Tally {
  readonly failures: Failure[] = [];
  private readonly sent = new Map<string, Map<string, number>>();

  /** Judges one answer; `writes` are the rows written between sending and answering (see writesBetween). */
  judge(endpoint: string, req: FuzzRequest, answer: Answer, writes: string[]): void {
    const statuses = this.sent.get(endpoint) ?? new Map<string, number>();
    this.sent.set(endpoint, statuses);
    const key = answer.status <= 0 ? "none" : String(answer.status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (answer.status === -1) return; // never sent (node:http refused the header)
    const what = `${req.method} ${req.path.slice(0, 120)} [${req.label}]`;
    const fail = (kind: FailureKind, detail: string) => this.failures.push({ kind, endpoint, request: what, detail });
    if (answer.status === 0 || answer.status >= 500) fail("5xx", `${answer.status || "no answer"}: ${answer.body.slice(0, 300)}`);
    if (answer.ms > FUZZ_SLOW_MS) fail("slow", `${Math.round(answer.ms)} ms (limit ${FUZZ_SLOW_MS} ms)`);
    const refused = answer.status >= 400 || answer.status === 0 || req.unsigned || req.noEffect;
    // The rate limits' counters count every request, refused or not: that is their job (rate-limit.server.ts).
    const effects = writes.filter((w) => !w.startsWith("RateLimit ") && !req.bookkeeping?.some((b) => w.startsWith(`${b} `)));
    if (refused && effects.length > 0) fail("wrote on refusal", `${answer.status}, wrote ${effects.join(", ")}`);
    // A redirect (to the login, to Shopify's bounce page) refuses as well as a 4xx does.
    if (req.unsigned && answer.status >= 200 && answer.status < 300) fail("accepted unsigned", `${answer.status}: ${answer.body.slice(0, 200)}`);
    const leak = LEAK.find((l) => (typeof l === "string" ? answer.body.includes(l) : l.test(answer.body)));
    if (leak) fail("leak", `answer holds ${String(leak)}: ${answer.body.slice(0, 200)}`);
  }

  /** One line: requests per endpoint with their statuses, and failures by kind. */
  summary(title: string): string {
    let total = 0;
    const parts = [...this.sent].map(([endpoint, statuses]) => {
      const n = [...statuses.values()].reduce((a, b) => a + b, 0);
      total += n;
      return `${endpoint} ${n} (${[...statuses].sort().map(([s, c]) => `${s}×${c}`).join(" ")})`;
    });
    const kinds = new Map<string, number>();
    for (const f of this.failures) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    const failures = kinds.size ? [...kinds].map(([k, n]) => `${k} ${n}`).join(", ") : "none";
    return `[fuzz] ${title}, seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs: ${total} requests, failures: ${failures}; ${parts.join("; ")}`;
  }

}

/** Failures counted by endpoint and kind, then the first few in full (for an assertion's message). */
export function reportOf(failures: readonly Failure[], max = 15): string {
  const by = new Map<string, number>();
  for (const f of failures) by.set(`${f.endpoint}: ${f.kind}`, (by.get(`${f.endpoint}: ${f.kind}`) ?? 0) + 1);
  return [...[...by].map(([k, n]) => `${k} ×${n}`), "", ...failures.slice(0, max).map((f) => `${f.kind} ${f.request}: ${f.detail}`)].join("\n");
}
