// Run by crash.test.ts in a child process (vite-node): delivers a signed returns/request webhook
// and dies (process.exit, no cleanup) right after the decision has committed, as its effect's call
// to Shopify goes out and before Shopify has it ("committed", exit 137: the suite's fake Admin API
// ends the process on the first request), or right after the webhook was answered, before the
// decision ("answered", exit 138).
import { action } from "~/routes/webhooks.returns.request";
import { settleReturnDecisions } from "~/services/returns/request.server";
import { FakeAdminApi } from "../../../support/admin-api-fake";
import { webhookRequest } from "../../../support/shopify";

const [domain, payloadJson, webhookId, when = "committed"] = process.argv.slice(2);
const shopify = new FakeAdminApi();
shopify.listen();
shopify.next("NearhubReturnApprove", () => process.exit(137));
const res = await action({ request: webhookRequest("/webhooks/returns/request", JSON.parse(payloadJson), { shop: domain, topic: "returns/request", webhookId }), params: {}, context: {} });
// "answered": the process dies as soon as the webhook is answered, before the decision has run.
if (when === "answered") process.exit(res.status === 200 ? 138 : 1);
await settleReturnDecisions();
// Reaching this line means the flow was not interrupted.
process.exit(0);
