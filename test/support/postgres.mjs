// A throwaway PostgreSQL cluster for tests: initdb in a temp dir, a random free port, loopback only,
// no fsync, gone after stop(). Starts in about a second. Used by scripts/test.mjs and, when it is run
// without one, by test/support/global-setup.ts.
//
// Needs the server binaries (Debian: `apt-get install -y postgresql`). As root, PostgreSQL refuses
// to run, so the cluster belongs to the `postgres` user and every command runs through `runuser`.
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Where initdb/pg_ctl live: $PG_BIN, the newest /usr/lib/postgresql/<v>/bin, or PATH. */
export function findPgBin() {
  const candidates = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(debian, v, "bin"));
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(dir);
  const found = candidates.find((dir) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl")));
  if (!found) {
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl) not found in $PG_BIN, /usr/lib/postgresql/*/bin or PATH. " +
        "Install them (Debian: apt-get install -y postgresql) or set NEARHUB_SKIP_PG=1 to skip the PostgreSQL run.",
    );
  }
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function runuserPath() {
  return ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((p) => existsSync(p)) ?? "runuser";
}

/**
 * @typedef {{ url: (database?: string) => string, port: number, dir: string, version: string, stop: () => void, pause: () => void, resume: () => void }} Postgres
 * pause() stops the server and keeps its data (an outage); resume() starts it again on the same port.
 */

/**
 * Starts a throwaway cluster. `url()` is the superuser URL of the `postgres` database; `url(name)` of another.
 * @param {{ user?: string }} [options] the OS user that owns the cluster when running as root (default postgres)
 * @returns {Promise<Postgres>}
 */
export async function startPostgres(options = {}) {
  const bin = findPgBin();
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const osUser = options.user ?? "postgres";
  /** @param {string} tool @param {string[]} args */
  const run = (tool, args) => {
    const [cmd, full] = asRoot ? [runuserPath(), ["-u", osUser, "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
    return execFileSync(cmd, full, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), "nearhub-pg-"));
  const data = path.join(dir, "data");
  if (asRoot) {
    let uid;
    let gid;
    try {
      uid = Number(execFileSync("id", ["-u", osUser], { encoding: "utf8" }).trim());
      gid = Number(execFileSync("id", ["-g", osUser], { encoding: "utf8" }).trim());
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`running as root, but there is no OS user "${osUser}" to own the PostgreSQL cluster (apt-get install -y postgresql creates it)`);
    }
    chownSync(dir, uid, gid);
  }
  const fail = (step, error) => {
    const log = existsSync(path.join(dir, "server.log")) ? readFileSync(path.join(dir, "server.log"), "utf8") : "";
    rmSync(dir, { recursive: true, force: true });
    const detail = /** @type {{ stderr?: string, message: string }} */ (error);
    return new Error(`throwaway PostgreSQL: ${step} failed: ${detail.stderr || detail.message}\n${log}`);
  };
  try {
    run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
  } catch (error) {
    throw fail("initdb", error);
  }
  const settings = [
    "-c listen_addresses=127.0.0.1",
    `-k ${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c autovacuum=off", // an autovacuum worker inside the template database would make CREATE DATABASE ... TEMPLATE fail
    "-c max_connections=300",
  ];
  let port = 0;
  const start = () => run("pg_ctl", ["-D", data, "-o", [`-p ${port}`, ...settings].join(" "), "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"]);
  for (let attempt = 1; ; attempt++) {
    port = /** @type {number} */ (await freePort());
    try {
      start();
      break;
    } catch (error) {
      if (attempt >= 3) throw fail("pg_ctl start", error);
    }
  }
  const version = run("postgres", ["--version"]).trim();
  // If this process dies without calling stop() (a kill, a crash, vitest interrupted before its
  // teardown), a detached watchdog stops the cluster and removes its directory within a second or two.
  const stopCommand = [...(asRoot ? [runuserPath(), "-u", osUser, "--"] : []), path.join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"];
  const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
  spawn(
    "/bin/sh",
    ["-c", `while kill -0 ${process.pid} 2>/dev/null && [ -d ${quote(data)} ]; do sleep 1; done; ${stopCommand.map(quote).join(" ")} >/dev/null 2>&1; rm -rf ${quote(dir)}`],
    { detached: true, stdio: "ignore" },
  ).unref();
  let stopped = false;
  return {
    port,
    dir,
    version,
    url: (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    pause() {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    resume() {
      start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
