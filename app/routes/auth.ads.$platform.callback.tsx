// Where Meta and Google send the merchant back after the consent page (/auth/ads/<meta|google>/callback
// ?code&state, or ?error when declined). No admin session is needed: the state was issued for one
// shop and platform (its hash is on that shop's AdConnection row), is good once and for 30 minutes.
// The merchant is sent back to the admin page the flow started from, with ?connected or ?error.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { env } from "~/env.server";
import { db } from "~/db.server";
import { AdOAuthError, abandonAdOAuth, completeAdOAuth } from "~/services/ads/connections.server";
import { refusal } from "~/services/http-guards.server";

const platformSchema = z.enum(["meta", "google"]).transform((p) => p.toUpperCase() as "META" | "GOOGLE");
const querySchema = z.object({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
});

/** The admin page inside Shopify admin (the callback runs in the top window, outside the iframe). */
async function adminUrl(shopId: string, path: string, params: Record<string, string>): Promise<string> {
  const query = new URLSearchParams(params).toString();
  const target = `${path}${path.includes("?") ? "&" : "?"}${query}`;
  const config = env();
  if (config.demo) return target;
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  return shop ? `https://${shop.domain}/admin/apps/${config.apiKey}${target}` : target;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const platform = platformSchema.safeParse(params.platform);
  if (!platform.success) return refusal(404, "platform: must be meta or google", "text");
  const url = new URL(request.url);
  const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return refusal(400, "state: missing or malformed", "text");
  const { state, code, error } = query.data;
  if (error || !code) {
    const abandoned = await abandonAdOAuth(platform.data, state);
    if (!abandoned) return refusal(400, "state: this connect link is not one Nearhub issued, or it was used already", "text");
    const why = error === "access_denied" ? "You declined on the platform's page." : `The platform answered: ${query.data.error_description ?? error ?? "no code"}`;
    return redirect(await adminUrl(abandoned.shopId, abandoned.returnPath, { error: why }));
  }
  try {
    const done = await completeAdOAuth(platform.data, state, code);
    return redirect(await adminUrl(done.shopId, done.returnPath, { connected: done.platform }));
  } catch (e) {
    if (!(e instanceof AdOAuthError)) throw e;
    if (!e.shopId) return refusal(400, `state: ${e.message}`, "text");
    return redirect(await adminUrl(e.shopId, e.returnPath ?? "/app/settings/ads", { error: e.message }));
  }
}
