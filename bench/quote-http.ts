// Load test of the checkout hot path: Shopify's CarrierService rate requests against the real
// production server, next to a bare node:http server on the same machine, plus the quoting
// core's own throughput. Run: npm run bench:quote   (tsx bench/quote-http.ts)
//
//   1. builds the app if build/ is missing or stale (the same lock as the browser tests);
//   2. prepares a temporary SQLite database (scripts/db-prepare.mjs) and seeds the demo
//      marketplace into it (prisma/seed.ts), then starts server.mjs in a child process with
//      NODE_ENV=production (not demo mode), a made-up app key and secret, on 127.0.0.1;
//   3. signs 200 varied rate requests shaped like Shopify's (1–5 demo SKUs, cents or decimal
//      prices, New York, Austin and US-wide addresses, a third without coordinates) and checks
//      each is answered 200 with rates;
//   4. loads POST /api/carrier-service/rates with autocannon (50 connections, 15 s), rotating the
//      200 pre-built requests, while sampling the server's RSS (VmRSS/VmHWM in /proc/<pid>/status);
//   5. the same load against BENCH_PROCESSES (2) app processes on the same port (`npm start` with
//      NEARHUB_PROCESSES, Node's cluster; issue 17 item 3): the scaling factor is their requests per
//      second over the single process's, measured in the same run (BENCH_PROCESSES=1 skips it);
//   6. loads a bare node:http server answering a fixed JSON body the same way;
//   7. runs bench/quote-core.ts for the core's quotes per second.
// The last line printed is one JSON object with every figure, including requests per CPU second the
// server used (from /proc/<pid>/stat), which other load on a shared machine moves much less than
// requests per wall-clock second. Traffic goes to 127.0.0.1 only and
// every loop is bounded in time. Environment: BENCH_SECONDS (15), BENCH_CONNECTIONS (50),
// CORE_QUOTES (passed to quote-core.ts as QUOTES, 150000), BENCH_CPU_PROFILE_DIR (the app server writes
// its V8 CPU profile of the whole run there: open it in Chrome DevTools or read it with
// bench/cpu-profile-top.mjs).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PRODUCTS } from "../prisma/seed/demo-catalog";
import { ATX_ZIPS, NYC_ZIPS, TAIL_METROS } from "../prisma/seed/demo-geo";
import { allZipRecords, lookupZip } from "../prisma/seed/zipcodes";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CORE_QUOTES = Number(process.env.CORE_QUOTES ?? 150_000);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 2);
const BODIES = 200;
const SECRET = "bench-shopify-api-secret-0123456789";
const SHOP = "nearhub-demo.myshopify.com";
const PATH = "/api/carrier-service/rates";
// Issue 12 item 4: >= 0.35x the bare server's throughput and its requests per CPU second, p99 <= 10 ms at 50
// connections, peak RSS <= 250 MB, with at least a third of the carts from more than one seller.
const TARGETS = { p99Ms: 10, throughputRatio: 0.35, cpuEfficiencyRatio: 0.35, peakRssMb: 250, coreQuotesPerSecond: 20_000, multiSellerShare: 1 / 3 };

// autocannon ships without type declarations: the part of its API used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; requests: object[] }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const children = new Set<ChildProcess>();
let tmp: string | null = null;

function cleanup() {
  for (const child of children) if (child.exitCode === null && child.pid) child.kill("SIGKILL");
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

function step(label: string) {
  console.log(`▸ ${label}`);
}

function runOrFail(label: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", timeout: 15 * 60_000 });
  if (r.status !== 0) throw new Error(`${label} failed (${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// 1. Build (same inputs and lock as test/e2e/support/app-server.ts)

const BUILT = path.join(ROOT, "build", "server", "index.js");
const LOCK = path.join(ROOT, ".cache", "e2e-build.lock");
const BUILD_INPUTS = ["app", "vite.config.ts", "tsconfig.json", "package.json", "prisma/schema.prisma"];

function newest(target: string): number {
  if (!existsSync(target)) return 0;
  const s = statSync(target);
  if (!s.isDirectory()) return s.mtimeMs;
  let n = s.mtimeMs;
  for (const e of readdirSync(target)) n = Math.max(n, newest(path.join(target, e)));
  return n;
}

async function ensureBuild(): Promise<string> {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${LOCK}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    const stale = !existsSync(BUILT) || BUILD_INPUTS.some((i) => newest(path.join(ROOT, i)) > statSync(BUILT).mtimeMs);
    if (!stale) return "build is fresh";
    runOrFail("remix vite:build", [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { ...process.env, NODE_ENV: "production" });
    return "built";
  } finally {
    rmdirSync(LOCK);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Servers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d) => (output += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it listened:\n${output}`));
    });
  });
}

const BARE_SERVER = `
const http = require("node:http");
const body = JSON.stringify({ rates: [{ service_name: "Standard shipping", service_code: "NH:nj-secaucus-dc:STANDARD", total_price: "1299", currency: "USD", description: "Thu, Jun 12 – Fri, Jun 13 from the Secaucus Fulfilment Center", min_delivery_date: "2025-06-12 09:00:00 -0400", max_delivery_date: "2025-06-13 20:00:00 -0400" }] });
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => { res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }); res.end(body); });
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("BARE_READY"));
process.on("SIGTERM", () => process.exit(0));
`;

// ---------------------------------------------------------------------------------------------
// 3. Rate requests

let seed = 20_250_610;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pickOf = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

interface Address {
  zip: string;
  city: string;
  province: string;
  latitude: number;
  longitude: number;
}

function addresses(): { nyc: Address[]; atx: Address[]; us: Address[] } {
  const of = (zip: string): Address | null => {
    const z = lookupZip(zip);
    return z ? { zip: z.zip, city: z.city, province: z.state, latitude: z.latitude, longitude: z.longitude } : null;
  };
  const all = allZipRecords().filter((r) => r.country === "US" && /^\d{5}$/.test(r.zip));
  const nearMetro = (lat: number, lng: number) => all.filter((r) => Math.abs(r.latitude - lat) < 0.3 && Math.abs(r.longitude - lng) < 0.3);
  return {
    nyc: NYC_ZIPS.map(([zip]) => of(zip)).filter((a): a is Address => a !== null),
    atx: ATX_ZIPS.map(([zip]) => of(zip)).filter((a): a is Address => a !== null),
    us: TAIL_METROS.flatMap(([, lat, lng]) => nearMetro(lat, lng).slice(0, 5)).map((r) => of(r.zip)!),
  };
}

interface SignedRequest {
  method: "POST";
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The 200 requests, and how many of their carts hold items of more than one seller. */
function rateRequests(): SignedRequest[] & { multiSeller: number } {
  const places = addresses();
  const out = Object.assign([] as SignedRequest[], { multiSeller: 0 });
  for (let i = 0; i < BODIES; i++) {
    const r = rand();
    const place = r < 0.45 ? pickOf(places.nyc) : r < 0.7 ? pickOf(places.atx) : pickOf(places.us);
    const jitter = () => (rand() - 0.5) * 0.01;
    const withCoordinates = rand() < 0.67;
    const lines = 1 + Math.floor(rand() * 5);
    const decimals = rand() < 0.3;
    const items = Array.from({ length: lines }, () => {
      const p = pickOf(PRODUCTS);
      const quantity = 1 + Math.floor(rand() * (p.multiples ? 3 : 2));
      return {
        name: p.title,
        sku: p.sku,
        quantity,
        grams: p.weightGrams,
        price: decimals ? (p.valueMinor / 100).toFixed(2) : p.valueMinor,
        vendor: p.seller,
        requires_shipping: true,
        taxable: true,
        fulfillment_service: "manual",
        properties: null,
        product_id: 8_123_456_789_000 + i,
        variant_id: 44_120_113_000 + PRODUCTS.indexOf(p) * 131,
      };
    });
    if (new Set(items.map((item) => item.vendor)).size > 1) out.multiSeller++;
    const body = JSON.stringify({
      rate: {
        origin: { country: "US", postal_code: "07094", province: "NJ", city: "Secaucus", address1: "500 Meadowlands Pkwy" },
        destination: {
          country: "US",
          postal_code: place.zip,
          province: place.province,
          city: place.city,
          name: "Bench Shopper",
          address1: `${1 + Math.floor(rand() * 900)} Bench St`,
          address2: null,
          latitude: withCoordinates ? place.latitude + jitter() : null,
          longitude: withCoordinates ? place.longitude + jitter() : null,
          phone: null,
          email: null,
          address_type: null,
          company_name: null,
        },
        items,
        currency: "USD",
        locale: pickOf(["en", "en-US", "es", "fr"]),
      },
    });
    out.push({
      method: "POST",
      path: PATH,
      headers: {
        "content-type": "application/json",
        "user-agent": "Ruby",
        "x-shopify-shop-domain": SHOP,
        "x-shopify-timeout": "10000",
        "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
      },
      body,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 4–6. Load

interface Load {
  requestsPerSecond: number;
  /** Requests answered per CPU second the server used: robust to other load on the machine. */
  requestsPerCpuSecond?: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function load(url: string, requests: SignedRequest[]): Promise<Load> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests });
  return {
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) the process has used: /proc/<pid>/stat fields 14 and 15, in clock ticks. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

function coreBench(): number {
  const out = runOrFail("bench/quote-core.ts", [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "bench/quote-core.ts")], {
    ...process.env,
    QUOTES: String(CORE_QUOTES),
  });
  process.stdout.write(out.split("\n").slice(0, -2).map((l) => `  core: ${l}\n`).join(""));
  const last = out.trim().split("\n").at(-1)!;
  return (JSON.parse(last) as { quotesPerSecond: number }).quotesPerSecond;
}

const fmt = (l: Load) =>
  `${l.requestsPerSecond} req/s, p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, ${l.requestsPerCpuSecond} req per CPU second ` +
  `(${l.requests} requests, ${l.non2xx} non-2xx, ${l.errors} errors, ${l.timeouts} timeouts)`;

async function main() {
  step(`Build: ${await ensureBuild()}`);

  tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-bench-"));
  const databaseUrl = `file:${path.join(tmp, "bench.db")}`;
  const dbEnv = { ...process.env, DATABASE_URL: databaseUrl };
  step(`Database: ${databaseUrl}`);
  runOrFail("db:prepare", [path.join(ROOT, "scripts/db-prepare.mjs")], dbEnv);
  // The seed runs as `npm run demo` runs it (demo mode: its stand-in Admin API needs no app credentials).
  runOrFail("demo seed", [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "prisma/seed.ts")], { ...dbEnv, NEARHUB_DEMO: "1", NODE_ENV: "development" });

  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: appUrl,
    NEARHUB_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    NEARHUB_COURIER_QUOTES: "0",
    NEARHUB_RETURNS_JOB: "0",
    ...(process.env.BENCH_CPU_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}` } : {}),
  };
  delete serverEnv.NEARHUB_DEMO;
  step(`App server: ${appUrl} (NODE_ENV=production)`);
  const app = await startChild([path.join(ROOT, "server.mjs")], serverEnv, /Nearhub listening on/);

  const requests = rateRequests();
  const multiSellerShare = requests.multiSeller / requests.length;
  step(`Checking ${requests.length} signed rate requests (${requests.multiSeller} of them carts from more than one seller)`);
  let rates = 0;
  let backups = 0;
  for (const req of requests) {
    const res = await fetch(appUrl + req.path, { method: "POST", headers: req.headers, body: req.body });
    const body = (await res.json()) as { rates?: { service_code: string; total_price: string }[] };
    if (res.status !== 200 || !body.rates) throw new Error(`rate request answered ${res.status}: ${JSON.stringify(body)}`);
    if (body.rates.length === 0) throw new Error(`no rates for ${req.body}`);
    if (body.rates.some((r) => !/^\d+$/.test(r.total_price))) throw new Error(`bad total_price in ${JSON.stringify(body)}`);
    rates += body.rates.length;
    if (body.rates.some((r) => r.service_code.startsWith("NH:BACKUP:"))) backups++;
  }
  console.log(`  all 200 with rates: ${(rates / requests.length).toFixed(2)} rates per request, ${backups} answered with backup rates`);

  step(`Load: ${CONNECTIONS} connections, ${SECONDS} s, POST ${PATH}`);
  let peakRss = 0;
  const sampler = setInterval(() => {
    const m = memoryOf(app.pid!);
    if (m) peakRss = Math.max(peakRss, m.rssMb, m.hwmMb);
  }, 200);
  const appCpu0 = cpuSecondsOf(app.pid!);
  const appLoad = await load(appUrl + PATH, requests);
  appLoad.requestsPerCpuSecond = Math.round(appLoad.requests / (cpuSecondsOf(app.pid!) - appCpu0));
  clearInterval(sampler);
  const end = memoryOf(app.pid!);
  if (end) peakRss = Math.max(peakRss, end.hwmMb);
  console.log(`  app:  ${fmt(appLoad)}; peak RSS ${peakRss.toFixed(0)} MB`);
  const appExited = new Promise((resolve) => app.once("exit", resolve));
  app.kill("SIGTERM");
  await appExited; // a CPU profile is written on the way out

  let cluster: (Load & { processes: number; scalingFactor: number }) | null = null;
  if (PROCESSES > 1) {
    const clusterPort = await freePort();
    const clusterUrl = `http://127.0.0.1:${clusterPort}`;
    step(`Load: the same against ${PROCESSES} app processes on one port (NEARHUB_PROCESSES=${PROCESSES})`);
    const primary = await startChild(
      [path.join(ROOT, "server.mjs")],
      { ...serverEnv, PORT: String(clusterPort), SHOPIFY_APP_URL: clusterUrl, NEARHUB_PROCESSES: String(PROCESSES), NODE_OPTIONS: "" },
      new RegExp(`(Nearhub listening on[\\s\\S]*){${PROCESSES}}`),
    );
    // Each process loads the shop's snapshot on its first rate request: warm them all before the clock runs.
    for (const req of requests.slice(0, PROCESSES * 20)) await fetch(clusterUrl + req.path, { method: "POST", headers: req.headers, body: req.body }).then((r) => r.arrayBuffer());
    const clusterLoad = await load(clusterUrl + PATH, requests);
    cluster = { ...clusterLoad, processes: PROCESSES, scalingFactor: Number((clusterLoad.requestsPerSecond / appLoad.requestsPerSecond).toFixed(2)) };
    console.log(`  ${PROCESSES} processes: ${clusterLoad.requestsPerSecond} req/s, p50 ${clusterLoad.p50Ms} ms, p99 ${clusterLoad.p99Ms} ms (${clusterLoad.non2xx} non-2xx, ${clusterLoad.errors} errors); ${cluster.scalingFactor}x one process on ${os.cpus().length} CPUs shared with the load generator`);
    const primaryExited = new Promise((resolve) => primary.once("exit", resolve));
    primary.kill("SIGTERM");
    await primaryExited;
  }

  const barePort = await freePort();
  const bare = await startChild(["-e", BARE_SERVER], { ...process.env, PORT: String(barePort) }, /BARE_READY/);
  step(`Load: the same against a bare node:http server`);
  const bareCpu0 = cpuSecondsOf(bare.pid!);
  const bareLoad = await load(`http://127.0.0.1:${barePort}${PATH}`, requests);
  bareLoad.requestsPerCpuSecond = Math.round(bareLoad.requests / (cpuSecondsOf(bare.pid!) - bareCpu0));
  console.log(`  bare: ${fmt(bareLoad)}`);
  bare.kill("SIGTERM");

  step("Core: bench/quote-core.ts");
  const coreQuotesPerSecond = coreBench();

  const throughputRatio = Number((appLoad.requestsPerSecond / bareLoad.requestsPerSecond).toFixed(3));
  const cpuEfficiencyRatio = Number((appLoad.requestsPerCpuSecond! / bareLoad.requestsPerCpuSecond!).toFixed(3));
  const loadAverage = os.loadavg()[0];
  const result = {
    app: appLoad,
    bare: bareLoad,
    cluster,
    throughputRatio,
    cpuEfficiencyRatio,
    peakRssMb: Math.round(peakRss),
    coreQuotesPerSecond,
    connections: CONNECTIONS,
    seconds: SECONDS,
    cpus: os.cpus().length,
    loadAverage1m: Number(loadAverage.toFixed(2)),
    multiSellerShare: Number(multiSellerShare.toFixed(3)),
    targets: TARGETS,
    met: {
      p99: appLoad.p99Ms <= TARGETS.p99Ms,
      throughputRatio: throughputRatio >= TARGETS.throughputRatio,
      cpuEfficiencyRatio: cpuEfficiencyRatio >= TARGETS.cpuEfficiencyRatio,
      multiSellerShare: multiSellerShare >= TARGETS.multiSellerShare,
      peakRss: peakRss <= TARGETS.peakRssMb,
      core: coreQuotesPerSecond >= TARGETS.coreQuotesPerSecond,
    },
  };
  console.log(
    `Summary: app p50 ${appLoad.p50Ms} ms, p99 ${appLoad.p99Ms} ms, ${appLoad.requestsPerSecond} req/s; bare p50 ${bareLoad.p50Ms} ms, ` +
      `p99 ${bareLoad.p99Ms} ms, ${bareLoad.requestsPerSecond} req/s; ratio ${throughputRatio} (per CPU second ${cpuEfficiencyRatio}); ` +
      `peak RSS ${Math.round(peakRss)} MB; core ${coreQuotesPerSecond} quotes/s; load average ${loadAverage.toFixed(1)} on ${os.cpus().length} CPUs`,
  );
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
