// Run by crash.test.ts in a child process (vite-node): delivers a signed returns/request webhook
// and dies (process.exit, no cleanup, no effects) right after the decision has committed, before
// its effects ("committed", exit 137), or right after the webhook was answered, before the
// decision ("answered", exit 138).
import { action } from "~/routes/webhooks.returns.request";
import { returnFlowHooks } from "~/services/returns/effects.server";
import { settleReturnDecisions } from "~/services/returns/request.server";
import { webhookRequest } from "../../../support/shopify";

const [domain, payloadJson, webhookId, when = "committed"] = process.argv.slice(2);
returnFlowHooks.afterCommit = () => process.exit(137);
const res = await action({ request: webhookRequest("/webhooks/returns/request", JSON.parse(payloadJson), { shop: domain, topic: "returns/request", webhookId }), params: {}, context: {} });
// "answered": the process dies as soon as the webhook is answered, before the decision has run.
if (when === "answered") process.exit(res.status === 200 ? 138 : 1);
await settleReturnDecisions();
// Reaching this line means the flow was not interrupted.
process.exit(0);
