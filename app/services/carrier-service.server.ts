// Registering Nearhub as the shop's carrier service, so Shopify asks us for live rates at
// checkout. Idempotent: finds our service among the shop's carrier services (by callback URL,
// else by name) and updates it, or creates it. Never throws for Shopify's answers: every
// outcome (active, plan not eligible, error) is recorded on the shop's shipping settings and
// returned, so install (afterAuth) and the admin's "Register / re-check" button behave alike.
// Calls go through the one Admin GraphQL client (shopify-admin.server.ts).
import { z } from "zod";
import { env } from "~/env.server";
import { logger } from "./logger.server";
import { recordCarrierService, type CarrierServiceStatus } from "./shipping-settings.server";
import {
  adminMutation,
  adminQuery,
  ShopifyGraphqlError,
  ShopifyHttpError,
  ShopifyUserErrors,
  userErrorSchema,
  type AdminGraphql,
} from "./shopify-admin.server";

export const CARRIER_SERVICE_NAME = "Nearhub live rates";
export const CARRIER_SERVICE_PATH = "/api/carrier-service/rates";

export interface RegistrationOutcome {
  status: Exclude<CarrierServiceStatus, "NOT_REGISTERED">;
  /** gid://shopify/DeliveryCarrierService/… when Shopify has one for us. */
  id: string | null;
  action: "created" | "updated" | null;
  message: string;
}

export function carrierServiceCallbackUrl(appUrl: string = env().appUrl): string {
  return `${appUrl.replace(/\/+$/, "")}${CARRIER_SERVICE_PATH}`;
}

const LIST_QUERY = `#graphql
  query NearhubCarrierServices {
    carrierServices(first: 50) {
      nodes { id name callbackUrl active }
    }
  }`;

const CREATE_MUTATION = `#graphql
  mutation NearhubCarrierServiceCreate($input: DeliveryCarrierServiceCreateInput!) {
    carrierServiceCreate(input: $input) {
      carrierService { id name callbackUrl active }
      userErrors { field message }
    }
  }`;

const UPDATE_MUTATION = `#graphql
  mutation NearhubCarrierServiceUpdate($input: DeliveryCarrierServiceUpdateInput!) {
    carrierServiceUpdate(input: $input) {
      carrierService { id name callbackUrl active }
      userErrors { field message }
    }
  }`;

// Shopify's answers, parsed rather than cast.
const serviceSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  callbackUrl: z.string().nullish(),
  active: z.boolean().nullish(),
});
const listSchema = z.object({ carrierServices: z.object({ nodes: z.array(serviceSchema) }) });
const payloadSchema = z.object({ carrierService: serviceSchema.nullish(), userErrors: z.array(userErrorSchema) });

/**
 * Shopify refuses carrier services on plans without carrier-calculated shipping ("Carrier
 * Calculated Shipping must be enabled for your store…"); the error code is the generic
 * CARRIER_SERVICE_CREATE_FAILED, so the message is what tells.
 */
export function isPlanRefusal(message: string): boolean {
  return (
    /carrier[\s-]*calculated[\s-]*shipping/i.test(message) ||
    /\bplan\b.*\b(not (eligible|allowed|available|supported)|does not (allow|support|include))/i.test(message)
  );
}

export const PLAN_NOT_ELIGIBLE_HELP =
  "Live rates at checkout need carrier-calculated shipping, which Shopify includes on the Advanced plan or higher, " +
  "on the Shopify plan billed yearly, or as a monthly add-on from Shopify Support; development stores always have it.";

/** A failure of the client, in words for the Shipping page. */
function describeFailure(error: unknown): string {
  if (error instanceof ShopifyHttpError && (error.status === 401 || error.status === 403)) {
    return `Shopify refused the request (HTTP ${error.status}): the app may lack the write_shipping scope or need to be reinstalled. ${error.body}`.trim();
  }
  if (error instanceof ShopifyHttpError) return `Shopify answered HTTP ${error.status}. ${error.body}`.trim();
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ShopifyGraphqlError && error.errors.some((e) => e.code === "ACCESS_DENIED" || /access denied|write_shipping/i.test(e.message))) {
    return `Shopify refused access: the app needs the write_shipping scope (reinstall or update the app's scopes). ${message}`;
  }
  return `Could not reach Shopify to register live rates: ${message}`;
}

/** Ours among the shop's carrier services: the same callback URL, else our name with our path. */
function findOurs(services: z.infer<typeof serviceSchema>[], callbackUrl: string) {
  return (
    services.find((s) => s.callbackUrl === callbackUrl) ??
    services.find((s) => s.name === CARRIER_SERVICE_NAME && (s.callbackUrl ?? "").endsWith(CARRIER_SERVICE_PATH)) ??
    services.find((s) => s.name === CARRIER_SERVICE_NAME) ??
    null
  );
}

export async function registerCarrierService(
  shop: { id: string; domain?: string },
  admin: AdminGraphql,
  opts: { appUrl?: string } = {},
): Promise<RegistrationOutcome> {
  const callbackUrl = carrierServiceCallbackUrl(opts.appUrl);
  let outcome: RegistrationOutcome;
  let existing: z.infer<typeof serviceSchema> | null = null;
  try {
    const list = await adminQuery(admin, LIST_QUERY, undefined, listSchema);
    existing = findOurs(list.carrierServices.nodes, callbackUrl);
    const fields = { name: CARRIER_SERVICE_NAME, callbackUrl, active: true, supportsServiceDiscovery: true };
    const payload = existing
      ? await adminMutation(admin, UPDATE_MUTATION, { input: { id: existing.id, ...fields } }, "carrierServiceUpdate", payloadSchema)
      : await adminMutation(admin, CREATE_MUTATION, { input: fields }, "carrierServiceCreate", payloadSchema);
    const action = existing ? "updated" : "created";
    if (!payload.carrierService) {
      outcome = { status: "ERROR", id: existing?.id ?? null, action: null, message: "Shopify returned no carrier service and no error" };
    } else {
      outcome = {
        status: "ACTIVE",
        id: payload.carrierService.id,
        action,
        message:
          action === "created"
            ? `Registered “${CARRIER_SERVICE_NAME}” with Shopify (callback ${callbackUrl}).`
            : `“${CARRIER_SERVICE_NAME}” was already registered; its callback and status were confirmed (${callbackUrl}).`,
      };
    }
  } catch (error) {
    if (error instanceof ShopifyUserErrors) {
      const messages = error.userErrors.map((e) => e.message).join("; ");
      outcome = error.userErrors.some((e) => isPlanRefusal(e.message))
        ? { status: "PLAN_NOT_ELIGIBLE", id: existing?.id ?? null, action: null, message: `Shopify said: ${messages}` }
        : { status: "ERROR", id: existing?.id ?? null, action: null, message: `Shopify refused the ${existing ? "update" : "registration"}: ${messages}` };
    } else outcome = { status: "ERROR", id: null, action: null, message: describeFailure(error) };
  }
  await recordCarrierService(shop.id, {
    // Keep a known id when this attempt could not learn one (a network error says nothing about it).
    ...(outcome.id !== null ? { id: outcome.id } : {}),
    status: outcome.status,
    message: outcome.message,
  });
  logger.info({ shop: shop.domain ?? shop.id, status: outcome.status, action: outcome.action }, "carrier service registration");
  return outcome;
}
