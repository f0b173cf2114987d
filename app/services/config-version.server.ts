// What checkout quotes from changes in one way (ADR 0019): inside a transaction that also moves
// Shop.configVersion, a number every process can read. Each process's quote cache compares it every
// few seconds (quote-snapshot.server.ts), so a save made by any process reaches every cache; the
// process that saved also tells its own cache at once, after the commit. On PostgreSQL the same
// transaction also sends NOTIFY nearhub_config (delivered at its commit), and every process that
// listens (listenForConfigChanges, started by server.mjs) drops the shop's snapshot as soon as it
// hears it: a save behind a load balancer reaches the other processes' next checkout answer, and the
// version check stays as the net under a lost connection (ADR 0036).
//
// Saves of configuration an admin page edited also carry the version the page read (the shipping
// settings', or a node's): a save from an older one is refused with StaleConfigError and writes nothing.
import type { Prisma } from "@prisma/client";
import pg from "pg";
import { databaseUrl, db, onPostgres, pgConnection } from "~/db.server";
import { logger } from "./logger.server";

export type Tx = Prisma.TransactionClient;

/** "Changed since you opened it": the save was made from an older version and wrote nothing. */
export class StaleConfigError extends Error {
  constructor(what: string) {
    super(`${what} changed since you opened it (saved in another tab or by someone else), so nothing was saved. Reload to see the other change, then make yours again.`);
  }
}

const listeners = new Set<(shopId: string) => void>();

/** Called in this process after each committed change of the shop's configuration. */
export function onConfigChange(listener: (shopId: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(shopId: string): void {
  for (const listener of listeners) listener(shopId);
}

/** Moves the shop's configuration version inside `tx` (for changes made by code that owns its transaction). */
export async function bumpConfigVersion(tx: Tx, shopId: string): Promise<void> {
  await tx.shop.updateMany({ where: { id: shopId }, data: { configVersion: { increment: 1 } } });
  if (onPostgres()) await tx.$executeRaw`SELECT pg_notify(${CONFIG_CHANNEL}, ${shopId})`;
}

/** The PostgreSQL channel a configuration change is announced on (its payload: the shop's id). */
export const CONFIG_CHANNEL = "nearhub_config";
const RECONNECT_MS = { first: 1_000, max: 30_000 };

export interface ConfigListener {
  /** Resolves once LISTEN is in place (or the first attempt failed: it keeps trying). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * This process listens for the configuration changes every process announces (PostgreSQL only; on
 * SQLite the version check alone carries them, and this returns null). One connection of its own,
 * opened again with back-off when it drops; a change heard drops the shop's snapshot in this
 * process's caches. A change made while the connection was down is caught by the version check.
 */
export function listenForConfigChanges(url = databaseUrl()): ConfigListener | null {
  if (!onPostgres()) return null;
  const { connectionString, connectionTimeoutMillis } = pgConnection(url);
  let client: pg.Client | null = null;
  let stopped = false;
  let delay = RECONNECT_MS.first;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const retry = (why: string) => {
    client = null;
    markReady();
    if (stopped || timer) return;
    logger.warn({ err: why, retryInMs: delay }, "configuration changes: not listening; the version check carries them meanwhile");
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, RECONNECT_MS.max);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString, connectionTimeoutMillis, keepAlive: true, application_name: "nearhub-config" });
    c.on("notification", (message) => {
      if (message.channel === CONFIG_CHANNEL && message.payload) announce(message.payload);
    });
    c.on("error", (error) => retry(error.message));
    c.on("end", () => (client === c ? retry("the connection ended") : undefined));
    try {
      await c.connect();
      await c.query(`LISTEN ${CONFIG_CHANNEL}`);
      if (stopped) return void (await c.end().catch(() => undefined));
      client = c;
      delay = RECONNECT_MS.first;
      markReady();
    } catch (error) {
      await c.end().catch(() => undefined);
      retry((error as Error).message);
    }
  };
  void connect();

  return {
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/**
 * Runs `change` in one transaction that also moves the shop's configuration version; after the
 * commit, this process's caches hear of it at once (others within their check interval).
 */
export async function changeConfig<T>(shopId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await db.$transaction(async (tx) => {
    const out = await change(tx);
    await bumpConfigVersion(tx, shopId);
    return out;
  });
  announce(shopId);
  return result;
}

/** For a change committed by a transaction the caller ran with bumpConfigVersion in it. */
export const configChanged = announce;

/** The shop's configuration version (0: no such shop): one indexed read. */
export async function readConfigVersion(shopId: string): Promise<number> {
  const row = await db.shop.findUnique({ where: { id: shopId }, select: { configVersion: true } });
  return row?.configVersion ?? 0;
}
