// The README says what the code does: every open API endpoint, every webhook subscription and every
// environment variable the app reads is named where a reader looks for it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES } from "~/env.server";
import { openApiDocument } from "~/services/open-api/document";
import { repoRoot, webhookSubscriptions } from "../support/app-toml";

const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
/** The README's text from a heading to the next heading of the same level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const level = heading.split(" ")[0];
  const end = readme.indexOf(`\n${level} `, start + heading.length + 2);
  return readme.slice(start, end === -1 ? undefined : end);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : /\.(ts|tsx|mjs)$/.test(name) ? [file] : [];
  });
}

describe("README", () => {
  it("lists every endpoint of the open API", () => {
    const endpoints = Object.entries(openApiDocument("http://127.0.0.1:3000").paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => `\`${method.toUpperCase()} /api/v1${p}\``),
    );
    expect(endpoints.length).toBe(18);
    expect(endpoints.filter((e) => !readme.includes(e))).toEqual([]);
    expect(readme).toContain("`GET /api/v1/openapi.json`");
  });

  it("names every webhook topic of shopify.app.toml in its webhook table", () => {
    const table = section("## Webhooks");
    const topics = webhookSubscriptions().flatMap((s) => s.topics);
    expect(topics.length).toBe(19);
    expect(topics.filter((t) => !table.includes(`| \`${t}\` |`))).toEqual([]);
  });

  it("documents every environment variable the app reads, from env() or process.env", () => {
    const table = section("## Configuration");
    const read = new Set(ENV_VARIABLES);
    for (const file of [...sourceFiles(path.join(repoRoot, "app")), path.join(repoRoot, "server.mjs")]) {
      for (const m of readFileSync(file, "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) read.add(m[1]);
    }
    expect(read.has("NEARHUB_ROUTING_JOB")).toBe(true);
    expect([...read].filter((name) => !new RegExp(`\`${name}\``).test(table)).sort()).toEqual([]);
  });
});
