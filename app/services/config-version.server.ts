// What checkout quotes from changes in one way (ADR 0019): inside a transaction that also moves
// Shop.configVersion, a number every process can read. Each process's quote cache compares it every
// few seconds (quote-snapshot.server.ts), so a save made by any process reaches every cache; the
// process that saved also tells its own cache at once, after the commit.
//
// Saves of configuration an admin page edited also carry the version the page read (the shipping
// settings', or a node's): a save from an older one is refused with StaleConfigError and writes nothing.
import type { Prisma } from "@prisma/client";
import { db } from "~/db.server";

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
