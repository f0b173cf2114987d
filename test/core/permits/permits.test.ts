// Permits: statuses derived from dates and an injected clock, what a lapsed permit takes away through
// the one availability gate (quotes, routing, returns, corridors, couriers), reminder slots and
// jurisdiction templates.
import { describe, expect, it } from "vitest";
import { prepareNetwork, quotePrepared } from "../../../app/core/quoting";
import { chooseDestination, prepareReturnPolicy } from "../../../app/core/returns";
import { prepareRouting, routeOrder } from "../../../app/core/routing";
import {
  dueReminder,
  jurisdictionsOf,
  LAPSE_OFFSET,
  permitInputSchema,
  permitStanding,
  permitState,
  proposeTemplates,
  reminderSlots,
  rolesOf,
  templateExpiry,
  type Permit,
  type PermitInput,
} from "../../../app/core/permits";
import type { NetworkSnapshot } from "../../../app/core/network/types";
import { addresses, line, local, NY, nycConfig, nycNodes, nycSnapshot, products } from "../fixtures";

function permit(over: Partial<PermitInput> & Pick<PermitInput, "subjectId">, id = "p1"): Permit {
  return {
    ...permitInputSchema.parse({
      subjectType: "NODE",
      kind: "FIRE_INSPECTION",
      jurisdiction: "US-NY-NYC",
      issuedOn: "2024-06-01",
      expiresOn: "2025-06-05",
      recurrence: "ANNUAL_INSPECTION",
      gates: ["OPERATE"],
      ...over,
    }),
    id,
    version: 1,
  };
}

const n = nycNodes();
const subjects = {
  nodes: Object.values(n),
  corridors: [{ id: "wb-robots", name: "Williamsburg robots", nodeId: "bk" }],
  sellers: [{ id: "ana", name: "Ana Ruiz" }],
  shopTimezone: NY,
};
const NOW = local("2025-06-10T11:00"); // a Tuesday

function withPermits(permits: Permit[], now = NOW): NetworkSnapshot {
  return { ...nycSnapshot(), permits: permitStanding(permits, subjects, now) };
}
const cart = [line(products.mug(), 1), line(products.hoodie(), 1)];
const quote = (snapshot: NetworkSnapshot, now = NOW) =>
  quotePrepared(prepareNetwork(snapshot, nycConfig()), { cart: { lines: cart }, destination: addresses.williamsburg, now });

describe("a permit's status comes from its dates and the clock", () => {
  const p = permit({ subjectId: "bk", expiresOn: "2025-12-02", leadDays: 30, graceDays: 14 });
  const at = (iso: string) => permitState(p, NY, local(iso)).status;

  it("walks valid → renewal due → in grace → lapsed at local midnights", () => {
    expect(at("2025-11-01T23:59")).toBe("VALID");
    expect(at("2025-11-03T00:00")).toBe("RENEWAL_DUE"); // 30 days before the day after expiry
    expect(at("2025-12-02T23:59")).toBe("RENEWAL_DUE"); // good through the expiry date, local time
    expect(at("2025-12-03T00:00")).toBe("IN_GRACE");
    expect(at("2025-12-16T23:59")).toBe("IN_GRACE");
    expect(at("2025-12-17T00:00")).toBe("LAPSED");
  });

  it("lapses at the subject's midnight, not UTC's, and says when it changes next", () => {
    const s = permitState(permit({ subjectId: "bk", expiresOn: "2025-12-02" }), NY, Date.parse("2025-12-03T04:59:00Z"));
    expect(s.status).toBe("RENEWAL_DUE");
    expect(s.changesAt).toBe(Date.parse("2025-12-03T05:00:00Z")); // 00:00 in New York (EST)
    expect(s.lapseDate).toBe("2025-12-03");
    expect(permitState(permit({ subjectId: "bk", expiresOn: "2025-12-02" }), NY, s.changesAt!).status).toBe("LAPSED");
  });

  it("is suspended whatever its dates say, and valid on notice without an expiry", () => {
    expect(permitState(permit({ subjectId: "bk", expiresOn: "2030-01-01", suspended: true }), NY, NOW).status).toBe("SUSPENDED");
    const onNotice = permit({ subjectId: "bk", kind: "SALES_TAX_REGISTRATION", expiresOn: null, recurrence: "ON_NOTICE" });
    expect(permitState(onNotice, NY, NOW)).toMatchObject({ status: "VALID", changesAt: null });
  });

  it("refuses bad input naming the field", () => {
    const issues = (input: object) =>
      permitInputSchema.safeParse({ subjectType: "NODE", subjectId: "bk", kind: "FIRE_INSPECTION", jurisdiction: "US-NY-NYC", issuedOn: "2025-01-01", expiresOn: "2026-01-01", recurrence: "FIXED_TERM", ...input }).error?.issues.map((i) => i.path.join("."));
    expect(issues({ expiresOn: "2024-12-31" })).toEqual(["expiresOn"]);
    expect(issues({ kind: "PARKING" })).toEqual(["kind"]);
    expect(issues({ jurisdiction: "ATLANTIS" })).toEqual(["jurisdiction"]);
    expect(issues({ issuedOn: "2025-02-30" })).toEqual(["issuedOn"]);
    expect(issues({ expiresOn: null })).toEqual(["expiresOn"]); // only a permit renewed on notice has no expiry
    expect(issues({})).toBeUndefined();
  });
});

describe("a lapsed permit takes away exactly what it gates, with the reason, everywhere", () => {
  const fireLapsed = permit({ subjectId: "bk", expiresOn: "2025-06-02" });

  it("a lapsed fire inspection takes the hub out of quotes, routing, pickup and return destinations", () => {
    const snapshot = withPermits([fireLapsed]);
    const why = { code: "PERMIT_LAPSED", message: "fire inspection for Brooklyn hub lapsed on 3 Jun" };
    const q = quote(snapshot);
    expect(q.options.filter((o) => o.nodeId === "bk")).toEqual([]);
    expect(q.excluded.find((e) => e.nodeId === "bk" && e.service === null)!.reasons).toEqual([why]);

    const net = prepareNetwork(snapshot, nycConfig());
    const decision = routeOrder(prepareRouting(net, {}), { id: "o1", placedAt: NOW, destination: addresses.williamsburg, lines: [{ productId: "mug", quantity: 1 }] }, { now: NOW });
    expect(decision.shipments.some((s) => s.nodeId === "bk")).toBe(false);
    expect(decision.excluded.find((e) => e.nodeId === "bk")!.reasons).toContainEqual(why);

    const back = chooseDestination(prepareReturnPolicy({}), { product: products.mug(), from: addresses.williamsburg, condition: null }, { costing: net.costing });
    expect(back.excluded.find((e) => e.nodeId === "bk")).toMatchObject(why);
    expect(net.costing.returnHubs.map((h) => h.node.id)).not.toContain("bk");
  });

  it("renewal restores it at once: the same network with new dates offers the hub again", () => {
    const before = quote(withPermits([fireLapsed]));
    const renewed = quote(withPermits([{ ...fireLapsed, issuedOn: "2025-06-09", expiresOn: "2026-06-08" }]));
    expect(before.options.some((o) => o.nodeId === "bk")).toBe(false);
    expect(renewed.options.filter((o) => o.nodeId === "bk").map((o) => o.service).sort()).toEqual(quote(nycSnapshot()).options.filter((o) => o.nodeId === "bk").map((o) => o.service).sort());
  });

  it("in grace the hub still serves; lapse takes effect at its instant", () => {
    const graced = permit({ subjectId: "bk", expiresOn: "2025-06-05", graceDays: 10 });
    expect(quote(withPermits([graced])).options.some((o) => o.nodeId === "bk")).toBe(true);
    const standing = permitStanding([graced], subjects, NOW);
    expect(standing.validUntil).toBe(local("2025-06-16T00:00"));
    expect(permitStanding([graced], subjects, standing.validUntil!).nodes.bk.purposes.SHIP?.code).toBe("PERMIT_LAPSED");
  });

  it("a lapsed robot authorization closes only the corridor: the courier takes over, saying why", () => {
    const robots = permit({ subjectType: "CORRIDOR", subjectId: "wb-robots", kind: "ROBOT_OPERATION", jurisdiction: "US-NY-NYC", recurrence: "PER_DEVICE", expiresOn: "2025-06-02", gates: ["ROBOT_DELIVERY"] });
    const q = quote(withPermits([robots]));
    expect(q.excluded.find((e) => e.nodeId === "bk" && e.service === "AUTONOMOUS")!.reasons).toEqual([
      { code: "CORRIDOR_UNAVAILABLE", message: "Williamsburg robots: robot operation authorization lapsed on 3 Jun; courier services from this node still apply" },
    ]);
    expect(q.options.some((o) => o.nodeId === "bk" && o.service === "SAME_DAY")).toBe(true);
    expect(quote(nycSnapshot()).options.some((o) => o.nodeId === "bk" && o.service === "AUTONOMOUS")).toBe(true);
    // After the hub's cut-off the corridor still says it is closed by the permit, not that it is late.
    const late = quote(withPermits([robots]), local("2025-06-10T23:30"));
    expect(late.excluded.find((e) => e.nodeId === "bk" && e.service === "AUTONOMOUS")!.reasons[0].code).toBe("CORRIDOR_UNAVAILABLE");
  });

  it("a lapsed courier permit stops courier dispatch only: carriers and pickup still ship", () => {
    const fleet = permit({ subjectId: "bk", kind: "COURIER_FLEET", recurrence: "FIXED_TERM", expiresOn: "2025-06-02", gates: ["COURIER_DISPATCH"] });
    const q = quote(withPermits([fleet]));
    const held = q.excluded.find((e) => e.nodeId === "bk" && e.service === "SAME_DAY")!;
    expect(held.reasons).toEqual([{ code: "PERMIT_LAPSED", message: "courier fleet permit for Brooklyn hub lapsed on 3 Jun: it dispatches no courier deliveries" }]);
    expect(q.options.some((o) => o.nodeId === "bk" && o.service === "SAME_DAY")).toBe(false);
    expect(q.options.some((o) => o.nodeId === "bk" && o.service === "AUTONOMOUS")).toBe(true);
  });

  it("a lapsed secondhand licence stops the hub receiving returns, not shipping", () => {
    const resale = permit({ subjectId: "bk", kind: "SECONDHAND_DEALER", recurrence: "FIXED_TERM", expiresOn: "2025-06-02", gates: ["RESELL_RETURNS"] });
    const net = prepareNetwork(withPermits([resale]), nycConfig());
    expect(quotePrepared(net, { cart: { lines: cart }, destination: addresses.williamsburg, now: NOW }).options.some((o) => o.nodeId === "bk")).toBe(true);
    const back = chooseDestination(prepareReturnPolicy({}), { product: products.mug(), from: addresses.williamsburg, condition: null }, { costing: net.costing });
    expect(back.excluded.find((e) => e.nodeId === "bk")).toMatchObject({
      code: "PERMIT_LAPSED",
      message: "secondhand dealer licence for Brooklyn hub lapsed on 3 Jun: it receives no returns for resale",
    });
  });

  it("a seller's suspended permit takes their studios out; a permit of a subject that is gone takes nothing", () => {
    const tax = permit({ subjectType: "SELLER", subjectId: "ana", kind: "SALES_TAX_REGISTRATION", recurrence: "ON_NOTICE", expiresOn: null, suspended: true, suspendedReason: "unpaid return" });
    const standing = permitStanding([tax, permit({ subjectId: "gone" }, "p2")], subjects, NOW);
    expect(Object.keys(standing.nodes)).toEqual(["st"]);
    expect(standing.nodes.st.purposes.SHIP!.message).toBe("sales-tax registration for Ana Ruiz is suspended (unpaid return)");
  });
});

describe("reminders", () => {
  const p = permit({ subjectId: "bk", expiresOn: "2025-12-02", graceDays: 3 });

  it("fall at 09:00 local at each offset, then on lapse", () => {
    const slots = reminderSlots(p, NY);
    expect(slots.map((s) => [s.offsetDays, new Date(s.at).toISOString()])).toEqual([
      [60, "2025-10-03T13:00:00.000Z"], // 09:00 EDT
      [30, "2025-11-02T14:00:00.000Z"], // 09:00 EST
      [7, "2025-11-25T14:00:00.000Z"],
      [1, "2025-12-01T14:00:00.000Z"],
      [LAPSE_OFFSET, "2025-12-06T05:00:00.000Z"],
    ]);
    expect(new Set(slots.map((s) => s.cycle))).toEqual(new Set(["2025-12-02"]));
  });

  it("only the latest slot that fell due is sent, so a permit entered late gets one reminder, not a burst", () => {
    const slots = reminderSlots(p, NY);
    expect(dueReminder(slots, local("2025-10-01T12:00"))).toBeNull();
    expect(dueReminder(slots, local("2025-11-28T12:00"))!.offsetDays).toBe(7);
    expect(dueReminder(slots, local("2025-12-06T00:00"))!.offsetDays).toBe(LAPSE_OFFSET);
    // A renewal is a new cycle: its slots are new ones.
    expect(reminderSlots({ ...p, expiresOn: "2026-12-02" }, NY)[0].cycle).toBe("2026-12-02");
    expect(reminderSlots({ ...p, suspended: true }, NY)).toEqual([]);
  });
});

describe("jurisdiction templates", () => {
  it("place a node in its city and state, and propose what its roles need there", () => {
    expect(jurisdictionsOf({ country: "US", province: "NY", city: "Brooklyn" })).toEqual(["US-NY-NYC", "US-NY"]);
    expect(jurisdictionsOf({ country: "US", province: "TX", city: "Austin" })).toEqual(["US-TX-AUSTIN", "US-TX"]);
    expect(jurisdictionsOf({ country: "CA", province: "ON", city: "Toronto" })).toEqual([]);
    const hub = proposeTemplates(["US-NY-NYC", "US-NY"], rolesOf({ kind: "MICRO_HUB", acceptsReturns: true }, false)).map((t) => t.kind);
    expect(hub).toEqual(expect.arrayContaining(["CERTIFICATE_OF_OCCUPANCY", "FIRE_INSPECTION", "SALES_TAX_REGISTRATION", "SECONDHAND_DEALER", "E_WASTE"]));
    expect(proposeTemplates(["US-NY-NYC", "US-NY"], rolesOf({ kind: "MICRO_HUB", acceptsReturns: false }, false)).map((t) => t.kind)).not.toContain("SECONDHAND_DEALER");
    const austin = proposeTemplates(["US-TX-AUSTIN", "US-TX"], ["HUB"]);
    expect(austin.find((t) => t.kind === "FIRE_INSPECTION")).toMatchObject({ feeMinor: 10000, source: { sourced: true } });
    expect(proposeTemplates(["US-PA"], ["ROBOT_CORRIDOR"]).map((t) => t.id)).toEqual(["pa-pdd"]);
    expect(proposeTemplates(["US-PA"], ["ROBOT_CORRIDOR"], new Set(["pa-pdd"]))).toEqual([]);
  });

  it("give a new permit its expiry from the term", () => {
    expect(templateExpiry({ termMonths: 12 }, "2026-12-03")).toBe("2027-12-02");
    expect(templateExpiry({ termMonths: 24 }, "2026-01-31")).toBe("2028-01-30");
    expect(templateExpiry({ termMonths: null }, "2026-12-03")).toBeNull();
  });
});
