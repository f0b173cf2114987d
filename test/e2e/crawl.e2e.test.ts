// Every admin page in a real browser (issue 13, item 7): the production build, server.mjs in demo
// mode on this file's database with the demo marketplace, Debian's Chromium through playwright-core.
// The pages come from the route files (support/admin-routes.ts), so a new page is crawled without
// being listed; its :id parameters are filled with real ids from the seeded database (IDS below: a
// new parameter route fails until it has one). Each page is opened at 1280 and 768 px and fails on:
//   - a console error or an uncaught page error;
//   - horizontal overflow: the document scrolls sideways, or an element sticks out of the viewport
//     (unless a scroll container holds it), or a control is cut off by a container that clips;
//   - a missing or empty <title> (every page's reads "… · Nearhub");
//   - an accessibility violation of serious or critical impact found by axe-core (ADR 0027).
// Every parameter route is also opened with an id that does not exist: a 404 inside the app frame
// (the navigation is still there) that names what was not found and links back. A page whose data
// failed to load says so inside the frame and offers to try again.
// Screenshots of every page at both widths go to test-results/crawl/ (gitignored) for people to look at.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { ConsoleMessage } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DECISION_STATUS_LABELS } from "~/components/routing/DecisionStatusBadge";
import { SERVICE_KINDS } from "~/core/costing/types";
import { NODE_KINDS, NODE_STATUSES } from "~/core/network/types";
import { REASON_CODES } from "~/core/network/reasons";
import { RETURN_STATUSES } from "~/core/returns/lifecycle";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN, seedDemoMarketplace } from "../../prisma/seed/demo";
import { adminRoutes, type AdminRoute } from "./support/admin-routes";
import { ROOT, waitForHydration } from "./support/app-server";
import { useDemoSession } from "./support/session";

const SHOTS = path.join(ROOT, "test-results", "crawl");
const WIDTHS = [1280, 768] as const;
const ROUTES = adminRoutes(path.join(ROOT, "app", "routes"));
const PAGES = ROUTES.filter((r) => !r.params.includes("*"));
const PARAM_PAGES = PAGES.filter((r) => r.params.length > 0);

/** A real id for each parameter route, read from the seeded database: the most telling row where it matters. */
const IDS: Record<string, (shopId: string) => Promise<Record<string, string>>> = {
  "/app/network/:id": async (shopId) => ({ id: (await db.node.findFirstOrThrow({ where: { shopId }, orderBy: { handle: "asc" } })).id }),
  "/app/deliveries/:nodeId": async (shopId) => ({
    nodeId: (await db.node.findFirstOrThrow({ where: { shopId }, orderBy: { handle: "asc" } })).id,
  }),
  // The hub with delivery rounds, so the route sheet has routes to show.
  "/app/deliveries/:nodeId/rounds": async (shopId) => ({ nodeId: (await db.node.findFirstOrThrow({ where: { shopId, handle: "nyc-bk-hub" } })).id }),
  "/app/returns/:id": async (shopId) => ({
    // One with several lines, so the page has the most to show.
    id: (await db.returnCase.findFirstOrThrow({ where: { shopId }, orderBy: [{ lines: { _count: "desc" } }, { id: "asc" }] })).id,
  }),
  "/app/campaigns/:id": async (shopId) => ({ id: (await db.campaign.findFirstOrThrow({ where: { shopId }, orderBy: { createdAt: "asc" } })).id }),
  "/app/routing/:id": async (shopId) => ({
    id: (await db.routingDecision.findFirstOrThrow({ where: { shopId }, orderBy: [{ shipments: { _count: "desc" } }, { id: "asc" }] })).id,
  }),
};

let shopId = "";
/** The seeded nodes' handles: internal keys, which pages must show as the nodes' names. */
let nodeHandles: string[] = [];
/** The app's own enum values (services, kinds, statuses, reasons): codes, never words for a merchant. */
const ENUM_WORDS = new Set<string>([...SERVICE_KINDS, ...NODE_KINDS, ...NODE_STATUSES, ...REASON_CODES, ...RETURN_STATUSES, ...Object.keys(DECISION_STATUS_LABELS)]);
const resolved = new Map<string, string>();

const ui = useDemoSession(async () => {
  // Only this run's screenshots: ids change with every seed.
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  // Placed relative to now, like `npm run demo`: overdue inspections, today's deliveries.
  ({ shopId } = await seedDemoMarketplace(db, { now: new Date(), orderDays: 45 }));
  expect((await db.shop.findUniqueOrThrow({ where: { id: shopId } })).domain).toBe(DEMO_SHOP_DOMAIN);
  nodeHandles = (await db.node.findMany({ where: { shopId }, select: { handle: true } })).map((n) => n.handle);
});

async function urlFor(route: AdminRoute): Promise<string> {
  if (route.params.length === 0) return route.pattern;
  const cached = resolved.get(route.pattern);
  if (cached) return cached;
  const ids = IDS[route.pattern];
  if (!ids) throw new Error(`${route.file}: no id for ${route.pattern}; add one to IDS in test/e2e/crawl.e2e.test.ts`);
  const values = await ids(shopId);
  const url = route.pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name]));
  resolved.set(route.pattern, url);
  return url;
}

const shotName = (url: string, width: number) =>
  path.join(SHOTS, `${url.replace(/^\//, "").replace(/[^a-zA-Z0-9]+/g, "-") || "root"}-${width}.png`);

interface Findings {
  console: string[];
  pageErrors: string[];
  overflow: string[];
  title: string[];
  axe: string[];
  codes: string[];
}

/**
 * Internal codes and ids in what the merchant reads (issue 13, item 2), in the page's visible text:
 * SCREAMING_SNAKE codes ("NO_STOCK", "RETURN_PERIOD_ENDED"), the app's enum values ("STANDARD",
 * "SAME_DAY"), colon codes ("NH:BACKUP:EXPRESS"), Shopify GIDs or their tails ("FulfillmentOrder/5900"),
 * database ids (cuids) and node handles. Ids belong in links' addresses, not in their words.
 */
async function codeFindings(): Promise<string[]> {
  const text = await ui.page.locator("body").innerText();
  const found = new Set<string>();
  const patterns = [
    /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g,
    /\b[A-Z][A-Z0-9_]*(?::[A-Z0-9_]+){2,}\b/g,
    /gid:\/\/shopify\/\S+|\b[A-Z][a-zA-Z]+\/\d{3,}\b/g,
    /\bc[a-z0-9]{24}\b/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.add(m[0]);
  for (const m of text.matchAll(/\b[A-Z]{4,}\b/g)) if (ENUM_WORDS.has(m[0])) found.add(m[0]);
  for (const handle of nodeHandles) if (new RegExp(`(^|[^\\w/-])${handle}($|[^\\w/-])`).test(text)) found.add(handle);
  return [...found].map((code) => `"${code}" shown as text`);
}

/** What the page itself says about overflow: measured in the page, outermost offenders only. */
async function overflowFindings(): Promise<string[]> {
  return ui.page.evaluate(() => {
    const found: string[] = [];
    const viewport = document.documentElement.clientWidth;
    const scroller = document.scrollingElement!;
    if (scroller.scrollWidth > scroller.clientWidth) {
      found.push(`the page scrolls sideways: ${scroller.scrollWidth} px wide in a ${scroller.clientWidth} px window`);
    }
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 2).join(".")}` : "";
      const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id}${cls}>${text ? ` "${text}"` : ""}`;
    };
    const flagged = new Set<Element>();
    const isFlaggedInside = (el: Element) => {
      for (let a = el.parentElement; a; a = a.parentElement) if (flagged.has(a)) return true;
      return false;
    };
    // A table wider than its scroll container hides columns off to the side, where nobody looks.
    for (const box of Array.from(document.body.querySelectorAll("*"))) {
      const overflowX = getComputedStyle(box).overflowX;
      if ((overflowX === "auto" || overflowX === "scroll") && box.scrollWidth > box.clientWidth + 1 && box.querySelector("table")) {
        found.push(`${describe(box.querySelector("table")!)} hides ${box.scrollWidth - box.clientWidth} px of columns off to the side`);
      }
    }
    const CONTROLS = "a, button, input, select, textarea, th, td, [role=button]";
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const r = el.getBoundingClientRect();
      // Collapsed and visually hidden elements (Polaris' 1 px screen-reader text) are not seen.
      if (r.width <= 1 || r.height <= 1) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "contents") continue;
      let clipper: Element | null = null;
      let scrolls = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const overflowX = getComputedStyle(a).overflowX;
        if (overflowX === "auto" || overflowX === "scroll") {
          scrolls = true;
          break;
        }
        if ((overflowX === "hidden" || overflowX === "clip") && !clipper) clipper = a;
      }
      if (scrolls) continue; // a scroll container holds it: the merchant can scroll to it
      if ((r.right > viewport + 1 || r.left < -1) && !clipper) {
        if (!isFlaggedInside(el)) found.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px in a ${viewport} px window`);
        flagged.add(el);
        continue;
      }
      if (clipper && el.matches(CONTROLS)) {
        const c = clipper.getBoundingClientRect();
        const cut = Math.max(c.left - r.left, r.right - c.right);
        if (cut > 1 && !isFlaggedInside(el)) {
          found.push(`${describe(el)} is cut off by ${Math.round(cut)} px (clipped by ${describe(clipper)})`);
          flagged.add(el);
        }
      }
    }
    return found;
  });
}

async function axeFindings(): Promise<string[]> {
  const results = await new AxeBuilder({ page: ui.page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", ")}${v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : ""}`);
}

/** Opens a page at a width and gathers everything the crawl fails on. */
async function crawl(url: string, width: number, expectedStatus = 200): Promise<Findings> {
  await ui.page.setViewportSize({ width, height: 900 });
  const consoleErrors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() !== "error") return;
    // The browser logs a document's own error status; the test checks that status itself.
    if (expectedStatus !== 200 && /^Failed to load resource: the server responded with a status of 404/.test(message.text())
      && message.location().url.endsWith(url)) return;
    consoleErrors.push(message.text());
  };
  ui.page.on("console", onConsole);
  const pageErrorsBefore = ui.pageErrors.length;
  try {
    const response = await ui.page.goto(url, { waitUntil: "load" });
    expect(response?.status(), `${url}\n${ui.server.output().slice(-2000)}`).toBe(expectedStatus);
    await waitForHydration(ui.page, "nav a, form, button");
    const title = (await ui.page.title()).trim();
    const findings: Findings = {
      console: consoleErrors,
      pageErrors: ui.pageErrors.slice(pageErrorsBefore),
      overflow: await overflowFindings(),
      title: title === "" ? ["no <title>"] : /Nearhub$/.test(title) && !/Unhandled/.test(title) ? [] : [`title "${title}" is not "… · Nearhub"`],
      axe: await axeFindings(),
      codes: await codeFindings(),
    };
    await ui.page.screenshot({ path: shotName(url, width), fullPage: true });
    return findings;
  } finally {
    ui.page.off("console", onConsole);
  }
}

const problems = (f: Findings) => Object.entries(f).flatMap(([kind, list]) => (list as string[]).map((p) => `${kind}: ${p}`));

describe.each(WIDTHS)("every admin page at %i px", (width) => {
  it.each(PAGES.map((r) => [r.pattern, r] as const))("%s", async (_pattern, route) => {
    const url = await urlFor(route);
    const findings = await crawl(url, width);
    expect(problems(findings), `${url} at ${width} px`).toEqual([]);
  });

  it.each(PARAM_PAGES.map((r) => [r.pattern, r] as const))("%s with an id that does not exist: not found, inside the app", async (_pattern, route) => {
    const url = route.pattern.replace(/:(\w+)/g, "does-not-exist");
    const findings = await crawl(url, width, 404);
    expect(problems(findings), `${url} at ${width} px`).toEqual([]);
    await expectInsideTheFrame(/not found/i);
    // It links back to the section it belongs to.
    const section = `/${route.pattern.split("/").slice(1, 3).join("/")}`;
    await expect(ui.page.locator(`main a[href="${section}"]`).count()).resolves.toBeGreaterThan(0);
  });
});

async function expectInsideTheFrame(heading: RegExp) {
  // The app's navigation is still there, and the page says what happened in words.
  await expect(ui.page.getByRole("navigation", { name: "Nearhub" }).getByRole("link", { name: "Overview" }).count()).resolves.toBe(1);
  const h1 = await ui.page.getByRole("heading", { level: 1 }).allTextContents();
  expect(h1.join(" | ")).toMatch(heading);
  await expect(ui.page.locator("body").innerText()).resolves.not.toMatch(/^\s*404\s*$|Unhandled Thrown Response/);
}

describe("the crawl's own checks", () => {
  // Each check must see what it is there to find, or a green crawl would mean nothing.
  it("sees overflow, a clipped control, a raw code, a missing title and an axe violation", async () => {
    await ui.page.setViewportSize({ width: 768, height: 900 });
    await ui.page.goto("/app/settings", { waitUntil: "load" });
    await waitForHydration(ui.page, "nav a");
    await ui.page.evaluate(() => {
      const wide = document.createElement("div");
      wide.style.width = "1400px";
      wide.textContent = "too wide";
      const clip = document.createElement("div");
      clip.style.cssText = "width:100px;overflow:hidden";
      clip.innerHTML = '<button style="width:300px">Confirm</button>';
      const code = document.createElement("p");
      code.textContent = "Declined: RETURN_PERIOD_ENDED; the promise is STANDARD";
      const img = document.createElement("img");
      img.src = "/favicon.svg";
      document.querySelector("main")!.append(wide, clip, code, img);
      document.title = "";
    });
    const overflow = await overflowFindings();
    expect(overflow.some((f) => f.startsWith("the page scrolls sideways"))).toBe(true);
    expect(overflow.some((f) => f.includes('"too wide" spans'))).toBe(true);
    expect(overflow.some((f) => f.includes('"Confirm" is cut off by'))).toBe(true);
    await expect(codeFindings()).resolves.toEqual(['"RETURN_PERIOD_ENDED" shown as text', '"STANDARD" shown as text']);
    expect(await axeFindings()).toEqual(expect.arrayContaining([expect.stringMatching(/^image-alt \(critical\)/), expect.stringMatching(/^document-title \(serious\)/)]));
  });
});

describe("pages outside the route files", () => {
  it("an admin address that matches no page is a 404 inside the app", async () => {
    const findings = await crawl("/app/no-such-page", 1280, 404);
    expect(problems(findings)).toEqual([]);
    await expectInsideTheFrame(/not found/i);
    await expect(ui.page.locator('main a[href="/app"]').count()).resolves.toBeGreaterThan(0);
  });

  it("a page whose data failed to load says so inside the app and loads when tried again", async () => {
    await ui.page.setViewportSize({ width: 1280, height: 900 });
    await ui.page.goto("/app", { waitUntil: "networkidle" });
    await waitForHydration(ui.page, "nav a");
    // The next data request (Remix's single fetch, `….data`) fails as a database outage would.
    let failing = true;
    await ui.page.route(/\/app\/network\.data/, (route) =>
      failing ? route.fulfill({ status: 500, contentType: "text/plain", body: "Unexpected Server Error" }) : route.continue(),
    );
    try {
      await ui.page.getByRole("navigation", { name: "Nearhub" }).getByRole("link", { name: "Network", exact: true }).click();
      await ui.page.getByRole("button", { name: "Try again" }).waitFor();
      await expectInsideTheFrame(/could not be loaded/i);
      await ui.page.screenshot({ path: path.join(SHOTS, "load-failed-1280.png"), fullPage: true });
      failing = false;
      await ui.page.getByRole("button", { name: "Try again" }).click();
      await ui.page.getByRole("heading", { name: "Network", level: 1 }).waitFor();
    } finally {
      await ui.page.unroute(/\/app\/network\.data/);
    }
  });
});
