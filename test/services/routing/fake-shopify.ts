// A stand-in for Shopify's Admin GraphQL API (2026-10) behind setAbstractFetchFunc, for routing:
// it checks each request (path, access token, operation, the fields our queries must ask for, the
// mutation's variables) and answers Shopify-shaped payloads with `extensions.cost`. It keeps the
// store's state: orders with their fulfillment orders, and where each fulfillment order is.
import { readFileSync } from "node:fs";
import path from "node:path";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { expect } from "vitest";

const FIXTURES = path.resolve(__dirname, "../../fixtures/shopify/fulfillment-orders");
export const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8"));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FakeMove {
  id: string;
  newLocationId: string;
  lineItems: { id: string; quantity: number }[] | null;
}

export type MoveBehaviour = "ok" | "throttled" | { userError: string };

const cost = (available = 1990) => ({
  requestedQueryCost: 10,
  actualQueryCost: 10,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
});

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

export class FakeShopify {
  orders = new Map<string, Json>();
  moves: FakeMove[] = [];
  /** Answers for the next fulfillmentOrderMove calls, in order; then "ok". */
  moveScript: MoveBehaviour[] = [];
  operations: string[] = [];
  /** The next this-many order queries answer HTTP 503 (Shopify unavailable). */
  failOrderQueries = 0;
  constructor(
    readonly shopDomain: string,
    readonly accessToken = "shpat_test",
  ) {}

  install(): void {
    setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => this.handle(input, init));
  }

  /** An order like the fixture's, with its own ids, SKU, quantity, shipping code and location. */
  addOrder(o: { n: number; sku: string; quantity?: number; code?: string | null; fromLocation: string; latitude?: number; longitude?: number; zip?: string; closed?: boolean }): { orderGid: string; foGid: string } {
    const base = structuredClone((fixture("order-query-response.json") as Json).data.order) as Json;
    const orderGid = `gid://shopify/Order/${5820000000 + o.n}`;
    const foGid = `gid://shopify/FulfillmentOrder/${6540000000 + o.n}`;
    base.id = orderGid;
    base.name = `#${1000 + o.n}`;
    base.closed = o.closed ?? false;
    if (o.latitude !== undefined) Object.assign(base.shippingAddress, { latitude: o.latitude, longitude: o.longitude, zip: o.zip ?? base.shippingAddress.zip });
    base.shippingLines.nodes = o.code === null ? [] : [{ code: o.code ?? "NH:nyc-bk-hub:SAME_DAY", source: "Nearhub live rates", title: "Nearhub" }];
    const fo = base.fulfillmentOrders.nodes[0];
    fo.id = foGid;
    fo.assignedLocation.location.id = o.fromLocation;
    const line = fo.lineItems.nodes[0];
    line.id = `gid://shopify/FulfillmentOrderLineItem/${1300000000 + o.n}`;
    line.remainingQuantity = line.totalQuantity = o.quantity ?? 1;
    line.lineItem = { id: `gid://shopify/LineItem/${1400000000 + o.n}`, sku: o.sku, variant: null };
    this.orders.set(orderGid, base);
    return { orderGid, foGid };
  }

  locationOf(foGid: string): string | null {
    for (const o of this.orders.values()) for (const fo of o.fulfillmentOrders.nodes) if (fo.id === foGid) return fo.assignedLocation.location.id;
    return null;
  }

  private findFo(foGid: string): { order: Json; fo: Json } | null {
    for (const order of this.orders.values()) for (const fo of order.fulfillmentOrders.nodes) if (fo.id === foGid) return { order, fo };
    return null;
  }

  private async handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = new URL(String(input instanceof Request ? input.url : input));
    expect(url.hostname).toBe(this.shopDomain);
    expect(url.pathname).toBe("/admin/api/2026-10/graphql.json");
    expect(new Headers(init?.headers).get("X-Shopify-Access-Token")).toBe(this.accessToken);
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Json };
    const operation = /(query|mutation)\s+(\w+)/.exec(body.query)?.[2] ?? "?";
    this.operations.push(operation);
    switch (operation) {
      case "NearhubRoutingOrder": {
        for (const field of ["shippingAddress", "latitude", "shippingLines", "code", "fulfillmentOrders", "assignedLocation", "remainingQuantity", "sku"]) {
          expect(body.query).toContain(field);
        }
        expect(body.variables.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
        if (this.failOrderQueries > 0) {
          this.failOrderQueries--;
          return new Response(JSON.stringify({ errors: "Service Unavailable" }), { status: 503, headers: { "Content-Type": "application/json" } });
        }
        return json({ data: { order: this.orders.get(body.variables.id) ?? null }, extensions: { cost: cost() } });
      }
      case "NearhubRoutingFulfillmentOrder": {
        expect(body.variables.id).toMatch(/^gid:\/\/shopify\/FulfillmentOrder\/\d+$/);
        const found = this.findFo(body.variables.id);
        return json({
          data: { fulfillmentOrder: found ? { id: found.fo.id, status: found.fo.status, order: { id: found.order.id } } : null },
          extensions: { cost: cost() },
        });
      }
      case "NearhubFulfillmentOrderMove": {
        expect(body.query).toMatch(/fulfillmentOrderMove\(id: \$id, newLocationId: \$newLocationId/);
        expect(body.query).toContain("userErrors { field message }");
        const v = body.variables;
        expect(v.id).toMatch(/^gid:\/\/shopify\/FulfillmentOrder\/\d+$/);
        expect(v.newLocationId).toMatch(/^gid:\/\/shopify\/Location\/\d+$/);
        const behaviour = this.moveScript.shift() ?? "ok";
        if (behaviour === "throttled") {
          return json({
            errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
            extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 } } },
          });
        }
        const found = this.findFo(v.id);
        if (typeof behaviour === "object" || !found || found.fo.status !== "OPEN") {
          const message = typeof behaviour === "object" ? behaviour.userError : "Fulfillment order is closed.";
          return json({ data: { fulfillmentOrderMove: { movedFulfillmentOrder: null, originalFulfillmentOrder: null, userErrors: [{ field: ["id"], message }] } }, extensions: { cost: cost() } });
        }
        this.moves.push({ id: v.id, newLocationId: v.newLocationId, lineItems: v.fulfillmentOrderLineItems ?? null });
        found.fo.assignedLocation.location.id = v.newLocationId;
        const state = { id: found.fo.id, status: "OPEN", assignedLocation: { location: { id: v.newLocationId } } };
        return json({ data: { fulfillmentOrderMove: { movedFulfillmentOrder: state, originalFulfillmentOrder: state, userErrors: [] } }, extensions: { cost: cost() } });
      }
      default:
        throw new Error(`fake Shopify: unexpected operation ${operation}`);
    }
  }
}
