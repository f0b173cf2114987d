// Returns in Shopify's Admin GraphQL: approve or decline a requested return, create one from
// admin, find the reverse fulfillment order lines of a return and dispose them (RESTOCKED at a
// location, PROCESSING_REQUIRED or NOT_RESTOCKED). Shapes as documented on shopify.dev
// (admin-graphql 2026-10): every payload carries `userErrors { code field message }` (ReturnUserError).
// Calls go through the one client (../shopify-admin.server.ts): answers parsed with zod, throttling
// waited out, a userError thrown as ShopifyUserErrors unless it says the work is already done (a
// retried outbox effect), which counts as success.
import { z } from "zod";
import { adminMutation, adminQuery, ShopifyShapeError, ShopifyUserErrors, userErrorSchema, type AdminGraphql } from "../shopify-admin.server";

const userErrorsSchema = z.array(userErrorSchema);

export const APPROVE_MUTATION = `#graphql
  mutation NearhubReturnApprove($input: ReturnApproveRequestInput!) {
    returnApproveRequest(input: $input) {
      return { id status }
      userErrors { code field message }
    }
  }`;

export const DECLINE_MUTATION = `#graphql
  mutation NearhubReturnDecline($input: ReturnDeclineRequestInput!) {
    returnDeclineRequest(input: $input) {
      return { id status }
      userErrors { code field message }
    }
  }`;

export const CREATE_MUTATION = `#graphql
  mutation NearhubReturnCreate($returnInput: ReturnInput!) {
    returnCreate(returnInput: $returnInput) {
      return { id status name order { id } }
      userErrors { code field message }
    }
  }`;

export const RFO_QUERY = `#graphql
  query NearhubReturnReverseLines($id: ID!) {
    return(id: $id) {
      id
      reverseFulfillmentOrders(first: 10) {
        nodes {
          id
          lineItems(first: 50) {
            nodes { id totalQuantity fulfillmentLineItem { lineItem { id sku } } }
          }
        }
      }
    }
  }`;

export const DISPOSE_MUTATION = `#graphql
  mutation NearhubReverseDispose($dispositionInputs: [ReverseFulfillmentOrderDisposeInput!]!) {
    reverseFulfillmentOrderDispose(dispositionInputs: $dispositionInputs) {
      reverseFulfillmentOrderLineItems { id dispositions { type quantity location { id } } }
      userErrors { code field message }
    }
  }`;

/** Messages that mean "already done": a repeated effect after a crash must not fail. */
const ALREADY_DONE = /already (been )?(approved|declined|disposed)/i;

/** The mutation's payload; "already" when Shopify refused it only because it was done before. */
async function mutate<S extends z.ZodObject<{ userErrors: typeof userErrorsSchema }>>(
  admin: AdminGraphql,
  document: string,
  variables: Record<string, unknown>,
  field: string,
  payload: S,
): Promise<{ outcome: "ok"; payload: z.output<S> } | { outcome: "already" }> {
  try {
    return { outcome: "ok", payload: await adminMutation(admin, document, variables, field, payload) };
  } catch (error) {
    if (error instanceof ShopifyUserErrors && error.userErrors.every((e) => ALREADY_DONE.test(e.message))) return { outcome: "already" };
    throw error;
  }
}

const returnPayload = z.object({ return: z.object({ id: z.string(), status: z.string() }).nullish(), userErrors: userErrorsSchema });

export async function approveReturnRequest(admin: AdminGraphql, returnGid: string): Promise<"ok" | "already"> {
  return (await mutate(admin, APPROVE_MUTATION, { input: { id: returnGid } }, "returnApproveRequest", returnPayload)).outcome;
}

export async function declineReturnRequest(
  admin: AdminGraphql,
  returnGid: string,
  reason: string,
  note: string | null,
): Promise<"ok" | "already"> {
  const input = { id: returnGid, declineReason: reason, declineNote: note?.slice(0, 500) ?? null, notifyCustomer: true };
  return (await mutate(admin, DECLINE_MUTATION, { input }, "returnDeclineRequest", returnPayload)).outcome;
}

export interface CreateReturnLine {
  fulfillmentLineItemId: string;
  quantity: number;
  returnReason: string;
  returnReasonNote?: string;
}

/** returnCreate: an OPEN return (no request step) for fulfilled lines of an order. */
export async function createShopifyReturn(
  admin: AdminGraphql,
  input: { orderId: string; lines: CreateReturnLine[]; requestedAt: Date; notifyCustomer?: boolean },
): Promise<{ id: string; name: string | null }> {
  const returnInput = {
    orderId: input.orderId,
    returnLineItems: input.lines,
    notifyCustomer: input.notifyCustomer ?? false,
    requestedAt: input.requestedAt.toISOString(),
  };
  const p = await adminMutation(
    admin,
    CREATE_MUTATION,
    { returnInput },
    "returnCreate",
    z.object({ return: z.object({ id: z.string(), name: z.string().nullish() }).nullish(), userErrors: userErrorsSchema }),
  );
  if (!p.return) throw new ShopifyShapeError("NearhubReturnCreate", "Shopify created no return");
  return { id: p.return.id, name: p.return.name ?? null };
}

export interface ReverseLine {
  id: string;
  totalQuantity: number;
  sku: string | null;
}

/** The return's reverse fulfillment order lines (created when the return is approved or created). */
export async function reverseLinesOf(admin: AdminGraphql, returnGid: string): Promise<ReverseLine[]> {
  const { return: ret } = await adminQuery(
    admin,
    RFO_QUERY,
    { id: returnGid },
    z.object({
      return: z
        .object({
          reverseFulfillmentOrders: z.object({
            nodes: z.array(
              z.object({
                lineItems: z.object({
                  nodes: z.array(
                    z.object({
                      id: z.string(),
                      totalQuantity: z.number().int(),
                      fulfillmentLineItem: z.object({ lineItem: z.object({ sku: z.string().nullish() }).nullish() }).nullish(),
                    }),
                  ),
                }),
              }),
            ),
          }),
        })
        .nullish(),
    }),
  );
  if (!ret) throw new ShopifyShapeError("NearhubReturnReverseLines", `return ${returnGid} not found in Shopify`);
  return ret.reverseFulfillmentOrders.nodes.flatMap((rfo) =>
    rfo.lineItems.nodes.map((l) => ({ id: l.id, totalQuantity: l.totalQuantity, sku: l.fulfillmentLineItem?.lineItem?.sku ?? null })),
  );
}

export type DispositionType = "RESTOCKED" | "NOT_RESTOCKED" | "PROCESSING_REQUIRED" | "MISSING";

export interface DisposeInput {
  reverseFulfillmentOrderLineItemId: string;
  quantity: number;
  dispositionType: DispositionType;
  /** Required by Shopify for RESTOCKED. */
  locationId: string | null;
}

export async function disposeReverseLines(admin: AdminGraphql, inputs: DisposeInput[]): Promise<"ok" | "already"> {
  const dispositionInputs = inputs.map((i) => ({
    reverseFulfillmentOrderLineItemId: i.reverseFulfillmentOrderLineItemId,
    quantity: i.quantity,
    dispositionType: i.dispositionType,
    ...(i.locationId ? { locationId: i.locationId } : {}),
  }));
  return (await mutate(admin, DISPOSE_MUTATION, { dispositionInputs }, "reverseFulfillmentOrderDispose", z.object({ userErrors: userErrorsSchema }))).outcome;
}
