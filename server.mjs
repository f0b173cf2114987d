// Production HTTP server: Express serving the Remix build. Host and port come from the
// app's own parsed configuration (app/env.server.ts): demo mode binds to 127.0.0.1 only
// and refuses NODE_ENV=production.
//
// One path skips Express and Remix: Shopify's carrier-service rate requests (POST
// /api/carrier-service/rates), the checkout's hot path, are answered by the build's
// nearhubCarrierRates (app/services/carrier-rates.server.ts), the same answer as the Remix
// route at a fraction of the cost per request (bench/quote-http.ts).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

const root = path.dirname(fileURLToPath(import.meta.url));
const buildPath = path.join(root, "build", "server", "index.js");

// The last resort, not the fix (causes are handled where they arise, docs/decisions/0011): an error
// nobody handled is logged and the server keeps serving, instead of dropping every request in flight.
let safetyNet = false;
function installSafetyNet(logger) {
  if (safetyNet) return;
  safetyNet = true;
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled promise rejection; still serving"));
  process.on("uncaughtException", (error, origin) => logger.error({ err: error, origin }, "uncaught exception; still serving"));
}

export async function startServer({ port, quiet = false } = {}) {
  const build = await import(buildPath);
  installSafetyNet(build.entry.module.nearhubLogger ?? console);
  let config;
  try {
    config = build.entry.module.nearhubEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  const app = express();
  app.disable("x-powered-by");
  app.use(
    "/assets",
    express.static(path.join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }),
  );
  app.use(express.static(path.join(root, "build", "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));
  const carrierRates = build.entry.module.nearhubCarrierRates;
  const handler = (req, res) => {
    if (carrierRates && req.method === "POST" && req.url.split("?")[0] === "/api/carrier-service/rates") {
      carrierRates(req, res);
    } else {
      app(req, res);
    }
  };

  // The database probe behind /healthz, every 2 s in the background. Its first query also starts
  // Prisma's engine: done before listening, so no request waits for it (bounded: the first probe gives
  // the database 5 s to answer, and a database that does not is reported, not waited for).
  const probe = build.entry.module.startDatabaseProbe?.();
  await probe?.first;

  const listenPort = port ?? config.port;
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(listenPort, config.host, () => {
      const address = server.address();
      const url = `http://${config.host}:${typeof address === "object" && address ? address.port : listenPort}`;
      if (!quiet) {
        console.log(`Nearhub listening on ${url}${config.demo ? " (demo mode, loopback only)" : ""}`);
      }
      // In-process jobs (off with NEARHUB_COURIER_QUOTES=0 or without courier credentials).
      const job = build.entry.module.startCourierQuotePrefetch?.();
      // The returns job (off with NEARHUB_RETURNS_JOB=0): pending effects, escalations.
      const returnsJob = build.entry.module.startReturnsJob?.();
      // The routing retry job (off with NEARHUB_ROUTING_JOB=0): throttled or failed fulfillment-order moves.
      const routingJob = build.entry.module.startRoutingJob?.();
      server.on("close", () => {
        probe?.stop();
        job?.stop();
        returnsJob?.stop();
        routingJob?.stop();
      });
      resolve({ server, url, config });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { server } = await startServer();
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
