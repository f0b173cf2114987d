// The layer rules and the cycle check of `npm run lint` (ADR 0020) fail when a violation is
// introduced: ESLint lints made-up files at real paths in app/, and dependency-cruiser runs with the
// project's own config over small made-up trees.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

describe("layer rules (eslint.config.js)", () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  async function restricted(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
  }

  it("refuses a service importing a route or a component, by alias or relative path", async () => {
    const messages = await restricted(
      "app/services/probe.server.ts",
      'import { loader } from "../routes/app._index";\nimport { X } from "~/components/shipping/form-utils";\nimport { Y } from "../../components/Z";\nexport const all = [loader, X, Y];\n',
    );
    expect(messages).toHaveLength(3);
    expect(messages[0]).toContain("services never import routes or components");
  });

  it("refuses a component importing a .server module", async () => {
    const messages = await restricted(
      "app/components/shipping/Probe.tsx",
      'import { db } from "~/db.server";\nimport { getShopShipping } from "../../services/shipping-settings.server";\nexport const all = [db, getShopShipping];\n',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("components import no .server module");
  });

  it("refuses any service in the SDK instance", async () => {
    const messages = await restricted(
      "app/shopify.server.ts",
      'import { logger } from "./services/logger.server";\nimport { saveNode } from "./services/network.server";\nexport const all = [logger, saveNode];\n',
    );
    expect(messages).toEqual([expect.stringContaining("the SDK instance imports no service"), expect.stringContaining("the SDK instance imports no service")]);
  });

  it("keeps core pure of services, routes and components, relative paths included", async () => {
    const messages = await restricted("app/core/quoting/probe.ts", 'import { a } from "../../services/quotes";\nimport { b } from "../../components/c";\nexport const all = [a, b];\n');
    expect(messages).toHaveLength(2);
  });

  it("lets the allowed directions through", async () => {
    expect(await restricted("app/services/probe.server.ts", 'import { db } from "~/db.server";\nimport { quote } from "~/core/quoting";\nexport const all = [db, quote];\n')).toEqual([]);
    expect(await restricted("app/components/shipping/Probe.tsx", 'import { formatMinor } from "~/core/money/money";\nexport const all = [formatMinor];\n')).toEqual([]);
  });
});

describe("import cycles (.dependency-cruiser.mjs)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "nearhub-cycles-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a tree of modules (path → the paths it imports) and runs the project's cycle check over it. */
  function cruise(name: string, tree: Record<string, string[]>): { code: number | null; out: string } {
    const base = path.join(dir, name);
    mkdirSync(base, { recursive: true });
    writeFileSync(path.join(base, "tsconfig.json"), JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "~/*": ["./app/*"] } } }));
    for (const [file, imports] of Object.entries(tree)) {
      const at = path.join(base, file);
      mkdirSync(path.dirname(at), { recursive: true });
      const lines = imports.map((to, i) => `import { x as x${i} } from "~/${to.replace(/^app\//, "").replace(/\.ts$/, "")}";`);
      writeFileSync(at, `${lines.join("\n")}\nexport const x = [${imports.map((_, i) => `x${i}`).join(", ")}];\n`);
    }
    const bin = path.join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
    const run = spawnSync(process.execPath, [bin, "app", "--config", path.join(root, ".dependency-cruiser.mjs"), "--output-type", "err"], { cwd: base, encoding: "utf8" });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  }

  it("fails on a cycle between two services, naming both", () => {
    const { code, out } = cruise("pair", { "app/services/a.server.ts": ["app/services/b.server.ts"], "app/services/b.server.ts": ["app/services/a.server.ts"] });
    expect(code).not.toBe(0);
    expect(out).toMatch(/no-circular: app\/services\/a\.server\.ts →\s+app\/services\/b\.server\.ts →\s+app\/services\/a\.server\.ts/);
  });

  it("fails on the cycle the SDK instance once closed (shopify.server → catalog-sync → webhooks.server)", () => {
    const { code, out } = cruise("sdk", {
      "app/shopify.server.ts": ["app/services/catalog-sync.server.ts"],
      "app/services/catalog-sync.server.ts": ["app/services/webhooks.server.ts"],
      "app/services/webhooks.server.ts": ["app/shopify.server.ts"],
    });
    expect(code).not.toBe(0);
    expect(out).toMatch(/no-circular: .*\n(.*\n)*\s+app\/shopify\.server\.ts →/);
  });
});
