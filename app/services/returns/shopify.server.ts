// Returns in Shopify's Admin GraphQL: approve or decline a requested return, create one from
// admin, find the reverse fulfillment order lines of a return and dispose them (RESTOCKED at a
// location, PROCESSING_REQUIRED or NOT_RESTOCKED). Shapes as documented on shopify.dev
// (admin-graphql 2026-10): every payload carries `userErrors { code field message }` (ReturnUserError).
// Answers are parsed with zod, never cast; a userError throws ShopifyReturnError unless it says the
// work is already done (a retried outbox effect), which counts as success.
import { z } from "zod";
import type { AdminGraphql } from "../carrier-service.server";

export type { AdminGraphql };

export class ShopifyReturnError extends Error {}

const userErrorsSchema = z.array(z.object({ code: z.string().nullish(), field: z.array(z.string()).nullish(), message: z.string() }));

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

async function call<T extends z.ZodType>(admin: AdminGraphql, query: string, variables: Record<string, unknown>, field: string, schema: T) {
  const response = await admin.graphql(query, { variables });
  const body = z
    .object({ data: z.record(z.string(), z.unknown()).nullish(), errors: z.array(z.object({ message: z.string() })).nullish() })
    .parse(await response.json());
  if (body.errors?.length) throw new ShopifyReturnError(`${field}: ${body.errors.map((e) => e.message).join("; ")}`);
  const parsed = schema.safeParse(body.data?.[field]);
  if (!parsed.success) throw new ShopifyReturnError(`${field}: unexpected answer from Shopify`);
  return parsed.data as z.output<T>;
}

function checkUserErrors(field: string, errors: z.output<typeof userErrorsSchema>): "ok" | "already" {
  if (errors.length === 0) return "ok";
  if (errors.every((e) => ALREADY_DONE.test(e.message))) return "already";
  throw new ShopifyReturnError(`${field}: ${errors.map((e) => `${e.field?.join(".") ?? ""} ${e.message}`.trim()).join("; ")}`);
}

const returnPayload = z.object({ return: z.object({ id: z.string(), status: z.string() }).nullish(), userErrors: userErrorsSchema });

export async function approveReturnRequest(admin: AdminGraphql, returnGid: string): Promise<"ok" | "already"> {
  const p = await call(admin, APPROVE_MUTATION, { input: { id: returnGid } }, "returnApproveRequest", returnPayload);
  return checkUserErrors("returnApproveRequest", p.userErrors);
}

export async function declineReturnRequest(
  admin: AdminGraphql,
  returnGid: string,
  reason: string,
  note: string | null,
): Promise<"ok" | "already"> {
  const input = { id: returnGid, declineReason: reason, declineNote: note?.slice(0, 500) ?? null, notifyCustomer: true };
  const p = await call(admin, DECLINE_MUTATION, { input }, "returnDeclineRequest", returnPayload);
  return checkUserErrors("returnDeclineRequest", p.userErrors);
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
  const p = await call(
    admin,
    CREATE_MUTATION,
    { returnInput },
    "returnCreate",
    z.object({ return: z.object({ id: z.string(), name: z.string().nullish() }).nullish(), userErrors: userErrorsSchema }),
  );
  checkUserErrors("returnCreate", p.userErrors);
  if (!p.return) throw new ShopifyReturnError("returnCreate: Shopify created no return");
  return { id: p.return.id, name: p.return.name ?? null };
}

export interface ReverseLine {
  id: string;
  totalQuantity: number;
  sku: string | null;
}

/** The return's reverse fulfillment order lines (created when the return is approved or created). */
export async function reverseLinesOf(admin: AdminGraphql, returnGid: string): Promise<ReverseLine[]> {
  const ret = await call(
    admin,
    RFO_QUERY,
    { id: returnGid },
    "return",
    z
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
  );
  if (!ret) throw new ShopifyReturnError(`return ${returnGid} not found in Shopify`);
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
  const p = await call(
    admin,
    DISPOSE_MUTATION,
    { dispositionInputs },
    "reverseFulfillmentOrderDispose",
    z.object({ userErrors: userErrorsSchema }).passthrough(),
  );
  return checkUserErrors("reverseFulfillmentOrderDispose", p.userErrors);
}
