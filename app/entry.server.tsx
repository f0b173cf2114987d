import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { NonceContext } from "./components/nonce";
import { env } from "./env.server";
import { addSecurityHeaders } from "./services/security-headers.server";
import { addDocumentResponseHeaders } from "./shopify.server";
// The after-install work the library runs in authenticate.admin (here for the OAuth routes, auth.$.tsx;
// services/auth.server.ts loads it for the admin pages).
import "./services/after-install.server";

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // Shopify's frame-ancestors for the shop's admin when the request names the shop; then ours.
  addDocumentResponseHeaders(request, responseHeaders);
  const nonce = randomBytes(16).toString("base64");
  addSecurityHeaders(responseHeaders, { demo: env().demo, nonce });
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

// The HTTP server (server.mjs) reads its host and port from the same parsed configuration
// the app uses, so demo mode's loopback-only rule lives in one place (env.server.ts).
export { env as nearhubEnv } from "./env.server";

// The server's logger, for its last-resort handlers of errors nobody handled (server.mjs).
export { logger as nearhubLogger } from "./services/logger.server";
// The database probe behind /healthz (server.mjs starts it, and awaits its first result, before it listens).
export { startDatabaseProbe } from "./services/database-health.server";
// On PostgreSQL, configuration changes made by any process drop this process's quote snapshots as
// they commit (server.mjs starts it with the probe; config-version.server.ts, ADR 0036).
export { listenForConfigChanges as nearhubListenForConfig } from "./services/config-version.server";

// Background work (server.mjs starts it after it listens): the one job engine's worker, which runs
// every job whose switch is on in this process (ADR 0022, README "Configuration").
export { startJobWorker, stopJobWorker } from "./services/jobs/all.server";

// The production server's fast path for Shopify's rate requests (server.mjs): the same answer as
// the Remix route api.carrier-service.rates, without Express and the Request/Response adapters.
export { handleCarrierRatesNode as nearhubCarrierRates } from "./services/carrier-rates.server";

// The request's id and context (server.mjs opens one per request): every log line, and every job the
// request enqueues, carries it (services/request-context.server.ts).
export { requestIdFrom as nearhubRequestId, withRequestContext as nearhubWithRequest } from "./services/request-context.server";

// The production server's door (server.mjs): each path's largest body and the 413 sentence.
export { bodyLimitFor as nearhubBodyLimit, tooLargeMessage as nearhubTooLargeMessage } from "./services/http-guards.server";
