import pino from "pino";
import { requestContext } from "./request-context.server";

// Structured logs. Every line carries the request (or job) it was written for (request-context.server.ts):
// reqId, and shop and job once known. Secrets, tokens, signatures and personal data are redacted
// wherever they might appear; test/scripts/log-secrets.test.ts greps a real server's logs for them.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  mixin() {
    const ctx = requestContext();
    if (!ctx) return {};
    return ctx.job ? { reqId: ctx.requestId, shop: ctx.shop, job: ctx.job } : { reqId: ctx.requestId, shop: ctx.shop };
  },
  redact: {
    paths: [
      "accessToken", "*.accessToken", "key", "*.key", "authorization", "*.authorization", "secret", "*.secret",
      "token", "*.token", "hmac", "*.hmac", "password", "*.password", "email", "*.email", "headers.cookie", "*.headers.cookie",
      // Ad platforms' OAuth (services/ads): tokens and the client secret (never logged; redacted if they ever are).
      "refreshToken", "*.refreshToken", "access_token", "*.access_token", "refresh_token", "*.refresh_token",
      "client_secret", "*.client_secret", "appsecret_proof", "*.appsecret_proof",
    ],
    censor: "[redacted]",
  },
});
