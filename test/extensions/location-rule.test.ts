// Nearhub's Plus location rule (extensions/order-routing-location-rule) on JSON fixtures shaped
// like the Function's input (src/run.graphql) and output. The WebAssembly build needs the Shopify
// CLI's Javy download, which this machine cannot reach, so the exported JS run function is tested
// directly: it ranks with app/core/routing (checked against routeOrder itself), respects the
// locations Shopify says stock the group, gives a neutral ranking without a usable configuration,
// and never throws.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepareNetwork } from "~/core/quoting";
import { prepareRouting, routeOrder } from "~/core/routing";
import { locationRuleConfigSchema, type LocationRuleConfig } from "../../app/core/routing/location-rule-config";
import { rankLocations, run, type GroupExplanation, type RunInput } from "../../extensions/order-routing-location-rule/src/run";
import { local, nycConfig, nycSnapshot } from "../core/fixtures";

const FIXTURES = path.resolve(__dirname, "../../extensions/order-routing-location-rule/tests/fixtures");
interface Fixture {
  payload: { export: string; target: string; input: RunInput; output: ReturnType<typeof run> };
}
const fixture = (name: string): Fixture => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8"));

const LOCATION_OF: Record<string, string> = { wh: "gid://shopify/Location/71", bk: "gid://shopify/Location/72", mh: "gid://shopify/Location/73" };
const HANDLE_OF_NODE: Record<string, string> = { "lic-warehouse": "loc-wh", brooklyn: "loc-bk", manhattan: "loc-mh" };
const VARIANT_OF: Record<string, string> = { mug: "1001", print: "1002", hoodie: "1003", lamp: "1004", vase: "1005" };

/** What the admin would publish for the New York network of the core fixtures. */
function nycRuleConfig(): LocationRuleConfig {
  const snap = nycSnapshot();
  return locationRuleConfigSchema.parse({
    version: 1,
    currency: "USD",
    shopId: snap.shopId,
    nodes: snap.nodes.filter((n) => LOCATION_OF[n.id]).map((n) => ({ ...n, shopifyLocationId: LOCATION_OF[n.id] })),
    products: snap.products.map((p) => ({ ...p, variantIds: [`gid://shopify/ProductVariant/${VARIANT_OF[p.id]}`] })),
    quote: nycConfig(),
    routing: { splitPenaltyMinor: 300 },
  });
}

function withConfig(input: RunInput, jsonValue: unknown): RunInput {
  return { ...input, shop: { ...input.shop, metafield: { jsonValue } } };
}

// 10:00 in New York on a Tuesday: every node open, before every cut-off.
const NOW = local("2025-06-10T10:00");

/** The core's own decision for one group, as the routing service would compute it. */
function coreDecision(group: RunInput["fulfillmentGroups"][number], stockedNodes: string[]) {
  const cfg = nycRuleConfig();
  const byVariant = new Map(cfg.products.map((p) => [p.variantIds[0], p.id]));
  const lines = group.lines.map((l) => ({ id: l.id, productId: byVariant.get(l.merchandise.id!)!, quantity: l.quantity }));
  const stock: Record<string, Record<string, number>> = {};
  for (const n of stockedNodes) stock[n] = Object.fromEntries(lines.map((l) => [l.productId, l.quantity]));
  const snapshot = { shopId: cfg.shopId, currency: "USD", nodes: cfg.nodes, products: cfg.products.map(({ variantIds: _v, ...p }) => p), stock };
  const net = prepareRouting(prepareNetwork(snapshot, cfg.quote), { ...cfg.routing, maxShipments: 1, alternativesListed: 20 });
  const a = group.deliveryAddress!;
  return routeOrder(net, { id: group.handle, placedAt: NOW, destination: { country: a.countryCode!, postalCode: a.zip, latitude: a.latitude, longitude: a.longitude }, lines }, { now: NOW });
}

describe("location rule: ranking with the routing core", () => {
  it("puts the location of the cheapest node first, in the core's order, and a location that is not a node last", () => {
    const input = withConfig(fixture("williamsburg-cart.json").payload.input, nycRuleConfig());
    const explain: GroupExplanation[] = [];
    const out = rankLocations(input, { now: NOW }, explain);
    expect(explain.map((e) => e.neutral)).toEqual([false, false]);

    const [g1, g2] = out.operations.map((o) => o.fulfillmentGroupLocationRankingAdd);
    expect(g1.fulfillmentGroupHandle).toBe("fg-1");
    const decision = coreDecision(input.fulfillmentGroups[0], ["wh", "bk", "mh"]);
    expect(decision.status).toBe("ROUTED");
    const expected = [decision.shipments[0].nodeHandle, ...decision.alternatives.map((a) => a.nodes[0])].map((h) => HANDLE_OF_NODE[h]);
    expect(g1.rankings.slice(0, expected.length)).toEqual(expected.map((locationHandle, rank) => ({ locationHandle, rank })));
    // Two mugs and a hoodie to Williamsburg: the Brooklyn hub, a few blocks away, is the cheapest.
    expect(g1.rankings[0]).toEqual({ locationHandle: "loc-bk", rank: 0 });
    expect(decision.alternatives[0].deltaMinor).toBeGreaterThan(0);
    // After every node that can ship: the Chelsea hub (its drawn area is Manhattan, and it ships no
    // carrier service) and the pop-up store, which is not a Nearhub node, tied for Shopify's next rule.
    expect(decision.excluded.map((e) => e.nodeHandle)).toContain("manhattan");
    const tail = g1.rankings.slice(expected.length);
    expect(tail.map((r) => r.locationHandle).sort()).toEqual(["loc-mh", "loc-pop"]);
    expect(tail.every((r) => r.rank === expected.length)).toBe(true);

    // The print is stocked only at the warehouse and the Chelsea hub in this group.
    expect(g2.rankings.map((r) => r.locationHandle).sort()).toEqual(["loc-mh", "loc-wh"]);
    const d2 = coreDecision(input.fulfillmentGroups[1], ["wh", "mh"]);
    expect(g2.rankings[0].locationHandle).toBe(HANDLE_OF_NODE[d2.shipments[0].nodeHandle]);
  });

  it("ranks only the locations Shopify says stock the group: without the Brooklyn hub the next cheapest leads", () => {
    const base = fixture("williamsburg-cart.json").payload.input;
    const group = { ...base.fulfillmentGroups[0], inventoryLocationHandles: ["loc-wh", "loc-mh"] };
    const out = rankLocations(withConfig({ ...base, fulfillmentGroups: [group] }, nycRuleConfig()), { now: NOW });
    const rankings = out.operations[0].fulfillmentGroupLocationRankingAdd.rankings;
    expect(rankings.map((r) => r.locationHandle)).not.toContain("loc-bk");
    const decision = coreDecision(group, ["wh", "mh"]);
    expect(rankings[0]).toEqual({ locationHandle: HANDLE_OF_NODE[decision.shipments[0].nodeHandle], rank: 0 });
    expect(rankings).toHaveLength(2);
  });

  it("a disabled node's location goes after the nodes that can ship", () => {
    const base = fixture("williamsburg-cart.json").payload.input;
    const cfg = nycRuleConfig();
    cfg.nodes = cfg.nodes.map((n) => (n.id === "bk" ? { ...n, status: "DISABLED" as const } : n));
    const out = rankLocations(withConfig(base, cfg), { now: NOW });
    const rankings = out.operations[0].fulfillmentGroupLocationRankingAdd.rankings;
    expect(rankings[0].locationHandle).not.toBe("loc-bk");
    const bk = rankings.find((r) => r.locationHandle === "loc-bk")!;
    expect(bk.rank).toBeGreaterThan(rankings[0].rank);
  });

  it("a variant Nearhub does not know leaves that group to Shopify (neutral), the others are still ranked", () => {
    const base = fixture("williamsburg-cart.json").payload.input;
    const g1 = base.fulfillmentGroups[0];
    const unknown = { ...g1, lines: [...g1.lines, { id: "gid://shopify/CartLine/9", quantity: 1, merchandise: { __typename: "ProductVariant", id: "gid://shopify/ProductVariant/424242" } }] };
    const explain: GroupExplanation[] = [];
    const out = rankLocations(withConfig({ ...base, fulfillmentGroups: [unknown, base.fulfillmentGroups[1]] }, nycRuleConfig()), { now: NOW }, explain);
    expect(out.operations[0].fulfillmentGroupLocationRankingAdd.rankings.every((r) => r.rank === 0)).toBe(true);
    expect(explain[0].why).toMatch(/424242 is not described/);
    expect(explain[1].neutral).toBe(false);
  });
});

describe("location rule: neutral ranking when there is nothing to rank with", () => {
  it("no configuration (metafield not written yet): every location rank 0, as the fixture expects", () => {
    const f = fixture("williamsburg-cart.json").payload;
    expect(f.target).toBe("cart.fulfillment-groups.location-rankings.generate.run");
    expect(run(f.input)).toEqual(f.output);
  });

  it("a malformed metafield gives the neutral ranking, as the fixture expects", () => {
    const f = fixture("malformed-metafield.json").payload;
    expect(run(f.input)).toEqual(f.output);
    const explain: GroupExplanation[] = [];
    rankLocations(f.input, { now: NOW }, explain);
    expect(explain[0].why).toMatch(/configuration does not parse/);
  });

  it("a configuration the routing core refuses (a rule code it does not know) gives the neutral ranking", () => {
    const base = fixture("williamsburg-cart.json").payload.input;
    const cfg = nycRuleConfig();
    cfg.quote = { ...cfg.quote, pricingRules: [{ code: "NO_SUCH_RULE", args: {} }] };
    const explain: GroupExplanation[] = [];
    const out = rankLocations(withConfig(base, cfg), { now: NOW }, explain);
    expect(out).toEqual(fixture("williamsburg-cart.json").payload.output);
    expect(explain[0].why).toMatch(/refused by the routing core/);
  });

  it("a group without a delivery address yet is neutral", () => {
    const base = fixture("williamsburg-cart.json").payload.input;
    const group = { ...base.fulfillmentGroups[0], deliveryAddress: null };
    const out = rankLocations(withConfig({ ...base, fulfillmentGroups: [group] }, nycRuleConfig()), { now: NOW });
    expect(out.operations[0].fulfillmentGroupLocationRankingAdd.rankings.every((r) => r.rank === 0)).toBe(true);
  });

  it("never throws, whatever the input and configuration look like", () => {
    const base = fixture("williamsburg-cart.json").payload.input;
    const good = nycRuleConfig();
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        fc.oneof(fc.constant(good as unknown), fc.anything(), fc.record({ version: fc.constant(1), currency: fc.constant("USD"), shopId: fc.string(), nodes: fc.anything(), products: fc.anything() })),
        fc.nat({ max: 3 }),
        (garbageInput, garbageGroup, jsonValue, shape) => {
          const inputs: unknown[] = [
            garbageInput,
            { ...base, shop: { localTime: { date: "2025-06-10" }, metafield: { jsonValue } } },
            { ...base, fulfillmentGroups: [garbageGroup], shop: { metafield: { jsonValue: good } } },
            { ...base, locations: garbageInput, shop: { metafield: { jsonValue } } },
          ];
          const out = run(inputs[shape] as RunInput);
          expect(Array.isArray(out.operations)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
