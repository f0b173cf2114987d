// Another app process, for test/services/config-commands.test.ts: against the same database
// (DATABASE_URL), it waits for "go" on stdin, runs one configuration command and prints what came
// of it as one JSON line: {"outcome":"saved"} or {"outcome":"stale","message":…}.
//   vite-node --config vitest.config.ts test/services/support/config-child.ts <command> <shopId> <json args>
import { createInterface } from "node:readline";
import { setNodeStatus } from "~/services/network.server";
import { savePricingRules, StaleConfigError } from "~/services/shipping-settings.server";

const [command, shopId, argsJson] = process.argv.slice(2);
const args = JSON.parse(argsJson) as Record<string, unknown>;

async function run(): Promise<void> {
  switch (command) {
    case "save-pricing":
      await savePricingRules(shopId, Number(args.version), args.rules as unknown[]);
      return;
    case "disable-node":
      await setNodeStatus(shopId, String(args.nodeId), "DISABLED");
      return;
    default:
      throw new Error(`unknown command ${command}`);
  }
}

console.log(JSON.stringify({ ready: true }));
const lines = createInterface({ input: process.stdin });
lines.once("line", () => {
  lines.close();
  run().then(
    () => console.log(JSON.stringify({ outcome: "saved" })),
    (error: unknown) => {
      if (error instanceof StaleConfigError) console.log(JSON.stringify({ outcome: "stale", message: error.message }));
      else console.log(JSON.stringify({ outcome: "error", message: String(error) }));
    },
  ).finally(() => process.exit(0));
});
