// The session storage's lower layer (ResilientSessionStorage, app/session-storage.server.ts) on a database that is not there at
// start. The finding: the server exited ~11 s after start, because the library's PrismaSessionStorage
// checks for its table in its constructor and, when that fails twice 5 s apart, rejects a promise
// nobody awaits. Both are run in real processes here, side by side, for 13 s.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-app-remix/server";
import { createPrismaClient, isDatabaseUnavailable } from "~/db.server";
import { ResilientSessionStorage } from "~/session-storage.server";
import { testDbKind } from "../support/db";

const ROOT = path.resolve(__dirname, "../..");
const sqlite = testDbKind() === "sqlite";
const dir = mkdtempSync(path.join(os.tmpdir(), "nearhub-sessions-"));
const missing = path.join(dir, "not-yet.db");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(which: "resilient" | "library", aliveMs: number): Promise<{ code: number | null; output: string }> {
  const script = path.join(__dirname, "support", "session-storage-start.ts");
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), script, which, `file:${missing}`, String(aliveMs)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

describe.runIf(sqlite)("session storage on a database that is not there at start", () => {
  it("keeps the process up (the library alone ends it after ~11 s)", async () => {
    const [library, ours] = await Promise.all([start("library", 13_000), start("resilient", 13_000)]);
    // The original finding, reproduced: the library's unhandled rejection ends the process.
    expect(library.code).toBe(1);
    expect(library.output).toMatch(/MissingSessionTableError/);
    const exitedAfter = Number(/EXIT 1 after (\d+) ms/.exec(library.output)?.[1]);
    expect(exitedAfter).toBeGreaterThan(9_000);
    expect(exitedAfter).toBeLessThan(13_000);
    // Ours stays up for the whole 13 s.
    expect(ours.output).toMatch(/ALIVE/);
    expect(ours.code).toBe(0);
  }, 60_000);

  it("fails each call with the database's own error meanwhile, and works as soon as the database is there", async () => {
    const db = createPrismaClient(`file:${missing}`);
    try {
      const storage = new ResilientSessionStorage(db);
      const session = new Session({ id: "offline_resilient.myshopify.com", shop: "resilient.myshopify.com", state: "s", isOnline: false, accessToken: "shpat_test" });
      expect(await storage.isReady()).toBe(false);
      const error = await storage.storeSession(session).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);

      copyFileSync(process.env.DATABASE_URL!.replace(/^file:/, ""), missing); // the database arrives (migrated, empty)
      expect(await storage.isReady()).toBe(true);
      expect(await storage.storeSession(session)).toBe(true);
      expect((await storage.loadSession(session.id))?.accessToken).toBe("shpat_test");
      expect((await storage.findSessionsByShop("resilient.myshopify.com")).map((s) => s.id)).toEqual([session.id]);
    } finally {
      await db.$disconnect();
    }
  });
});
