// Tests: `npm test` (both databases, via scripts/test.mjs) or `npx vitest run [paths]` (SQLite;
// NEARHUB_TEST_DB=postgres for PostgreSQL on a throwaway cluster). Every test file gets its own fresh,
// migrated database before it is imported: see test/support/global-setup.ts and setup-db.ts.
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    // Each test file in its own child process: native modules (better-sqlite3) and the per-file
    // DATABASE_URL stay private to the file.
    pool: "forks",
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/setup-db.ts"],
    // The app's configuration for tests: a made-up app. Keep equal to TEST_SHOPIFY in
    // test/support/shopify.ts, which signs webhooks and session tokens with this secret.
    env: {
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: "test-api-secret-0123456789",
      SHOPIFY_APP_URL: "http://127.0.0.1:3000",
      // Shopify tokens at rest (app/services/secrets.server.ts): a made-up key, as TEST_SHOPIFY's.
      NEARHUB_ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy0wMTI=",
      LOG_LEVEL: "silent",
    },
    // The checkout extension tester imports the extension's .tsx module itself: it must go
    // through Vite's transform, not Node's loader (test/extensions/checkout-extension.test.tsx).
    server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
    // Guards against hangs, not speed targets (benchmarks live in bench/). Generous because browser
    // tests drive a real server and Chromium on shared, sometimes heavily loaded machines; hooks
    // may build the app once.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
