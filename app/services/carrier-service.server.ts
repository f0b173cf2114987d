// Registering Nearhub as the shop's carrier service, so Shopify asks us for live rates at
// checkout. Idempotent: finds our service among the shop's carrier services (by callback URL,
// else by name) and updates it, or creates it. Never throws for Shopify's answers: every
// outcome (active, plan not eligible, error) is recorded on the shop's shipping settings and
// returned, so install (afterAuth) and the admin's "Register / re-check" button behave alike.
import { z } from "zod";
import { env } from "~/env.server";
import { logger } from "./logger.server";
import { recordCarrierService, type CarrierServiceStatus } from "./shipping-settings.server";

export const CARRIER_SERVICE_NAME = "Nearhub live rates";
export const CARRIER_SERVICE_PATH = "/api/carrier-service/rates";

/** What we need of the Admin API client: `admin` from authenticate.admin / unauthenticated.admin. */
export interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

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
const userErrorsSchema = z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string() }));
const listSchema = z.object({ data: z.object({ carrierServices: z.object({ nodes: z.array(serviceSchema) }) }) });
const payloadSchema = z.object({ carrierService: serviceSchema.nullish(), userErrors: userErrorsSchema });
const createSchema = z.object({ data: z.object({ carrierServiceCreate: payloadSchema }) });
const updateSchema = z.object({ data: z.object({ carrierServiceUpdate: payloadSchema }) });

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

async function call<T>(admin: AdminGraphql, query: string, variables: Record<string, unknown> | undefined, schema: z.ZodType<T>): Promise<T> {
  const response = await admin.graphql(query, variables ? { variables } : undefined);
  const body: unknown = await response.json();
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const errors = (body as { errors?: unknown })?.errors;
    throw new Error(
      errors ? `Shopify answered with errors: ${JSON.stringify(errors).slice(0, 300)}` : "Shopify's answer was not in the expected shape",
    );
  }
  return parsed.data;
}

/** A thrown Response (HTTP error from the client) or Error, in words. */
async function describeFailure(error: unknown): Promise<string> {
  if (error instanceof Response) {
    const text = await error.text().catch(() => "");
    if (error.status === 401 || error.status === 403) {
      return `Shopify refused the request (HTTP ${error.status}): the app may lack the write_shipping scope or need to be reinstalled. ${text.slice(0, 200)}`.trim();
    }
    return `Shopify answered HTTP ${error.status}. ${text.slice(0, 200)}`.trim();
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ACCESS_DENIED|access denied|write_shipping/i.test(message)) {
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
  try {
    const list = await call(admin, LIST_QUERY, undefined, listSchema);
    const existing = findOurs(list.data.carrierServices.nodes, callbackUrl);
    const fields = { name: CARRIER_SERVICE_NAME, callbackUrl, active: true, supportsServiceDiscovery: true };
    const payload = existing
      ? (await call(admin, UPDATE_MUTATION, { input: { id: existing.id, ...fields } }, updateSchema)).data.carrierServiceUpdate
      : (await call(admin, CREATE_MUTATION, { input: fields }, createSchema)).data.carrierServiceCreate;
    const action = existing ? "updated" : "created";
    if (payload.userErrors.length > 0) {
      const messages = payload.userErrors.map((e) => e.message).join("; ");
      outcome = payload.userErrors.some((e) => isPlanRefusal(e.message))
        ? { status: "PLAN_NOT_ELIGIBLE", id: existing?.id ?? null, action: null, message: `Shopify said: ${messages}` }
        : { status: "ERROR", id: existing?.id ?? null, action: null, message: `Shopify refused the ${existing ? "update" : "registration"}: ${messages}` };
    } else if (!payload.carrierService) {
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
    outcome = { status: "ERROR", id: null, action: null, message: await describeFailure(error) };
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
