// Production HTTP server: Express serving the Remix build. Host and port come from the
// app's own parsed configuration (app/env.server.ts): demo mode binds to 127.0.0.1 only
// and refuses NODE_ENV=production.
//
// One path skips Express and Remix: Shopify's carrier-service rate requests (POST
// /api/carrier-service/rates), the checkout's hot path, are answered by the build's
// nearhubCarrierRates (app/services/carrier-rates.server.ts), the same answer as the Remix
// route at a fraction of the cost per request (bench/quote-http.ts).
//
// Before either, every request passes the same door: a method the app answers (405 with Allow
// otherwise), a path without NUL (400), a body no larger than its path's limit (413:
// app/services/http-guards.server.ts, README "Limits"), and `X-Content-Type-Options: nosniff` on every answer. Remix always runs in production
// mode here, and errors that reach Express answer a plain status line: no stack trace or file path
// leaves the process, whatever NODE_ENV says (only `npm run dev`, Vite's server, shows them).
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TransformStream } from "node:stream/web";
import express from "express";
// The adapter's two halves (its package entry exports only the whole handler, which cannot count a
// chunked body against the limit): Request from Express's req, and Response back to res.
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler } from "@remix-run/node";

const root = path.dirname(fileURLToPath(import.meta.url));
const buildPath = path.join(root, "build", "server", "index.js");

/**
 * The methods the app answers. TRACE (which would echo the request back) and any other method Node
 * parses (CONNECT, PROPFIND, PURGE, ...) answer 405 with Allow: a refusal of bad input, never a 5xx.
 * Node itself answers 400 to a method it does not know.
 */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const pathOf = (url = "/") => url.split("?")[0];
/** Paths whose callers are other sites or programs by design (and authenticate them): not pages. */
const isEndpoint = (pathname) => /^\/(api|webhooks|apps)\//.test(pathname);

/**
 * The endpoint routes of the build (api.*, webhooks.*, apps.*: resource routes, which Remix does not
 * check for cross-origin posts), as patterns of the paths they serve, matched as Remix matches them
 * (case-insensitive, an optional trailing slash). A path under /api/ that none of them serves is a
 * document request to Remix, whose CSRF check applies to it.
 */
function endpointRoutes(build) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return Object.values(build.routes)
    .filter((r) => r.path && isEndpoint(`/${r.path}`))
    .map((r) => new RegExp(`^/${r.path.split("/").map((seg) => (seg.startsWith(":") ? "[^/]+" : escape(seg))).join("/")}/?$`, "i"));
}

/**
 * A page or data request that changes something, sent by a page of another origin. Remix refuses
 * these itself (its CSRF check compares Origin with X-Forwarded-Host or Host) but answers an empty
 * 500; the same rule here answers 403 and says why.
 */
function crossOriginPost(req) {
  if (!["POST", "PUT", "PATCH", "DELETE"].includes(req.method)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const host = req.headers["x-forwarded-host"]?.split(",")[0].trim() || req.headers.host;
  return URL.parse(origin)?.host !== host;
}

/** A refusal before Remix: { error } for the JSON endpoints, a plain sentence for everything else. */
function refuse(req, res, status, message, headers = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const json = isEndpoint(pathOf(req.url));
  const body = json ? JSON.stringify({ error: message }) : `${message}\n`;
  res.writeHead(status, {
    ...headers,
    "Content-Type": json ? "application/json" : "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * Express's last word: a request that failed before or outside Remix (a malformed path for the static
 * files, a Host header no URL can be made of) answers its 4xx or a bare 500, logged here.
 */
function errorHandler(error, req, res, _next) {
  const status = Number(error?.status ?? error?.statusCode);
  if (status >= 400 && status < 500) return refuse(req, res, status, http.STATUS_CODES[status] ?? "Bad Request");
  console.error(`${req.method} ${pathOf(req.url)} failed:`, error);
  refuse(req, res, 500, "Internal Server Error");
}

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
  const { nearhubBodyLimit: bodyLimit, nearhubTooLargeMessage: tooLargeMessage } = build.entry.module;
  const tooLarge = (req, res, limit) => refuse(req, res, 413, tooLargeMessage(limit, pathOf(req.url)), { Connection: "close" });
  const handleRemix = createRequestHandler(build, "production");
  app.all("*", async (req, res, next) => {
    let request;
    try {
      request = createRemixRequest(req, res);
    } catch {
      return refuse(req, res, 400, "Bad Request: no URL can be made of this request's path and Host header");
    }
    // A body sent without Content-Length (chunked) is counted as Remix reads it: past the limit the
    // rest is read and dropped (the client then reads the 413), and the route sees the body fail.
    let overLimit = 0;
    if (request.body && req.headers["content-length"] === undefined) {
      const limit = bodyLimit(pathOf(req.url));
      let seen = 0;
      const counted = request.body.pipeThrough(
        new TransformStream({
          transform(chunk, controller) {
            seen += chunk.byteLength;
            if (seen <= limit) controller.enqueue(chunk);
            else overLimit = limit;
          },
          flush(controller) {
            if (overLimit) controller.error(new Error(tooLargeMessage(limit, pathOf(req.url))));
          },
        }),
      );
      request = new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: counted, duplex: "half" });
    }
    try {
      const response = await handleRemix(request);
      if (overLimit) return tooLarge(req, res, overLimit);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  });
  app.use(errorHandler);

  const carrierRates = build.entry.module.nearhubCarrierRates;
  const endpoints = endpointRoutes(build);
  const isEndpointRoute = (pathname) => endpoints.some((pattern) => pattern.test(pathname));
  const { nearhubRequestId: requestIdFrom, nearhubWithRequest: withRequest } = build.entry.module;
  // Every request gets an id (the caller's X-Request-Id when it is a plain token), answered back in
  // X-Request-Id and carried by every log line and every job the request enqueues.
  // The caller's address for the rate limits, set here whatever the request says: the socket's, or
  // behind a trusted load balancer (NEARHUB_TRUST_PROXY) the address it appended to X-Forwarded-For.
  const clientAddress = (req) => {
    const forwarded = config.trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean).at(-1) : undefined;
    return forwarded || req.socket.remoteAddress || "unknown";
  };
  const handler = (req, res) => {
    req.headers["x-nearhub-client-ip"] = clientAddress(req);
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    res.setHeader("X-Request-Id", requestId);
    withRequest({ requestId }, () => serve(req, res));
  };
  const serve = (req, res) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (!METHODS.has(req.method)) {
      return refuse(req, res, 405, `${req.method} is not a method Nearhub answers`, { Allow: [...METHODS].join(", ") });
    }
    const pathname = pathOf(req.url);
    // No path of the app holds NUL; a route would take it for an id and PostgreSQL refuse the query (500).
    if (pathname.includes("%00")) return refuse(req, res, 400, "path: holds NUL (%00), which no Nearhub path does");
    if (carrierRates && req.method === "POST" && pathname === "/api/carrier-service/rates") return carrierRates(req, res);
    if (!isEndpointRoute(pathname) && crossOriginPost(req)) {
      return refuse(req, res, 403, `Refused: a form posted from ${req.headers.origin} may not change anything here; Nearhub's forms are posted from its own pages`);
    }
    const limit = bodyLimit(pathname);
    if (Number(req.headers["content-length"]) > limit) return tooLarge(req, res, limit);
    app(req, res);
  };

  // The database probe behind /healthz, every 2 s in the background. Its first query also starts
  // Prisma's engine: done before listening, so no request waits for it (bounded: the first probe gives
  // the database 5 s to answer, and a database that does not is reported, not waited for).
  const probe = build.entry.module.startDatabaseProbe?.();
  await probe?.first;
  // PostgreSQL: every process hears the configuration changes of the others as they commit.
  const configListener = build.entry.module.nearhubListenForConfig?.() ?? null;
  await configListener?.ready;

  const listenPort = port ?? config.port;
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(listenPort, config.host, () => {
      const address = server.address();
      const url = `http://${config.host}:${typeof address === "object" && address ? address.port : listenPort}`;
      if (!quiet) {
        console.log(`Nearhub listening on ${url}${config.demo ? " (demo mode, loopback only)" : ""}`);
      }
      // The job engine's worker (ADR 0022): every job whose switch is on here (NEARHUB_JOBS=0: none).
      const jobs = build.entry.module.startJobWorker?.().catch((error) => {
        console.error(`jobs: the worker did not start: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      server.on("close", () => {
        probe?.stop();
        void configListener?.stop();
        void jobs?.then(() => build.entry.module.stopJobWorker?.());
      });
      /**
       * Graceful shutdown: stop accepting connections, let the requests in flight finish (idle
       * keep-alive connections are closed), then let the job attempts in flight finish and stop the
       * worker. Past `graceMs` the process exits anyway (1): a request or job that does not end is
       * cut, and jobs are taken over by another process once their lease expires.
       */
      const shutdown = async (graceMs = config.shutdownGraceMs) => {
        const force = setTimeout(() => process.exit(1), graceMs);
        force.unref();
        await new Promise((r) => {
          server.close(r);
          server.closeIdleConnections();
        });
        probe?.stop();
        await configListener?.stop();
        await jobs;
        await build.entry.module.stopJobWorker?.();
        clearTimeout(force);
      };
      resolve({ server, url, config, shutdown });
    });
  });
}

/**
 * NEARHUB_PROCESSES: how many app processes `npm start` runs (Node's cluster: they share the port,
 * and each is a whole app: checkout, admin, webhooks, its share of the jobs). 1 (the default) runs
 * the app in this process; `auto` runs one per CPU. Null when the value is not one of those.
 */
export function processCount(value = process.env.NEARHUB_PROCESSES) {
  if (value === undefined || value === "") return 1;
  if (value === "auto") return Math.max(1, os.availableParallelism());
  return /^[1-9][0-9]?$/.test(value) ? Number(value) : null;
}

/**
 * The primary of NEARHUB_PROCESSES > 1: forks the processes and keeps them running. On SQLite only
 * the first runs jobs (the file's one writer at a time gains nothing from more); on PostgreSQL every
 * one does (pg-boss shares the queue). A process that ends is started again after 1 s, unless it
 * ended within 10 s of its start with an error (a configuration it refuses: every copy would):
 * then all stop and the primary exits 1. SIGTERM or SIGINT is passed to every process, whose own
 * graceful shutdown runs; the primary exits when they all have.
 */
function runProcesses(count) {
  const sqlite = !/^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");
  let stopping = false;
  const fork = (slot) => {
    const worker = cluster.fork(sqlite && slot > 0 ? { NEARHUB_JOBS: "0" } : {});
    const startedAt = Date.now();
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      if (code !== 0 && Date.now() - startedAt < 10_000 && !signal) {
        console.error(`process ${slot + 1} of ${count} ended at its start (exit ${code}); stopping all`);
        stop(1);
        return;
      }
      console.error(`process ${slot + 1} of ${count} ended (${signal ?? `exit ${code}`}); starting it again`);
      setTimeout(() => !stopping && fork(slot), 1_000);
    });
  };
  const stop = (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(exitCode);
    let left = workers.length;
    for (const w of workers) {
      w.once("exit", (code) => {
        if (code) exitCode ||= 1;
        if (--left === 0) process.exit(exitCode);
      });
      w.process.kill("SIGTERM");
    }
  };
  console.log(`Nearhub: ${count} processes on one port${sqlite ? " (SQLite: the first runs the jobs)" : ""}`);
  for (let slot = 0; slot < count; slot++) fork(slot);
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `npm start` is the production start: production unless NODE_ENV says otherwise (README).
  process.env.NODE_ENV ||= "production";
  const count = processCount();
  if (count === null) {
    console.error(`NEARHUB_PROCESSES: ${JSON.stringify(process.env.NEARHUB_PROCESSES)} is not a number of processes (1 to 99) or "auto"`);
    process.exit(1);
  }
  if (cluster.isPrimary && count > 1) {
    runProcesses(count);
  } else {
    const { shutdown } = await startServer();
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      shutdown().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  }
}
