// The app lifecycle webhooks (app/uninstalled, app/scopes_update), acting inside the webhook's
// transaction (see webhooks.server.ts).
import { z } from "zod";
import { timestampSchema } from "./shopify-payload";
import { sameShop, type Tx, type WebhookContext, type WebhookRoute } from "./webhooks.server";

export const scopesUpdateSchema = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  previous: z.array(z.string()).default([]),
  current: z.array(z.string()),
  updated_at: timestampSchema.nullish(),
});

/** app/uninstalled: the payload is the shop resource; only its own domain and update time are read. */
export const uninstalledSchema = z
  .object({ id: z.union([z.number(), z.string()]).optional(), myshopify_domain: z.string().nullish(), updated_at: timestampSchema.nullish() })
  .passthrough();

/** app/uninstalled: the offline token is dead; keep the data until shop/redact. */
export async function markUninstalled(tx: Tx, ctx: WebhookContext<unknown>) {
  await tx.session.deleteMany({ where: { shop: ctx.shopDomain } });
  if (ctx.shop) await tx.shop.update({ where: { id: ctx.shop.id }, data: { uninstalledAt: new Date() } });
}

/** app/scopes_update: keep stored sessions and the shop in line with the granted scopes. */
export async function updateScopes(tx: Tx, ctx: WebhookContext<z.output<typeof scopesUpdateSchema>>) {
  const scope = ctx.payload.current.join(",");
  await tx.session.updateMany({ where: { shop: ctx.shopDomain }, data: { scope } });
  if (ctx.shop) await tx.shop.update({ where: { id: ctx.shop.id }, data: { scopes: scope } });
}

// ---------------------------------------------------------------------------------------------
// The routes (app/routes/webhooks.app.*): topic, what the signed body must say, and the natural key
// each delivery is recorded under (webhooks.server.ts).

export const uninstalledWebhook: WebhookRoute<typeof uninstalledSchema> = {
  topic: "app/uninstalled",
  schema: uninstalledSchema,
  fits: (p, shopDomain) => sameShop("myshopify_domain", p.myshopify_domain, shopDomain),
  // The shop's state at its updated_at: an older or replayed body does not mark a reinstalled shop uninstalled.
  resource: (p, body) => (p.updated_at ? { key: "app/uninstalled", version: p.updated_at } : { key: `app/uninstalled:${body.digest}`, version: null }),
  act: markUninstalled,
};

export const scopesUpdateWebhook: WebhookRoute<typeof scopesUpdateSchema> = {
  topic: "app/scopes_update",
  schema: scopesUpdateSchema,
  // The granted scopes are a latest state: an older grant delivered late does not replace a newer one.
  resource: (p, body) => (p.updated_at ? { key: "app/scopes", version: p.updated_at } : { key: `app/scopes_update:${body.digest}`, version: null }),
  act: updateScopes,
};
