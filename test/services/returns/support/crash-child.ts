// Run by crash.test.ts in a child process (vite-node): delivers a signed returns/request webhook
// and dies (process.exit, no cleanup, no effects) right after the change has committed.
import { action } from "~/routes/webhooks.returns.request";
import { returnFlowHooks } from "~/services/returns/effects.server";
import { webhookRequest } from "../../../support/shopify";

const [domain, payloadJson, webhookId] = process.argv.slice(2);
returnFlowHooks.afterCommit = () => process.exit(137);
await action({ request: webhookRequest("/webhooks/returns/request", JSON.parse(payloadJson), { shop: domain, topic: "returns/request", webhookId }), params: {}, context: {} });
// Reaching this line means the flow was not interrupted.
process.exit(0);
