#!/usr/bin/env node
// The test suite on both databases (the last step of `npm test`):
//   1. every test on SQLite;
//   2. the tests that touch the database (test/services, test/routes, test/api, test/db: those that
//      exist) again on PostgreSQL, in a throwaway cluster started here and always stopped.
// Exits non-zero if either run fails. NEARHUB_SKIP_PG=1 skips run 2; without it, missing PostgreSQL
// binaries are an error (CI installs them: .ci/run). Extra arguments go to vitest, e.g.
// `node scripts/test.mjs test/db` (on the PostgreSQL run, only paths inside those folders are kept).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "../test/support/postgres.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const DB_FOLDERS = ["test/services", "test/routes", "test/api", "test/db"];
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith("-"));
const flags = args.filter((a) => a.startsWith("-"));

function banner(text) {
  const line = "=".repeat(Math.max(60, text.length + 4));
  console.log(`\n${line}\n  ${text}\n${line}`);
}

/** @param {string[]} vitestArgs @param {Record<string, string>} env */
function runVitest(vitestArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, "run", "--passWithNoTests", ...vitestArgs], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    current = child;
    child.on("close", (code, signal) => {
      current = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** @type {import("node:child_process").ChildProcess | undefined} */
let current;
/** @type {Awaited<ReturnType<typeof startPostgres>> | undefined} */
let postgres;
const results = [];

// Whatever happens (Ctrl-C, a kill, a crash), the throwaway cluster goes.
process.on("exit", () => postgres?.stop());
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    current?.kill(signal);
    postgres?.stop();
    process.exit(130);
  });
}

banner("vitest on SQLite (default): all tests, each file on its own copy of a migrated SQLite database");
const sqliteCode = await runVitest(args, { NEARHUB_TEST_DB: "sqlite" });
results.push({ run: `SQLite: ${filters.length ? filters.join(" ") : "all tests"}`, ok: sqliteCode === 0, code: sqliteCode });

if (process.env.NEARHUB_SKIP_PG === "1") {
  banner("PostgreSQL run SKIPPED (NEARHUB_SKIP_PG=1)");
  results.push({ run: "PostgreSQL", ok: true, code: 0, note: "skipped (NEARHUB_SKIP_PG=1)" });
} else {
  const present = DB_FOLDERS.filter((folder) => existsSync(path.join(root, folder)));
  const inFolders = (f) => present.some((folder) => path.relative(folder, path.relative(root, path.resolve(f))).split(path.sep)[0] !== "..");
  const targets = filters.length > 0 ? filters.filter(inFolders) : present;
  if (targets.length === 0) {
    banner(`PostgreSQL run: nothing to run (no tests in ${DB_FOLDERS.join(", ")}${filters.length ? " matching the given paths" : ""})`);
    results.push({ run: "PostgreSQL", ok: true, code: 0, note: "no database tests selected" });
  } else {
    let code = 1;
    let label = "PostgreSQL";
    try {
      const started = Date.now();
      postgres = await startPostgres();
      label = `PostgreSQL (${postgres.version.replace(/^postgres \(PostgreSQL\) /, "")}, throwaway cluster on 127.0.0.1:${postgres.port})`;
      banner(`vitest on ${label}, started in ${Date.now() - started} ms: ${targets.join(" ")}`);
      code = await runVitest([...flags, ...targets], { NEARHUB_TEST_DB: "postgres", NEARHUB_TEST_PG_URL: postgres.url() });
    } catch (error) {
      console.error(`\n${/** @type {Error} */ (error).message}`);
    } finally {
      postgres?.stop();
      postgres = undefined;
    }
    results.push({ run: `${label}: ${targets.join(" ")}`, ok: code === 0, code });
  }
}

banner("Summary");
for (const r of results) console.log(`  ${r.ok ? "PASS" : "FAIL"}  ${r.run}${r.note ? `: ${r.note}` : ""}${r.ok ? "" : ` (exit ${r.code})`}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
