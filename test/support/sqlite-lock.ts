// Another process holding a SQLite database's write lock, as a second app process, a script or a
// backup tool would: a real child process that runs BEGIN IMMEDIATE on the file, writes inside it,
// and ROLLBACKs after `holdMs` (or when release() is called).
import { spawn } from "node:child_process";
import path from "node:path";

const BETTER_SQLITE3 = path.resolve(__dirname, "../../node_modules/better-sqlite3");

export interface HeldLock {
  /** Resolves when the child has let go of the lock and exited. */
  released: Promise<void>;
  /** Lets go now. */
  release(): void;
}

export function holdWriteLock(file: string, holdMs: number): Promise<HeldLock> {
  const script = `
    const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(${JSON.stringify(file)}, { timeout: 10000 });
    db.exec("BEGIN IMMEDIATE");
    db.prepare("UPDATE Shop SET name = name").run();
    console.log("LOCKED");
    const done = () => { db.exec("ROLLBACK"); db.close(); process.exit(0); };
    setTimeout(done, ${holdMs});
    process.on("SIGTERM", done);
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr.on("data", (d) => (output += d));
  const released = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("LOCKED")) resolve({ released, release: () => child.kill("SIGTERM") });
    });
    child.on("exit", (code) => reject(new Error(`the lock holder exited (${code}) before locking:\n${output}`)));
  });
}
