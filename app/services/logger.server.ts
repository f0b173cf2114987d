import pino from "pino";

// Structured logs. Secrets and tokens are redacted wherever they might appear.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  redact: {
    paths: ["accessToken", "*.accessToken", "key", "*.key", "authorization", "*.authorization", "secret", "*.secret"],
    censor: "[redacted]",
  },
});
