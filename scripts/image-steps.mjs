#!/usr/bin/env node
// The production image's build, without a container engine (docs/decisions/0034-production-image.md).
//
//   node scripts/image-steps.mjs            perform the Dockerfile's stages in a temporary folder, then
//                                           the release step and the server, as the image would run them
//   node scripts/image-steps.mjs --full     also run the build stage's `npm ci` (default: the checkout's
//                                           own node_modules, installed from the same lockfile, is linked)
//   node scripts/image-steps.mjs --keep     keep the temporary folder (its path is printed)
//
// It reads the Dockerfile itself: every stage is a folder standing for its WORKDIR (/app), COPY copies
// from the build context (the repository's files less what .dockerignore leaves out) or from an earlier
// stage's folder, RUN runs in that folder with the stage's ENV and nothing else of this process's
// environment, and npm works offline (the cache is warm after the checkout's `npm ci`). An instruction it
// does not know fails it, and a RUN is skipped only when the line above says `# image-steps: skip (why)`.
// Then, from the runtime stage's folder: every package the server build and server.mjs import must be
// installed there, nothing package-lock.json marks dev-only may be, the release step (`npm run db:prepare`) migrates a fresh SQLite
// database, the CMD starts, /healthz and /readyz answer 200, the HEALTHCHECK command exits 0, and
// SIGTERM stops the server with exit code 0. The last line is `image-steps: ok {...}` or the failure.
/* global AbortSignal */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { builtinModules } from "node:module";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKDIR = "/app";
/** The folder RUN lines and the server may use outside WORKDIR (the image's volume). */
const DATA = "/data";

/**
 * The Dockerfile as instructions: continuation lines joined, comments kept only as skip markers.
 * @param {string} text
 * @returns {{ args: Record<string, string>, stages: Stage[] }}
 *
 * @typedef {{ op: string, value: string, skip: string | null, line: number }} Instruction
 * @typedef {{ name: string, from: string, instructions: Instruction[], line: number }} Stage
 */
export function parseDockerfile(text) {
  /** @type {Record<string, string>} */
  const args = {};
  /** @type {Stage[]} */
  const stages = [];
  const lines = text.split("\n");
  let skip = /** @type {string | null} */ (null);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i].trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const marker = /^#\s*image-steps:\s*skip\s*\((.+)\)\s*$/.exec(line);
      if (marker) skip = marker[1];
      continue;
    }
    while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1).trim()} ${lines[++i].trim()}`;
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile:${start + 1}: cannot read ${JSON.stringify(line)}`);
    const op = match[1].toUpperCase();
    const value = match[2];
    if (skip !== null && op !== "RUN") throw new Error(`Dockerfile:${start + 1}: an image-steps skip marker may only stand above a RUN`);
    if (op === "ARG" && stages.length === 0) {
      const [name, def = ""] = value.split("=");
      args[name.trim()] = def.trim();
    } else if (op === "FROM") {
      const m = /^(\S+)\s+AS\s+(\S+)$/i.exec(value);
      if (!m) throw new Error(`Dockerfile:${start + 1}: every stage needs a name (FROM image AS name)`);
      stages.push({ from: m[1].replace(/\$\{(\w+)\}/g, (_, n) => args[n] ?? ""), name: m[2], instructions: [], line: start + 1 });
    } else if (["ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "CMD"].includes(op)) {
      if (stages.length === 0) throw new Error(`Dockerfile:${start + 1}: ${op} before the first FROM`);
      stages.at(-1)?.instructions.push({ op, value, skip, line: start + 1 });
    } else {
      throw new Error(`Dockerfile:${start + 1}: scripts/image-steps.mjs does not know ${op}; teach it, or do without`);
    }
    skip = null;
  }
  return { args, stages };
}

/** `KEY=value KEY2="value 2"` (ENV's form with =), or `KEY value`. @param {string} value */
export function parseEnvInstruction(value) {
  /** @type {Record<string, string>} */
  const out = {};
  if (!/^\w+=/.test(value)) {
    const [key, ...rest] = value.split(/\s+/);
    out[key] = rest.join(" ");
    return out;
  }
  for (const m of value.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) out[m[1]] = m[3] ?? m[2];
  return out;
}

/** The exec form's array, or a shell form as ["sh", "-c", text]. @param {string} value */
export function parseCommand(value) {
  const text = value.trim();
  if (text.startsWith("[")) return /** @type {string[]} */ (JSON.parse(text));
  return ["sh", "-c", text];
}

/**
 * .dockerignore patterns as one predicate over a repository path (a/b/c). Plain patterns only: `*`,
 * `?`, a leading `/`, a directory name excluding everything under it; `!` exceptions are refused.
 * @param {string} text
 */
export function dockerignore(text) {
  const patterns = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const regexes = patterns.map((p) => {
    if (p.startsWith("!")) throw new Error(`.dockerignore: ${p}: exceptions are not supported by scripts/image-steps.mjs`);
    const body = p
      .replace(/^\/+|\/+$/g, "")
      .split("")
      .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("");
    return new RegExp(`^${body}(/.*)?$`);
  });
  return (/** @type {string} */ file) => regexes.some((r) => r.test(file));
}

/** The build context: the repository's files (tracked, or new and not git-ignored) .dockerignore admits. */
export function contextFiles(root = repo) {
  const r = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  const ignored = dockerignore(fs.readFileSync(path.join(root, ".dockerignore"), "utf8"));
  return r.stdout
    .split("\0")
    .filter(Boolean)
    .filter((f) => !ignored(f) && fs.existsSync(path.join(root, f)));
}

/** A package name from an import specifier ("@scope/name/x" → "@scope/name"), or null for relative/builtin. */
function packageOf(specifier) {
  if (/^(\.\.?(\/|$)|\/|node:|data:|file:|https?:)/.test(specifier)) return null;
  const parts = specifier.split("/");
  // Scoped packages, and Prisma's generated clients (.prisma/client, .prisma/client-pg), are two segments.
  const name = specifier.startsWith("@") || specifier.startsWith(".prisma/") ? parts.slice(0, 2).join("/") : parts[0];
  return builtinModules.includes(name) ? null : name;
}

/**
 * The packages the given files (a folder: its .js/.mjs/.cjs files) import, statically, dynamically or with
 * require, that `runtimeDir/node_modules` does not have: what would fail at start, or at the first request
 * that loads a lazily imported module, in the image.
 * @param {string[]} paths files or folders
 * @param {string} runtimeDir
 * @returns {string[]}
 */
export function unresolvedImports(paths, runtimeDir) {
  const names = new Set();
  const files = paths.flatMap((p) =>
    fs.statSync(p).isDirectory()
      ? fs.readdirSync(p, { recursive: true, encoding: "utf8" }).filter((f) => /\.(m?js|cjs)$/.test(f)).map((f) => path.join(p, f))
      : [p],
  );
  for (const file of files) {
    const code = fs.readFileSync(file, "utf8");
    const specifiers = [
      ...code.matchAll(/\bfrom\s*["']([@\w.][\w.@/+-]*)["']/g),
      ...code.matchAll(/\bimport\s*\(\s*["']([@\w.][\w.@/+-]*)["']\s*\)/g),
      ...code.matchAll(/\bimport\s*["']([@\w.][\w.@/+-]*)["']/g),
      ...code.matchAll(/\brequire\d*\s*\(\s*["']([@\w.][\w.@/+-]*)["']\s*\)/g),
      ...code.matchAll(/\bcreateRequire\([^)]*\)\s*\(\s*["']([@\w.][\w.@/+-]*)["']\s*\)/g),
    ].map((m) => m[1]);
    for (const s of specifiers) {
      const name = packageOf(s);
      if (name) names.add(name);
    }
  }
  return [...names].filter((name) => !fs.existsSync(path.join(runtimeDir, "node_modules", name, "package.json"))).sort();
}

/**
 * The packages package-lock.json marks as needed only for development (`"dev": true`) that are installed in
 * `dir`: `npm ci --omit=dev` leaves none. (A devDependency that a production package also needs, such as
 * a peer's types, is not marked dev and may be there.)
 * @param {string} dir
 * @returns {string[]}
 */
export function installedDevDependencies(dir) {
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
  return Object.entries(lock.packages ?? {})
    .filter(([key, entry]) => key !== "" && entry.dev === true && fs.existsSync(path.join(dir, key, "package.json")))
    .map(([key]) => key.replace(/^.*node_modules\//, ""))
    .sort();
}

function copyInto(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(src, dest, { recursive: true, force: true, verbatimSymlinks: true });
}

/** A folder of an earlier stage into this one: hard links (`cp -al`, symlinks kept), since stages never edit files in place. */
function linkInto(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (fs.statSync(src).isDirectory() && fs.existsSync(dest)) fs.rmSync(dest, { recursive: true, force: true });
  const r = spawnSync("cp", ["-al", src, dest], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cp -al ${src} ${dest}: ${r.stderr}`);
}

/** Maps a path of the image (/app/..., relative to WORKDIR) to the stage folder. */
function inStage(stageDir, p) {
  if (p === WORKDIR || p.startsWith(`${WORKDIR}/`)) return path.join(stageDir, p.slice(WORKDIR.length));
  if (p.startsWith("/")) throw new Error(`a path outside ${WORKDIR} (${p}) has no folder here`);
  return path.join(stageDir, p);
}

/**
 * COPY [--from=stage] src... dest, as Docker does it: a directory's contents go into dest; several
 * sources (or a dest ending in /) put each one into dest.
 */
function performCopy(value, { stageDir, stageDirs, context, files }) {
  const words = value.split(/\s+/);
  let from = null;
  while (words[0]?.startsWith("--")) {
    const flag = /** @type {string} */ (words.shift());
    if (flag.startsWith("--from=")) from = flag.slice("--from=".length);
    else if (!flag.startsWith("--chown=") && !flag.startsWith("--link")) throw new Error(`COPY ${flag} is not supported`);
  }
  const dest = /** @type {string} */ (words.pop());
  const sources = words;
  if (sources.length === 0) throw new Error(`COPY ${value}: no source`);
  const intoDir = sources.length > 1 || dest.endsWith("/") || dest === ".";
  for (const src of sources) {
    let srcPath;
    if (from) {
      const dir = stageDirs.get(from);
      if (!dir) throw new Error(`COPY --from=${from}: no earlier stage of that name`);
      srcPath = inStage(dir, src.startsWith("/") ? src : path.posix.join(WORKDIR, src));
      if (!fs.existsSync(srcPath)) throw new Error(`COPY --from=${from} ${src}: the stage has no such path`);
    } else {
      srcPath = path.join(context, src);
    }
    const isDir = fs.statSync(srcPath, { throwIfNoEntry: false })?.isDirectory() ?? false;
    if (!from) {
      // From the context: only the files the context has (git's and .dockerignore's view, not the disk's).
      const prefix = src === "." ? "" : `${src.replace(/\/+$/, "")}/`;
      const chosen = isDir ? files.filter((f) => f.startsWith(prefix)) : files.filter((f) => f === src);
      if (chosen.length === 0) throw new Error(`COPY ${src}: not in the build context (git ls-files less .dockerignore)`);
      for (const f of chosen) {
        const rel = isDir ? f.slice(prefix.length) : path.basename(f);
        const target = isDir ? path.join(inStage(stageDir, dest), rel) : intoDir ? path.join(inStage(stageDir, dest), rel) : inStage(stageDir, dest);
        copyInto(path.join(context, f), target);
      }
    } else if (isDir) {
      linkInto(srcPath, inStage(stageDir, dest));
    } else {
      linkInto(srcPath, intoDir ? path.join(inStage(stageDir, dest), path.basename(srcPath)) : inStage(stageDir, dest));
    }
  }
}

/** The environment a RUN (or the server) sees: the stage's ENV, a PATH with this Node, npm offline; nothing else of this process's. */
function baseEnv(stageEnv) {
  /** @type {Record<string, string>} */
  const env = {
    // This Node first; the machine's own tools (Python, make, a compiler: the toolchain stage) after it.
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? "/usr/bin:/bin"}`,
    // node-gyp's headers cache (~/.cache/node-gyp) is the checkout's, as the npm cache is.
    HOME: os.homedir(),
    TMPDIR: os.tmpdir(),
    // The checkout's npm cache, offline: the same tarballs, no second download.
    npm_config_cache: process.env.npm_config_cache || path.join(os.homedir(), ".npm"),
    npm_config_offline: "true",
  };
  // Headers for node-gyp where the machine's Node is not this one (scripts/use-node.sh).
  if (process.env.npm_config_nodedir) env.npm_config_nodedir = process.env.npm_config_nodedir;
  return { ...env, ...stageEnv };
}

function run(command, { cwd, env, label }) {
  const started = Date.now();
  const r = spawnSync(command[0], command.slice(1), { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const tail = `${r.stdout}${r.stderr}`.split("\n").slice(-40).join("\n");
    throw new Error(`${label}: exit ${r.status}\n${tail}`);
  }
  return Date.now() - started;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function getJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/**
 * Performs the Dockerfile in `work`. @param {{ full?: boolean, work: string, log?: (line: string) => void }} options
 * @returns {Promise<Record<string, unknown>>} the summary
 */
export async function imageSteps({ full = false, work, log = console.log }) {
  const started = Date.now();
  const { args, stages } = parseDockerfile(fs.readFileSync(path.join(repo, "Dockerfile"), "utf8"));
  const nvmrc = fs.readFileSync(path.join(repo, ".nvmrc"), "utf8").trim();
  if (args.NODE_VERSION !== nvmrc) throw new Error(`Dockerfile ARG NODE_VERSION=${args.NODE_VERSION} but .nvmrc says ${nvmrc}`);
  if (process.versions.node !== nvmrc) throw new Error(`this is Node ${process.versions.node}, the image's is ${nvmrc}: run . scripts/use-node.sh first`);
  const files = contextFiles();
  /** @type {Map<string, string>} */
  const stageDirs = new Map();
  /** @type {Map<string, Record<string, string>>} */
  const stageEnvs = new Map();
  const timings = /** @type {Record<string, number>} */ ({});
  const skipped = [];
  /** @type {{ user?: string, expose?: string, healthcheck?: string[], cmd?: string[] }} */
  const last = {};
  for (const stage of stages) {
    const stageStarted = Date.now();
    const dir = path.join(work, "stages", stage.name);
    const parent = stageDirs.get(stage.from);
    if (parent) linkInto(parent, dir);
    else fs.mkdirSync(dir, { recursive: true });
    const env = { ...(stageEnvs.get(stage.from) ?? {}) };
    let workdir = null;
    Object.assign(last, { user: undefined, expose: undefined, healthcheck: undefined, cmd: undefined });
    for (const ins of stage.instructions) {
      const where = `${stage.name} (Dockerfile:${ins.line}) ${ins.op} ${ins.value}`;
      switch (ins.op) {
        case "ENV":
          Object.assign(env, parseEnvInstruction(ins.value));
          break;
        case "WORKDIR":
          if (ins.value !== WORKDIR) throw new Error(`${where}: the script stands each stage's folder for ${WORKDIR} only`);
          workdir = ins.value;
          break;
        case "COPY":
          performCopy(ins.value, { stageDir: dir, stageDirs, context: repo, files });
          break;
        case "RUN": {
          if (ins.skip) {
            skipped.push(`${stage.name}: ${ins.value} (${ins.skip})`);
            break;
          }
          const command = parseCommand(ins.value);
          if (!full && stage.name === "build" && /^npm ci\b/.test(ins.value)) {
            // The checkout's node_modules is what `npm ci` made from this same lockfile: hard links, not a third install.
            run(["cp", "-al", path.join(repo, "node_modules"), path.join(dir, "node_modules")], { cwd: dir, env: baseEnv(env), label: where });
            skipped.push(`${stage.name}: ${ins.value} (the checkout's node_modules, from the same package-lock.json, linked; --full runs it)`);
            break;
          }
          const ms = run(command, { cwd: dir, env: baseEnv(env), label: where });
          log(`  ${stage.name}: RUN ${ins.value} (${(ms / 1000).toFixed(1)} s)`);
          break;
        }
        case "USER":
          last.user = ins.value;
          break;
        case "EXPOSE":
          last.expose = ins.value;
          break;
        case "HEALTHCHECK":
          last.healthcheck = parseCommand(ins.value.replace(/^(--\S+\s+)*CMD\s+/, ""));
          break;
        case "CMD":
          last.cmd = parseCommand(ins.value);
          break;
      }
    }
    if (!workdir && !parent) throw new Error(`stage ${stage.name}: no WORKDIR ${WORKDIR}`);
    stageDirs.set(stage.name, dir);
    stageEnvs.set(stage.name, env);
    timings[stage.name] = Date.now() - stageStarted;
    log(`image-steps: stage ${stage.name} done in ${(timings[stage.name] / 1000).toFixed(1)} s`);
  }

  const runtime = stages.at(-1);
  if (!runtime) throw new Error("the Dockerfile has no stage");
  const result = await checkRuntime({
    runtimeDir: /** @type {string} */ (stageDirs.get(runtime.name)),
    runtimeEnv: /** @type {Record<string, string>} */ (stageEnvs.get(runtime.name)),
    image: last,
    work,
    log,
  });
  return {
    stages: stages.map((s) => s.name),
    timingsMs: { ...timings, release: result.releaseMs, total: Date.now() - started },
    skipped,
    ...result,
  };
}

/**
 * The runtime stage's folder, as the image would run it: imports, devDependencies, the release step, the
 * CMD, /healthz, /readyz, the HEALTHCHECK and SIGTERM.
 * @param {{ runtimeDir: string, runtimeEnv: Record<string, string>, image: { user?: string, expose?: string, healthcheck?: string[], cmd?: string[] }, work: string, log?: (line: string) => void }} options
 */
export async function checkRuntime({ runtimeDir, runtimeEnv, image: last, work, log = console.log }) {
  if (!last.user || last.user === "root" || last.user === "0") throw new Error("the runtime stage must end as a user other than root (USER)");
  if (!last.cmd) throw new Error("the runtime stage has no CMD");
  if (!last.healthcheck) throw new Error("the runtime stage has no HEALTHCHECK");

  const missing = unresolvedImports([path.join(runtimeDir, "build", "server"), path.join(runtimeDir, "server.mjs")], runtimeDir);
  if (missing.length > 0) throw new Error(`the server build imports packages the runtime stage does not install: ${missing.join(", ")} (devDependencies?)`);
  const dev = installedDevDependencies(runtimeDir);
  if (dev.length > 0) throw new Error(`the runtime stage has packages installed that package-lock.json marks dev-only: ${dev.join(", ")}`);

  // The image's volume and the process's configuration: a made-up app, production mode, a fresh database.
  const data = path.join(work, DATA.slice(1));
  fs.mkdirSync(data, { recursive: true });
  const port = await freePort();
  const serverEnv = {
    ...baseEnv(runtimeEnv),
    ...Object.fromEntries(Object.entries(runtimeEnv).map(([k, v]) => [k, v.startsWith(`${DATA}/`) ? path.join(data, v.slice(DATA.length + 1)) : v])),
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${path.join(data, "nearhub.db")}`,
    SHOPIFY_API_KEY: "image-steps-api-key",
    SHOPIFY_API_SECRET: randomBytes(24).toString("hex"),
    SHOPIFY_APP_URL: "https://nearhub.example",
    NEARHUB_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: "warn",
  };
  delete serverEnv.npm_config_offline;
  const releaseMs = run(["npm", "run", "db:prepare"], { cwd: runtimeDir, env: serverEnv, label: "release step (npm run db:prepare)" });
  log(`image-steps: release step (npm run db:prepare) on a fresh SQLite database in ${(releaseMs / 1000).toFixed(1)} s`);

  const [bin, ...rest] = last.cmd;
  const server = spawn(bin === "node" ? process.execPath : bin, rest, { cwd: runtimeDir, env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout.on("data", (c) => (output += c));
  server.stderr.on("data", (c) => (output += c));
  const exited = new Promise((resolve) => server.once("exit", (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  try {
    // Until it listens (a bound against a hang, not a speed target) or exits.
    const deadline = Date.now() + 120_000;
    let up = false;
    while (!up) {
      if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}) before listening:\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`the server did not listen within 120 s:\n${output.slice(-4000)}`);
      up = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 250));
    }
    const healthz = await getJson(`${base}/healthz`);
    const readyz = await getJson(`${base}/readyz`);
    if (healthz.status !== 200) throw new Error(`/healthz answered ${healthz.status}: ${JSON.stringify(healthz.body)}`);
    if (readyz.status !== 200) throw new Error(`/readyz answered ${readyz.status}: ${JSON.stringify(readyz.body)}`);
    const [hcBin, ...hcArgs] = last.healthcheck;
    run([hcBin === "node" ? process.execPath : hcBin, ...hcArgs], { cwd: runtimeDir, env: serverEnv, label: "HEALTHCHECK" });
    server.kill("SIGTERM");
    const { code, signal } = /** @type {{ code: number | null, signal: string | null }} */ (await exited);
    if (code !== 0) throw new Error(`after SIGTERM the server exited with ${code ?? signal}:\n${output.slice(-4000)}`);
    return {
      releaseMs,
      user: last.user,
      expose: last.expose,
      cmd: last.cmd,
      healthz: healthz.status,
      readyz: readyz.status,
      ready: readyz.body,
      shutdownExitCode: code,
    };
  } finally {
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const flags = new Set(process.argv.slice(2));
  const unknown = [...flags].filter((f) => !["--full", "--keep"].includes(f));
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(" ")}; use --full, --keep`);
    process.exit(2);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nearhub-image-"));
  try {
    const summary = await imageSteps({ full: flags.has("--full"), work });
    console.log(`image-steps: ok ${JSON.stringify(summary)}`);
  } catch (error) {
    console.error(`image-steps: failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    if (flags.has("--keep")) console.log(`image-steps: kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}
