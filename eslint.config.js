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
            { group: ["@remix-run/*", "@shopify/shopify-*", "@prisma/*", "react", "react-dom", "node:*", "fs", "path", "*.server", "~/services/*", "~/routes/*"], message: "app/core must stay pure (see ARCHITECTURE.md)" },
          ],
        },
      ],
    },
  },
);
