// Prisma CLI configuration: the JavaScript engine with a driver adapter, so no native
// engine is downloaded (see ../shared/reference/stack.md and docs/decisions/0002).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The schema reads env("DATABASE_URL"); without it the CLI cannot read the schema,
// falls back to the native engine and tries to download it. Default to the demo file.
process.env.DATABASE_URL ??= "file:./prisma/dev.db";
const url = process.env.DATABASE_URL;

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
