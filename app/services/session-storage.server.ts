// Shopify sessions in the database (the Session table), through the library's PrismaSessionStorage,
// made to survive a database that is away when the process starts (docs/decisions/0011).
//
// The library checks for its table in its constructor (two tries, 5 s apart). When the database
// does not answer, that check rejects a promise nobody awaits (Node ends the process: the server
// exited about 11 s after start), and the storage stays unusable ("not ready") until someone calls
// its isReady(). So the library's storage is built only once the table has answered here; until
// then each call fails with the database's own error and the next one checks again. Should the
// library's own check still fail (the database went away in between), the next call builds it anew.
import type { PrismaClient } from "@prisma/client";
import {
  MissingSessionStorageError,
  PrismaSessionStorage,
  type PrismaSessionStorageInterface,
} from "@shopify/shopify-app-session-storage-prisma";
import { databaseProblem } from "~/db.server";
import { logger } from "./logger.server";

type Session = Parameters<PrismaSessionStorageInterface["storeSession"]>[0];

export class ResilientSessionStorage implements PrismaSessionStorageInterface {
  readonly #prisma: PrismaClient;
  #storage: PrismaSessionStorage<PrismaClient> | null = null;
  #checking: Promise<PrismaSessionStorage<PrismaClient>> | null = null;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
    // Check now, in the background, so the first request does not pay for it; a failure is logged only.
    this.#ready().catch((error: unknown) => logger.warn({ err: databaseProblem(error) }, "session storage: the database is not answering yet; checking again on the next call"));
  }

  storeSession(session: Session) {
    return this.#call((s) => s.storeSession(session));
  }

  loadSession(id: string) {
    return this.#call((s) => s.loadSession(id));
  }

  deleteSession(id: string) {
    return this.#call((s) => s.deleteSession(id));
  }

  deleteSessions(ids: string[]) {
    return this.#call((s) => s.deleteSessions(ids));
  }

  findSessionsByShop(shop: string) {
    return this.#call((s) => s.findSessionsByShop(shop));
  }

  async isReady(): Promise<boolean> {
    try {
      await this.#ready();
      return true;
    } catch {
      return false;
    }
  }

  async #call<T>(run: (storage: PrismaSessionStorage<PrismaClient>) => Promise<T>): Promise<T> {
    const storage = await this.#ready();
    try {
      return await run(storage);
    } catch (error) {
      if (error instanceof MissingSessionStorageError && this.#storage === storage) this.#storage = null;
      throw error;
    }
  }

  /** The library's storage, built once the Session table has answered (one check at a time). */
  #ready(): Promise<PrismaSessionStorage<PrismaClient>> {
    if (this.#storage) return Promise.resolve(this.#storage);
    this.#checking ??= this.#prisma.session
      .count()
      .then(() => {
        // One quick try of its own, no 5 s pause: the table has just answered.
        this.#storage = new PrismaSessionStorage(this.#prisma, { connectionRetries: 1, connectionRetryIntervalMs: 0 });
        return this.#storage;
      })
      .finally(() => (this.#checking = null));
    return this.#checking;
  }
}
