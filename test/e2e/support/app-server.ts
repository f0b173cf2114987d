// Browser- and HTTP-test support: build the app when the build is missing or older than the source,
// start the real production server (server.mjs) in its own process (demo mode, or a connected app)
// against a given database, and launch Debian's Chromium through playwright-core.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const BUILT_SERVER = path.join(ROOT, "build", "server", "index.js");
const LOCK_DIR = path.join(ROOT, ".cache", "e2e-build.lock");
/** What the build is made from: a newer file here means the build is stale. */
const BUILD_INPUTS = ["app", "vite.config.ts", "tsconfig.json", "package.json", "prisma/schema.prisma"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function buildIsStale(): boolean {
  if (!existsSync(BUILT_SERVER)) return true;
  const built = statSync(BUILT_SERVER).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > built);
}

/** Runs a command to completion, keeping its output for the error message. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} failed (${code ?? signal}):\n${output.slice(-4000)}`)),
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the app (remix vite:build) if build/ is missing or stale. A lock directory keeps two
 * test files (or two engineers) from building at once; the second waits and re-checks.
 */
export async function ensureBuild(): Promise<"fresh" | "built"> {
  mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      // Another build holds the lock; a lock older than 10 minutes was left by a killed run.
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > 10 * 60_000) rmdirSync(LOCK_DIR);
      } catch {
        // The other build released it meanwhile.
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the build lock ${LOCK_DIR}`);
      await sleep(500);
    }
  }
  try {
    if (!buildIsStale()) return "fresh";
    const env = { ...process.env, NODE_ENV: "production" } as NodeJS.ProcessEnv;
    await run(process.execPath, [path.join(ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"], env);
    return "built";
  } finally {
    rmdirSync(LOCK_DIR);
  }
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** What the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (for a server that must know its own URL before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface AppServerOptions {
  databaseUrl: string;
  /** Demo mode (the default), or a connected app: then `env` must hold the Shopify settings. */
  demo?: boolean;
  /** Port to listen on; 0 (the default) for any free one. */
  port?: number;
  /** More environment, over the test process's own. */
  env?: Record<string, string>;
  /** A module the server process imports before the app (`node --import`), e.g. a fake Shopify. */
  preload?: string;
}

/**
 * Starts server.mjs's startServer() in a child process, with DATABASE_URL and the mode set before
 * the server build is imported (the build reads them on first use). `env` goes last (test/resilience
 * runs the server in production mode: `NODE_ENV: "production"`).
 */
export async function startAppServer(options: AppServerOptions): Promise<RunningServer> {
  const serverModule = pathToFileURL(path.join(ROOT, "server.mjs")).href;
  const script = [
    `const { startServer } = await import(${JSON.stringify(serverModule)});`,
    `const { url } = await startServer({ port: ${options.port ?? 0}, quiet: true });`,
    "console.log('NEARHUB_E2E_URL ' + url);",
    "process.on('SIGTERM', () => process.exit(0));",
  ].join("\n");
  // Demo mode refuses production; vitest's NODE_ENV=test would put Remix in test mode. Use the default.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: options.databaseUrl, LOG_LEVEL: "warn" };
  if (options.demo ?? true) env.NEARHUB_DEMO = "1";
  else Reflect.deleteProperty(env, "NEARHUB_DEMO");
  Reflect.deleteProperty(env, "NODE_ENV");
  Reflect.deleteProperty(env, "PORT");
  Object.assign(env, options.env);
  const preload = options.preload ? ["--import", pathToFileURL(options.preload).href] : [];
  const child = spawn(process.execPath, [...preload, "--input-type=module", "-e", script], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start within 30 s:\n${output}`)), 30_000);
    child.stdout!.on("data", (d) => {
      output += d;
      const match = /NEARHUB_E2E_URL (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code} before it listened:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}

/** server.mjs in demo mode on a free port, against a given database. */
export const startDemoServer = (databaseUrl: string) => startAppServer({ databaseUrl });

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\``);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A page that never reaches the internet: Shopify's CDN (App Bridge) answers empty, anything else non-local fails. */
export async function newPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  // Routes registered later are tried first: the catch-all goes in before the CDN stub.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
  await context.route("https://cdn.shopify.com/**", (route) => route.fulfill({ status: 200, body: "" }));
  return context.newPage();
}

/** Waits until React has hydrated the page (its props are attached to a given element). */
export async function waitForHydration(page: Page, selector = "form, a, button"): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return el !== null && Object.keys(el).some((k) => k.startsWith("__reactProps"));
    },
    selector,
    { timeout: 15_000 },
  );
}
