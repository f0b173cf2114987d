// How Nearhub tells a merchant something outside the admin: an email through SMTP_URL, and a POST to
// a URL the merchant chose, signed with HMAC-SHA256 (X-Nearhub-Hmac-Sha256, base64, of the raw body,
// keyed with merchantWebhookSecret(shop), the one key shown in settings). Inspection escalations
// (returns/escalation.server.ts) and permit reminders (permits/reminders.server.ts) both send
// through here. Each caller records a notice as a row before sending it, so none is sent twice.
import { createHmac } from "node:crypto";
import nodemailer from "nodemailer";
import { env } from "~/env.server";

/** The key a merchant verifies our webhooks with (shown in settings): stable per shop, derived from the app secret. */
export function merchantWebhookSecret(shopDomain: string, appSecret: string = env().apiSecret): string {
  return createHmac("sha256", appSecret).update(`nearhub-returns-webhook:${shopDomain}`).digest("hex");
}

export function signWebhookBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface NotifyOptions {
  /** undefined: SMTP_URL of this process; null: no mail. */
  smtpUrl?: string | null;
  mailFrom?: string;
  fetchImpl?: typeof fetch;
  appSecret?: string;
}

export function smtpUrlOf(opts: NotifyOptions): string | null {
  return opts.smtpUrl === undefined ? env().smtpUrl : opts.smtpUrl;
}

export async function sendMerchantMail(mail: { to: string | string[]; subject: string; text: string }, opts: NotifyOptions): Promise<void> {
  const url = smtpUrlOf(opts);
  if (!url) throw new Error("SMTP_URL is not set: cannot send the email");
  const transport = nodemailer.createTransport(url);
  try {
    await transport.sendMail({ from: opts.mailFrom ?? env().mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
  } finally {
    transport.close();
  }
}

/** POSTs the JSON body to the merchant's URL, signed; throws unless it answers 2xx within 10 s. */
export async function postMerchantWebhook(hook: { url: string; topic: string; shopDomain: string; body: unknown }, opts: NotifyOptions): Promise<void> {
  const body = JSON.stringify(hook.body);
  const secret = merchantWebhookSecret(hook.shopDomain, opts.appSecret);
  const res = await (opts.fetchImpl ?? fetch)(hook.url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Nearhub-Topic": hook.topic, "X-Nearhub-Hmac-Sha256": signWebhookBody(body, secret) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`merchant webhook answered ${res.status}`);
}
