// `npm run secrets:reencrypt`: seals every stored Shopify access and refresh token that is still clear
// text (written before encryption at rest) or under a retired key (NEARHUB_ENCRYPTION_OLD_KEYS) with
// the current NEARHUB_ENCRYPTION_KEY, in DATABASE_URL. Safe to run while the app serves and to run
// again. The app does the same to each row the first time it reads it; this does them all, so a
// retired key can be dropped. See docs/decisions/0017-secrets-at-rest.md.
// Exit codes: 0 every token is under the current key, 1 some row has a token no configured key opens,
// 2 bad configuration.
import type { ReencryptReport } from "../app/session-storage.server";

// Before the app's modules load (they are imported below, once this is set).
process.env.LOG_LEVEL ??= "warn";

async function main(): Promise<number> {
  const { env } = await import("../app/env.server");
  let config: ReturnType<typeof env>;
  try {
    config = env();
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const { db } = await import("../app/db.server");
  const { keyId, secrets } = await import("../app/services/secrets.server");
  const { reencryptSessionTokens } = await import("../app/session-storage.server");
  try {
    const report: ReencryptReport = await reencryptSessionTokens(db);
    const retired = config.encryptionKeys.slice(1).map(keyId);
    console.log(
      `Sessions: ${report.rows} row(s); ${report.encrypted} token(s) encrypted from clear text, ${report.rotated} moved to key ${secrets().current.id}` +
        (retired.length ? ` from the retired key(s) ${retired.join(", ")}` : ""),
    );
    if (report.unreadable.length > 0) {
      console.error(
        `${report.unreadable.length} row(s) hold a token no configured key opens, left as they are: ${report.unreadable.join(", ")}. ` +
          "Add the key they were sealed with to NEARHUB_ENCRYPTION_OLD_KEYS and run this again, or delete those sessions (the shop's next visit exchanges a new token).",
      );
      return 1;
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`secrets:reencrypt: ${(error as Error).message}`);
  process.exitCode = 1;
}
