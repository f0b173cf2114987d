// The production image's stages performed without a container engine (scripts/image-steps.mjs, ADR 0034):
// the Dockerfile read as written, the runtime stage's real `npm ci --omit=dev`, the release step and the
// server started from the runtime folder alone. One real run of the script (minutes: the runtime stage
// compiles better-sqlite3 when no prebuilt binary can be downloaded), and its checks on small fixtures.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dockerignore, installedDevDependencies, parseDockerfile, unresolvedImports } from "../../scripts/image-steps.mjs";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nearhub-image-test-"));
  temps.push(dir);
  return dir;
}

/** A folder standing for a runtime stage: package.json, the given installed packages and a server build. */
function runtimeFixture(installed: string[], buildCode: string) {
  const dir = tempDir();
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ dependencies: { express: "1" }, devDependencies: { vitest: "1", typescript: "5" } }));
  // As npm writes it: typescript is also a production package's peer (devOptional), vitest only dev.
  const packages = { "": {}, "node_modules/express": {}, "node_modules/typescript": { devOptional: true }, "node_modules/vitest": { dev: true } };
  writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages }));
  for (const name of installed) {
    mkdirSync(path.join(dir, "node_modules", name), { recursive: true });
    writeFileSync(path.join(dir, "node_modules", name, "package.json"), JSON.stringify({ name }));
  }
  mkdirSync(path.join(dir, "build", "server", "assets"), { recursive: true });
  writeFileSync(path.join(dir, "build", "server", "index.js"), buildCode);
  return dir;
}

describe("the script's checks", () => {
  it("names a package the server build imports that the runtime does not install, and no other", () => {
    const code = [
      'import express from "express";',
      'import { readFileSync } from "node:fs";',
      'import path from "path";',
      'import { x } from "./assets/chunk.js";',
      'const { PrismaClient } = createRequire(import.meta.url)(".prisma/client-pg");',
      'const h = await import("happy-dom");',
      'import { render } from "@testing-library/react/pure";',
    ].join("\n");
    const dir = runtimeFixture(["express", ".prisma/client-pg"], code);
    expect(unresolvedImports([path.join(dir, "build", "server")], dir)).toEqual(["@testing-library/react", "happy-dom"]);
  });

  it("finds the packages the lockfile marks dev-only installed in a runtime folder", () => {
    expect(installedDevDependencies(runtimeFixture(["express", "typescript"], ""))).toEqual([]);
    expect(installedDevDependencies(runtimeFixture(["express", "typescript", "vitest"], ""))).toEqual(["vitest"]);
  });

  it("refuses a Dockerfile instruction it cannot perform, and a skip marker above anything but RUN", () => {
    expect(() => parseDockerfile("FROM node:24 AS base\nWORKDIR /app\nADD https://example.com/x.tgz .\n")).toThrow(/does not know ADD/);
    expect(() => parseDockerfile("FROM node:24 AS base\n# image-steps: skip (why)\nCOPY . .\n")).toThrow(/only stand above a RUN/);
  });

  it("reads the project's Dockerfile: a non-root runtime with a health check, every skipped RUN saying why", () => {
    const { args, stages } = parseDockerfile(readFileSync(path.join(ROOT, "Dockerfile"), "utf8"));
    expect(args.NODE_VERSION).toBe(readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim());
    const runtime = stages.at(-1)!;
    const ops = runtime.instructions.map((i) => i.op);
    expect(ops).toContain("HEALTHCHECK");
    expect(runtime.instructions.filter((i) => i.op === "USER").map((i) => i.value)).toEqual(["node"]);
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.op === "RUN").map((i) => `${s.name}: ${i.value}`));
    expect(runs).toContain("prod-deps: npm ci --omit=dev --no-audit --no-fund");
    const skipped = stages.flatMap((s) => s.instructions.filter((i) => i.skip !== null).map((i) => i.value));
    expect(skipped.every((run) => /apt-get|\/data/.test(run))).toBe(true);
  });

  it("applies .dockerignore as Docker does for plain patterns", () => {
    const ignored = dockerignore("node_modules\n/build\n*.db\nbench/results\n# comment\n");
    expect(["node_modules/x/y.js", "build/server/index.js", "dev.db", "bench/results/a.json"].every(ignored)).toBe(true);
    expect(["app/build.ts", "bench/quote-http.ts", "prisma/schema.prisma", "app/db.server.ts"].some(ignored)).toBe(false);
    expect(() => dockerignore("!keep")).toThrow(/exceptions/);
  });
});

describe("scripts/image-steps.mjs", () => {
  it(
    "performs the Dockerfile: the server starts from the runtime stage alone, answers /healthz and /readyz, and stops on SIGTERM",
    async () => {
      const child = spawn(process.execPath, [path.join(ROOT, "scripts", "image-steps.mjs")], { cwd: ROOT, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
      // Minutes of compiling on shared cores: at a lower priority, so that the other test files running
      // meanwhile (some compare timings measured in their own run) keep their share of the CPU.
      if (child.pid) os.setPriority(child.pid, 10);
      let output = "";
      child.stdout.on("data", (c) => (output += c));
      child.stderr.on("data", (c) => (output += c));
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      const line = output.split("\n").find((l) => l.startsWith("image-steps: ok "));
      expect(code, output.slice(-6000)).toBe(0);
      expect(line, output.slice(-6000)).toBeDefined();
      const summary = JSON.parse(line!.slice("image-steps: ok ".length));
      expect(summary.stages).toEqual(["base", "toolchain", "build", "prod-deps", "runtime"]);
      expect(summary).toMatchObject({ user: "node", cmd: ["node", "server.mjs"], healthz: 200, readyz: 200, shutdownExitCode: 0 });
      expect(summary.ready).toMatchObject({ ready: true, migrations: { ok: true, pending: [] } });
      console.log(`image-steps timings (ms): ${JSON.stringify(summary.timingsMs)}`);
    },
    15 * 60_000,
  );
});
