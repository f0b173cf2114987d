// The SQLite driver adapter (docs/decisions/0011-database-outages.md): Prisma's better-sqlite3 adapter,
// wrapped so that nothing another process does to the database file can stall this process.
//
// better-sqlite3 runs every statement synchronously on the event loop. With a busy timeout, a write
// that meets another process's write lock sleeps inside SQLite, and every request of this process
// waits with it (the red team saw 5–10 s). So:
// - busy_timeout is 0: SQLite answers SQLITE_BUSY at once, and the statement is tried again after an
//   asynchronous back-off (2 ms doubling to 50 ms) for up to `busyWaitMs` (5 s), then fails with
//   Prisma's P1008. A statement that got SQLITE_BUSY had no effect, so trying it again is safe.
// - transactions start with BEGIN IMMEDIATE (tried again the same way), so the write lock is taken
//   before anything is read: SQLITE_BUSY_SNAPSHOT, which no retry of a single statement could mend,
//   cannot happen inside one. They take turns on this process's one connection, as the original
//   adapter's do.
// - the path is the database: at most once a second (by the adapter's clock, the system clock unless
//   one is given) a statement checks that the path still names the file it has open. A file moved, deleted or replaced (a restore) is closed, its WAL emptied
//   into it first, and the path is opened again on the next statement; a path with no file fails
//   with P1003 instead of creating an empty database. So the database can go and come back under a
//   running process.
import { statSync } from "node:fs";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { DriverAdapterError, type SqlDriverAdapter, type SqlQuery, type Transaction } from "@prisma/driver-adapter-utils";
import { systemClock, type Clock } from "./services/clock.server";
import { logger } from "./services/logger.server";

/** Set on every connection. journal_mode=WAL is stored in the file (db:prepare sets it too). */
const SQLITE_PRAGMAS = [
  "PRAGMA journal_mode = WAL", // readers never wait for a writer, nor a writer for readers
  "PRAGMA synchronous = NORMAL", // safe with WAL: a power cut may lose the last commits, never corrupt
  "PRAGMA foreign_keys = ON", // what makes onDelete: Cascade work (shop/redact deletes a shop's rows through it)
  "PRAGMA busy_timeout = 0", // never sleep on the event loop for a lock: SQLITE_BUSY now, retried asynchronously
].join(";\n");

/** How often a statement checks that the path still names the open file. */
const IDENTITY_CHECK_MS = 1_000;
const FIRST_BACKOFF_MS = 2;
const MAX_BACKOFF_MS = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface PatientSQLiteOptions {
  /** How long a statement waits, asynchronously, for another process's write lock. */
  busyWaitMs: number;
  /** When the path was last checked, and whether a second has passed since (default: the system clock). */
  clock?: Clock;
}

/** The SQLite result code behind an error thrown by better-sqlite3 or by the Prisma adapter. */
function sqliteCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { originalCode?: unknown } } | null;
  if (typeof e?.cause?.originalCode === "string") return e.cause.originalCode;
  return typeof e?.code === "string" ? e.code : undefined;
}

/** Statements of this process waiting for another process's lock: the health probe reports them. */
export interface SQLiteLockStatus {
  /** Whether another connection holds the write lock right now; null when that cannot be told without waiting. */
  heldElsewhere: boolean | null;
  waitingStatements: number;
  longestWaitMs: number;
}

interface OpenFile {
  adapter: SqlDriverAdapter;
  dev: number;
  ino: number;
}

const EMPTY_ARGS = { args: [], argTypes: [] };

/** A FIFO lock for this connection's transactions. */
class TurnLock {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves, in call order, with the function that ends this turn. */
  acquire(): Promise<() => void> {
    let done!: () => void;
    const turn = new Promise<void>((resolve) => (done = resolve));
    const ready = this.#tail.then(() => done);
    this.#tail = this.#tail.then(() => turn);
    return ready;
  }
}

class PatientSQLiteAdapter implements SqlDriverAdapter {
  readonly provider = "sqlite";
  readonly adapterName: string;
  #open: OpenFile | null = null;
  #checkedAt = -Infinity;
  #opening: Promise<OpenFile> | null = null;
  readonly #transactions = new TurnLock();
  /** Between BEGIN IMMEDIATE and COMMIT / ROLLBACK: the connection must stay as it is. */
  #inTransaction = false;
  /** The path no longer names the open file, which is not let go yet: every statement tries again. */
  #stale = false;
  /** Start (performance.now()) of each statement now waiting for a lock. */
  readonly #waiting = new Set<{ since: number }>();

  constructor(
    private readonly factory: PrismaBetterSQLite3,
    private readonly file: string,
    private readonly busyWaitMs: number,
    private readonly clock: Clock,
    private readonly onDispose: () => void,
  ) {
    this.adapterName = factory.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.#patiently((a) => a.queryRaw(query), false);
  }

  executeRaw(query: SqlQuery) {
    return this.#patiently((a) => a.executeRaw(query), false);
  }

  executeScript(script: string) {
    return this.#patiently((a) => a.executeScript(script), false);
  }

  async startTransaction(isolationLevel?: string): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") {
      throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    }
    const turn = await this.#transactions.acquire();
    const release = () => {
      this.#inTransaction = false;
      turn();
    };
    try {
      const adapter = (await this.#connection()).adapter;
      await this.#patiently(() => adapter.executeRaw({ sql: "BEGIN IMMEDIATE", ...EMPTY_ARGS }), false, adapter);
      this.#inTransaction = true;
      // Prisma sends COMMIT / ROLLBACK itself (usePhantomQuery: false) before calling these.
      const tx: Transaction = {
        provider: this.provider,
        adapterName: this.adapterName,
        options: { usePhantomQuery: false },
        // Inside BEGIN IMMEDIATE only a COMMIT can meet SQLITE_BUSY (never a snapshot conflict); it may be repeated.
        queryRaw: (query) => this.#patiently((a) => a.queryRaw(query), true, adapter),
        executeRaw: (query) => this.#patiently((a) => a.executeRaw(query), true, adapter),
        commit: async () => release(),
        rollback: async () => release(),
      };
      return tx;
    } catch (error) {
      release();
      throw error;
    }
  }

  async dispose(): Promise<void> {
    this.onDispose();
    const open = this.#open;
    this.#open = null;
    await open?.adapter.dispose();
  }

  /** See SQLiteLockStatus. Takes and drops the write lock in one synchronous step, so nothing runs inside it. */
  async lockStatus(): Promise<SQLiteLockStatus> {
    const now = performance.now();
    let longestWaitMs = 0;
    for (const w of this.#waiting) longestWaitMs = Math.max(longestWaitMs, now - w.since);
    let heldElsewhere: boolean | null = null;
    if (!this.#inTransaction) {
      try {
        await (await this.#connection()).adapter.executeScript("BEGIN IMMEDIATE; ROLLBACK");
        heldElsewhere = false;
      } catch (error) {
        if (!sqliteCode(error)?.startsWith("SQLITE_BUSY")) throw error;
        heldElsewhere = true;
      }
    }
    return { heldElsewhere, waitingStatements: this.#waiting.size, longestWaitMs: Math.round(longestWaitMs) };
  }

  /** Runs a statement, trying it again while SQLite answers SQLITE_BUSY, for up to busyWaitMs. */
  async #patiently<T>(run: (adapter: SqlDriverAdapter) => Promise<T>, inTransaction: boolean, pinned?: SqlDriverAdapter): Promise<T> {
    let wait: { since: number } | null = null;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          // Opening the file (its pragmas) can meet the lock too.
          return await run(pinned ?? (await this.#connection()).adapter);
        } catch (error) {
          const code = sqliteCode(error);
          // Outside a transaction every SQLITE_BUSY* left the statement without effect; inside one,
          // only plain SQLITE_BUSY (on COMMIT) does.
          const retry = inTransaction ? code === "SQLITE_BUSY" : code?.startsWith("SQLITE_BUSY");
          if (!retry) throw error;
          if (wait === null) this.#waiting.add((wait = { since: performance.now() }));
          if (performance.now() - wait.since >= this.busyWaitMs) throw error;
          const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt);
          await sleep(backoff / 2 + Math.random() * (backoff / 2));
        }
      }
    } finally {
      if (wait) this.#waiting.delete(wait);
    }
  }

  /** The open file, after checking (at most once a second) that the path still names it. */
  async #connection(): Promise<OpenFile> {
    const now = this.clock.now();
    const open = this.#open;
    // A clock set back (now before the last check) checks at once rather than waiting to catch up.
    if (open && !this.#stale && now >= this.#checkedAt && now - this.#checkedAt < IDENTITY_CHECK_MS) return open;
    const id = identity(this.file);
    if (open) {
      this.#checkedAt = now;
      this.#stale = !(id && id.dev === open.dev && id.ino === open.ino);
      // Never under a transaction of ours: checked again after it.
      if (!this.#stale || this.#inTransaction) return open;
      // Writing on would go to a file nobody reads any more: let it go and open what the path names now.
      await this.#letGo(open, id ? "another file" : "nothing");
      this.#stale = false;
    }
    if (!id) throw new DriverAdapterError({ kind: "DatabaseDoesNotExist", db: this.file });
    this.#opening ??= this.#openFile(id).finally(() => (this.#opening = null));
    return this.#opening;
  }

  /**
   * Closes a file the path no longer names. Its WAL stays at the path (SQLite does not delete the WAL
   * of a file renamed while open), and whatever the path names next would replay it as its own: so
   * the WAL goes into the old file and is emptied first. Another connection still on the old file
   * can keep that from finishing; until it does, statements fail and the next one tries again.
   */
  async #letGo(open: OpenFile, pathNames: string): Promise<void> {
    let checkpointed = false;
    try {
      const { rows } = await open.adapter.queryRaw({ sql: "PRAGMA wal_checkpoint(TRUNCATE)", ...EMPTY_ARGS });
      checkpointed = Number(rows[0]?.[0]) === 0; // [busy, log frames, checkpointed frames]
    } catch (error) {
      logger.warn({ file: this.file, err: (error as Error).message }, "SQLite: could not empty the WAL of the file that was moved away");
    }
    if (!checkpointed) {
      logger.warn({ file: this.file }, "SQLite: the database path names another file, but another connection still uses the old one; waiting for it");
      throw new DriverAdapterError({ kind: "DatabaseAccessDenied", db: this.file });
    }
    logger.warn({ file: this.file, now: pathNames }, "SQLite: the database path no longer names the open file; reopening");
    this.#open = null;
    await open.adapter.dispose().catch(() => undefined);
  }

  async #openFile(id: { dev: number; ino: number }): Promise<OpenFile> {
    let adapter: SqlDriverAdapter;
    try {
      adapter = await this.factory.connect();
    } catch (error) {
      // Unreadable, not a database, on a failed disk: an outage with SQLite's own words in the log.
      logger.warn({ file: this.file, code: sqliteCode(error), err: (error as Error).message }, "SQLite: cannot open the database file");
      throw new DriverAdapterError({ kind: "DatabaseAccessDenied", db: this.file });
    }
    try {
      await adapter.executeScript(SQLITE_PRAGMAS);
    } catch (error) {
      await adapter.dispose().catch(() => undefined);
      throw error;
    }
    this.#checkedAt = this.clock.now();
    this.#open = { adapter, ...id };
    return this.#open;
  }
}

function identity(file: string): { dev: number; ino: number } | null {
  try {
    const s = statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

/**
 * Prisma's driver-adapter factory for a SQLite file: `connect()` never fails (the file is opened by
 * the first statement, and again after it went away), so a process can start without its database.
 */
export class PatientSQLite {
  readonly provider = "sqlite";
  readonly adapterName: string;
  readonly #factory: PrismaBetterSQLite3;
  readonly #file: string;
  readonly #busyWaitMs: number;
  readonly #clock: Clock;
  #adapters = new Set<PatientSQLiteAdapter>();

  constructor(url: string, { busyWaitMs, clock = systemClock }: PatientSQLiteOptions) {
    this.#file = url.replace(/^file:/, "");
    // fileMustExist: a missing file is an outage to report, not an empty database to create.
    this.#factory = new PrismaBetterSQLite3({ url, timeout: 0, fileMustExist: true });
    this.adapterName = this.#factory.adapterName;
    this.#busyWaitMs = busyWaitMs;
    this.#clock = clock;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter: PatientSQLiteAdapter = new PatientSQLiteAdapter(this.#factory, this.#file, this.#busyWaitMs, this.#clock, () =>
      this.#adapters.delete(adapter),
    );
    this.#adapters.add(adapter);
    return adapter;
  }

  /** The lock status of the connection Prisma uses; null before its first query. */
  async lockStatus(): Promise<SQLiteLockStatus | null> {
    const adapter = [...this.#adapters].at(-1);
    return adapter ? adapter.lockStatus() : null;
  }
}
