// Every job of the app, for the worker (server.mjs starts it through entry.server.tsx) and the
// Activity page: importing a module that defines jobs registers them (define.server.ts). A new job
// is defined beside the work it does, and its module is listed here.
import "../returns/effects.server";
import "../returns/escalation.server";
import "../returns/request.server";
import "../routing/execute.server";
import "../routing/retry.server";
import "../routing/order-job.server";
import "../courier-quotes.server";
import "../insights.server";
import "../catalog-sync.server";
import "../deliveries/shopify.server";
import "../orders/import.server";
import "../orders/reconcile.server";
import "../permits/reminders.server";
import "../campaigns/apply.server";
import "../campaigns/guardrails.server";
import "../campaigns/marketing.server";
import "../campaigns/results.server";

export { jobDefinitions, startJobWorker, stopJobWorker } from "./index.server";
