import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["build/**", "node_modules/**", ".cache/**", "public/build/**", "test-results/**", "extensions/**/dist/**", "extensions/**/node_modules/**", "prisma/generated/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        Buffer: "readonly",
        TextEncoder: "readonly",
        AbortController: "readonly",
        performance: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The domain core stays pure: no framework, database or Node built-ins.
    files: ["app/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@remix-run/*", "@shopify/shopify-*", "@prisma/*", "react", "react-dom", "node:*", "fs", "path", "*.server", "~/services/*", "~/routes/*", "**/services/**", "**/routes/**", "**/components/**"], message: "app/core must stay pure (see ARCHITECTURE.md)" },
          ],
        },
      ],
    },
  },
  // The other layers (ADR 0020): routes → services → core, and nothing back. Patterns match both
  // `~/…` and relative specifiers; import cycles are dependency-cruiser's (.dependency-cruiser.mjs).
  {
    files: ["app/services/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/routes/**", "**/components/**"], message: "services never import routes or components: move what both need into core or services (ADR 0020)" }] },
      ],
    },
  },
  {
    // One page layout (components/admin/AdminPage.tsx): its width follows one rule, not each page.
    files: ["app/routes/app.tsx", "app/routes/app.*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@shopify/polaris", importNames: ["Page"], message: "admin pages use AdminPage (components/admin/AdminPage.tsx): one rule for full width or centred" }] },
      ],
    },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["*.server", "**/*.server"], message: "components import no .server module: the route's loader passes what the page shows (ADR 0020)" }] },
      ],
    },
  },
  {
    files: ["app/shopify.server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/services/**"],
              message: "the SDK instance imports no service: after-install work goes through the hook module (ADR 0020)",
            },
          ],
        },
      ],
    },
  },
);
