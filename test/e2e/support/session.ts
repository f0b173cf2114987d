// One browser session per browser-test file: the production build (built if stale), the file's own
// database seeded by `seed`, server.mjs in demo mode on it, Debian's Chromium through
// playwright-core with every non-local request refused. `open` loads a page, expects 200 (showing
// the server's output when not) and waits for React to hydrate; `shot` names a screenshot per
// database kind; uncaught page errors are collected in `pageErrors`.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { ROOT, ensureBuild, launchChromium, newPage, startDemoServer, waitForHydration, type RunningServer } from "./app-server";

const SCREENSHOTS = path.join(ROOT, "test-results");
const dbLabel = process.env.NEARHUB_TEST_DB_LABEL?.startsWith("PostgreSQL") ? "pg" : "sqlite";

export interface DemoSession {
  page: Page;
  server: RunningServer;
  pageErrors: string[];
  open(pathname: string, hydratedSelector?: string): Promise<void>;
  shot(name: string): string;
}

export function useDemoSession(seed: () => Promise<void>): DemoSession {
  let browser: Browser | undefined;
  const session = {
    pageErrors: [] as string[],
    shot: (name: string) => path.join(SCREENSHOTS, `${name}-${dbLabel}.png`),
    async open(pathname: string, hydratedSelector?: string) {
      const response = await session.page.goto(pathname, { waitUntil: "load" });
      expect(response?.status(), `${pathname}\n${session.server.output().slice(-2000)}`).toBe(200);
      await waitForHydration(session.page, hydratedSelector);
    },
  } as DemoSession;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await ensureBuild();
    await seed();
    session.server = await startDemoServer(process.env.DATABASE_URL!);
    browser = await launchChromium();
    session.page = await newPage(browser, session.server.url);
    session.page.on("pageerror", (error) => session.pageErrors.push(error.message));
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await session.server?.stop();
  });
  return session;
}
