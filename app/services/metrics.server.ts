// Prometheus metrics (prom-client), served at /metrics to a scraper that presents NEARHUB_METRICS_TOKEN
// (routes/metrics.ts; without the token set, /metrics does not exist). One registry per process:
// each process of a deployment is scraped on its own, as Prometheus expects.
//
//   nearhub_checkout_seconds{route,answer}       rates callback, checkout and app-proxy promise latency; answer = live | backup
//   nearhub_webhooks_total{topic,outcome}        webhooks received: accepted | duplicate | refused
//   nearhub_job_attempt_seconds{job,outcome}     job attempts and their duration: completed | failed
//   nearhub_jobs_waiting{state}                  queue depth when scraped: waiting | retrying | running | dead
//   nearhub_shopify_throttle_wait_seconds_total  time spent waiting out Shopify's cost bucket
//   plus Node's default metrics (event loop lag, heap, GC), prefixed nearhub_
import client from "prom-client";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "nearhub_" });

export const checkoutSeconds = new client.Histogram({
  name: "nearhub_checkout_seconds",
  help: "Checkout answers (carrier rates, delivery promise) by route and whether they were live or backup rates",
  labelNames: ["route", "answer"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3],
  registers: [registry],
});

export const webhooksTotal = new client.Counter({
  name: "nearhub_webhooks_total",
  help: "Shopify webhooks received, by topic and outcome",
  labelNames: ["topic", "outcome"] as const,
  registers: [registry],
});

export const jobAttempts = new client.Histogram({
  name: "nearhub_job_attempt_seconds",
  help: "Job attempts by job and outcome, and how long they ran",
  labelNames: ["job", "outcome"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
  registers: [registry],
});

export const shopifyThrottleWait = new client.Counter({
  name: "nearhub_shopify_throttle_wait_seconds_total",
  help: "Seconds spent waiting for Shopify's GraphQL cost bucket to refill",
  registers: [registry],
});

/** Queue depth, read when scraped (set by routes/metrics.ts from the job engine). */
export const jobsWaiting = new client.Gauge({
  name: "nearhub_jobs_waiting",
  help: "Jobs in the queue when scraped, by state",
  labelNames: ["state"] as const,
  registers: [registry],
});
