// A process that builds the app's session storage, or the library's own, on a database that is
// not there, and stays up doing nothing else for `aliveMs`: what server.mjs does at start.
//   tsx session-storage-start.ts <resilient|library> <DATABASE_URL> <aliveMs>
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createPrismaClient } from "../../../app/db.server";
import { ResilientSessionStorage } from "../../../app/session-storage.server";

const [which, url, aliveMs] = process.argv.slice(2);
const db = createPrismaClient(url);
const started = Date.now();
process.on("exit", (code) => console.log(`EXIT ${code} after ${Date.now() - started} ms`));
if (which === "library") new PrismaSessionStorage(db);
else new ResilientSessionStorage(db);
setTimeout(() => {
  console.log("ALIVE");
  process.exit(0);
}, Number(aliveMs));
