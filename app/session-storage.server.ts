// Shopify sessions in the database (the Session table), through the library's PrismaSessionStorage,
// in two layers:
//  - EncryptedSessionStorage: the access and refresh tokens sealed by secrets.server.ts on the way in
//    and opened on the way out. A row that still holds clear text (written before encryption) or a
//    retired key's value is rewritten with the current key the first time it is read;
//    `npm run secrets:reencrypt` does every row at once (docs/decisions/0017-secrets-at-rest.md).
//  - ResilientSessionStorage, underneath: survives a database that is away when the process starts
//    (docs/decisions/0011). The library checks for its table in its constructor (two tries, 5 s apart).
//    When the database does not answer, that check rejects a promise nobody awaits (Node ends the
//    process: the server exited about 11 s after start), and the storage stays unusable ("not ready")
//    until someone calls its isReady(). So the library's storage is built only once the table has
//    answered here; until then each call fails with the database's own error and the next one checks
//    again. Should the library's own check still fail (the database went away in between), the next
//    call builds it anew.
import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-app-remix/server";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import {
  MissingSessionStorageError,
  PrismaSessionStorage,
  type PrismaSessionStorageInterface,
} from "@shopify/shopify-app-session-storage-prisma";
import { databaseProblem } from "./db.server";
import { logger } from "./services/logger.server";
import { SecretDecryptionError, secrets, type SecretBox } from "./services/secrets.server";

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
      .then(async () => {
        // One quick try of its own, no 5 s pause: the table has just answered.
        const storage = new PrismaSessionStorage(this.#prisma, { connectionRetries: 1, connectionRetryIntervalMs: 0 });
        // The library's constructor starts that try as a promise of its own (`ready`, private): should the
        // database go in between, it rejects and nobody else handles it. Awaited here, so a failure is this
        // check's (the next call checks again) and the storage is used only once it has passed.
        await (storage as unknown as { ready: Promise<boolean> }).ready;
        this.#storage = storage;
        return storage;
      })
      .finally(() => (this.#checking = null));
    return this.#checking;
  }
}

const TOKEN_FIELDS = ["accessToken", "refreshToken"] as const;
type TokenField = (typeof TOKEN_FIELDS)[number];

/** The authenticated context of a token: its column and its row, so a value cannot be moved. */
const contextOf = (field: TokenField, sessionId: string) => `Session.${field}:${sessionId}`;

export class EncryptedSessionStorage implements SessionStorage {
  private readonly inner: ResilientSessionStorage;

  constructor(
    db: PrismaClient,
    private readonly box: () => SecretBox = secrets,
  ) {
    this.inner = new ResilientSessionStorage(db);
  }

  private sealed(session: Session): Session {
    const copy = new Session(session.toObject());
    for (const field of TOKEN_FIELDS) {
      const value = session[field];
      if (value) copy[field] = this.box().seal(value, contextOf(field, session.id));
    }
    return copy;
  }

  /** The session with clear tokens, or undefined when a token cannot be opened (logged, never thrown). */
  private async opened(stored: Session): Promise<Session | undefined> {
    const session = new Session(stored.toObject());
    let stale = false;
    try {
      for (const field of TOKEN_FIELDS) {
        const value = stored[field];
        if (!value) continue;
        stale ||= this.box().state(value) !== "current";
        session[field] = this.box().open(value, contextOf(field, stored.id));
      }
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      // Treated as no session: Shopify's token exchange replaces it on the merchant's next request.
      logger.error({ session: stored.id, shop: stored.shop, keyId: error.keyId, err: error.message }, "stored Shopify token cannot be decrypted");
      return undefined;
    }
    if (stale) await this.inner.storeSession(this.sealed(session));
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(this.sealed(session));
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    return stored ? this.opened(stored) : undefined;
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const found = await Promise.all((await this.inner.findSessionsByShop(shop)).map((s) => this.opened(s)));
    return found.filter((s): s is Session => s !== undefined);
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }
}

export interface ReencryptReport {
  rows: number;
  /** Tokens that were clear text and are now sealed with the current key. */
  encrypted: number;
  /** Tokens moved from a retired key to the current one. */
  rotated: number;
  /** Ids of rows with a token no configured key opens (left as they are). */
  unreadable: string[];
}

/**
 * Seals every Session token that is clear text or under a retired key with the current key. Each row
 * is updated only if its tokens are still the ones read (a concurrent refresh wins). Safe to re-run.
 */
export async function reencryptSessionTokens(db: PrismaClient, box: SecretBox = secrets(), pageSize = 200): Promise<ReencryptReport> {
  const report: ReencryptReport = { rows: 0, encrypted: 0, rotated: 0, unreadable: [] };
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.session.findMany({
      select: { id: true, accessToken: true, refreshToken: true },
      orderBy: { id: "asc" },
      take: pageSize,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    if (rows.length === 0) return report;
    cursor = rows[rows.length - 1].id;
    for (const row of rows) {
      report.rows += 1;
      const data: Partial<Record<TokenField, string>> = {};
      const counts = { encrypted: 0, rotated: 0 };
      try {
        for (const field of TOKEN_FIELDS) {
          const value = row[field];
          if (!value) continue;
          const state = box.state(value);
          if (state === "current") continue;
          data[field] = box.seal(box.open(value, contextOf(field, row.id)), contextOf(field, row.id));
          counts[state === "clear" ? "encrypted" : "rotated"] += 1;
        }
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        report.unreadable.push(row.id);
        continue;
      }
      if (Object.keys(data).length === 0) continue;
      const { count } = await db.session.updateMany({
        where: { id: row.id, accessToken: row.accessToken, refreshToken: row.refreshToken },
        data,
      });
      if (count === 1) {
        report.encrypted += counts.encrypted;
        report.rotated += counts.rotated;
      }
    }
  }
}
