// `npm run demo` twice in the same folder (issue 9): the second used to run the schema engine against
// the database the first had open and die with its stack trace at "Preparing the database". Now it
// says where the first one serves, and the first one goes on serving. Real processes, real ports.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateSqlite } from "../../scripts/lib/migrate.mjs";
import { ROOT, ensureBuild, freePort } from "../e2e/support/app-server";

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(script: string, env: Record<string, string>): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LOG_LEVEL: "warn", NEARHUB_COURIER_QUOTES: "0", NEARHUB_RETURNS_JOB: "0", NEARHUB_ROUTING_JOB: "0" };
  Reflect.deleteProperty(childEnv, "NODE_ENV");
  const child = spawn(process.execPath, [path.join(ROOT, script)], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return { child, output: () => output, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
}

async function untilServing(demo: Run, port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!demo.output().includes(`Demo admin: http://127.0.0.1:${port}/app`)) {
    if (demo.child.exitCode !== null) throw new Error(`the demo exited with ${demo.child.exitCode}:\n${demo.output()}`);
    if (Date.now() > deadline) throw new Error(`the demo did not start:\n${demo.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(demo: Run): Promise<number | null> {
  if (demo.child.exitCode === null) demo.child.kill("SIGTERM");
  return demo.exited;
}

const healthz = (port: number) => fetch(`http://127.0.0.1:${port}/healthz`, { headers: { Connection: "close" } }).then((r) => r.status);

describe("npm run demo, twice in the same folder", () => {
  let tmp: string;
  let databaseUrl: string;
  let port: number;
  let first: Run;

  beforeAll(async () => {
    await ensureBuild();
    tmp = mkdtempSync(path.join(os.tmpdir(), "nearhub-demo-twice-"));
    databaseUrl = `file:${path.join(tmp, "demo.db")}`;
    // An existing database: the demo keeps it (no seeding), which keeps this test quick.
    await migrateSqlite(databaseUrl);
    port = await freePort();
    first = run("scripts/demo.mjs", { DATABASE_URL: databaseUrl, PORT: String(port) });
    await untilServing(first, port);
  }, 600_000);

  afterAll(async () => {
    if (first) await stop(first);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("tells the second one plainly where the first one serves, and leaves the first one running", async () => {
    const second = run("scripts/demo.mjs", { DATABASE_URL: databaseUrl, PORT: String(port) });
    expect(await second.exited).toBe(1);
    const said = second.output();
    expect(said).toContain(`A Nearhub demo is already running on ${path.relative(ROOT, path.join(tmp, "demo.db"))} (process ${first.child.pid}, serving http://127.0.0.1:${port}).`);
    expect(said).toContain(`Open http://127.0.0.1:${port}/app, or stop that demo`);
    expect(said).toContain(`DATABASE_URL=file:./prisma/demo-2.db PORT=${port + 1} npm run demo`);
    expect(said).not.toContain("Preparing the database");
    expect(said).not.toMatch(/\n\s+at /);
    expect(await healthz(port)).toBe(200);
    expect(first.child.exitCode).toBeNull();
  });

  it("lets db:prepare run beside it: nothing pending, nothing touched", async () => {
    const prepare = run("scripts/db-prepare.mjs", { DATABASE_URL: databaseUrl });
    expect(await prepare.exited).toBe(0);
    expect(prepare.output()).toMatch(/up to date \(\d+ migrations applied\)/);
    expect(await healthz(port)).toBe(200);
  });

  it("tells a demo on another database that the port is taken", async () => {
    const other = run("scripts/demo.mjs", { DATABASE_URL: `file:${path.join(tmp, "other.db")}`, PORT: String(port) });
    expect(await other.exited).toBe(1);
    expect(other.output()).toContain(`Port ${port} on 127.0.0.1 is in use`);
    expect(other.output()).toContain(`PORT=${port + 1} npm run demo`);
    expect(other.output()).not.toContain("Preparing the database");
  });

  it("starts again on the same database once the first one has stopped", async () => {
    expect(await stop(first)).toBe(0);
    first = run("scripts/demo.mjs", { DATABASE_URL: databaseUrl, PORT: String(port) });
    await untilServing(first, port);
    expect(await healthz(port)).toBe(200);
  }, 180_000);
});
