// shopify.app.toml as the tests read it: the webhook subscriptions, and the route file of each.
import { readFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(__dirname, "../..");
export const appToml = readFileSync(path.join(repoRoot, "shopify.app.toml"), "utf8");

export interface Subscription {
  uri: string | undefined;
  topics: string[];
  compliance: boolean;
}

export function webhookSubscriptions(): Subscription[] {
  const blocks = appToml.split("[[webhooks.subscriptions]]").slice(1);
  return blocks.map((block) => {
    const uri = /uri\s*=\s*"([^"]+)"/.exec(block)?.[1];
    const topics = [...(/(?:^|\n)\s*(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/.exec(block)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    return { uri, topics, compliance: /compliance_topics/.test(block) };
  });
}

/** app/routes/webhooks.returns.cancel.tsx for /webhooks/returns/cancel. */
export function routeFileOf(uri: string): string {
  return path.join(repoRoot, "app/routes", `${uri.slice(1).replaceAll("/", ".")}.tsx`);
}
