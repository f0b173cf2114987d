#!/usr/bin/env node
// The test suite on both databases (the last step of `npm test`):
//   1. every test on SQLite;
//   2. the tests that touch the database (test/services, test/routes, test/api, test/db: those that
//      exist) again on PostgreSQL, in a throwaway cluster started here and always stopped.
// Exits non-zero if either run fails. NEARHUB_SKIP_PG=1 skips run 2; without it, missing PostgreSQL
// binaries are an error (CI installs them: .ci/run). Extra arguments go to vitest, e.g.
// `node scripts/test.mjs test/db` (on the PostgreSQL run, only paths inside those folders are kept).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { stripVTControlCharacters } from "node:util";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "../test/support/postgres.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const DB_FOLDERS = ["test/services", "test/routes", "test/api", "test/db"];
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith("-"));
const flags = args.filter((a) => a.startsWith("-"));

// Each run also writes vitest's JSON report, so the summary at the very end names the tests that
// failed and why: CI shows only the last lines of a long log.
const reports = mkdtempSync(path.join(os.tmpdir(), "nearhub-test-report-"));
const ownReporter = flags.some((f) => f.startsWith("--reporter"));
const reporterArgs = (name) => (ownReporter ? [] : ["--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, `${name}.json`)}`]);

/** The failed tests of a run's JSON report, as "file > test: first line of the error". */
function failuresOf(name) {
  const file = path.join(reports, `${name}.json`);
  if (!existsSync(file)) return [];
  /** @type {{ testResults?: { name: string; status: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[] }} */
  const report = JSON.parse(readFileSync(file, "utf8"));
  const out = [];
  for (const suite of report.testResults ?? []) {
    const where = path.relative(root, suite.name);
    const failed = (suite.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failed) out.push(`${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    if (failed.length === 0 && suite.status === "failed") out.push(`${where}: ${firstLine(suite.message)}`);
  }
  return out;
}
const firstLine = (text) => stripVTControlCharacters(text ?? "failed").split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "failed";

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
const sqliteCode = await runVitest([...reporterArgs("sqlite"), ...args], { NEARHUB_TEST_DB: "sqlite" });
results.push({ run: `SQLite: ${filters.length ? filters.join(" ") : "all tests"}`, ok: sqliteCode === 0, code: sqliteCode, report: "sqlite" });

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
      code = await runVitest([...reporterArgs("postgres"), ...flags, ...targets], { NEARHUB_TEST_DB: "postgres", NEARHUB_TEST_PG_URL: postgres.url() });
    } catch (error) {
      console.error(`\n${/** @type {Error} */ (error).message}`);
    } finally {
      postgres?.stop();
      postgres = undefined;
    }
    results.push({ run: `${label}: ${targets.join(" ")}`, ok: code === 0, code, report: "postgres" });
  }
}

banner("Summary");
for (const r of results) {
  console.log(`  ${r.ok ? "PASS" : "FAIL"}  ${r.run}${r.note ? `: ${r.note}` : ""}${r.ok ? "" : ` (exit ${r.code})`}`);
  if (r.ok || !r.report) continue;
  const failures = failuresOf(r.report);
  for (const f of failures.slice(0, 8)) console.log(`        ${f}`);
  if (failures.length > 8) console.log(`        … and ${failures.length - 8} more (see above)`);
}
rmSync(reports, { recursive: true, force: true });
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
