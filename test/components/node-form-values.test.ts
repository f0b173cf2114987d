// The node form's FormData → nodeInputSchema and back: field names match the error keys the
// page shows, blanks are errors (not zeros), and a stored node round-trips through the form.
import { describe, expect, it } from "vitest";
import {
  EMPTY_NODE_FORM,
  nodeRowToFormValues,
  parseNodeForm,
  type NodeFormValues,
} from "~/components/node-form-values";
import { slugify } from "~/components/NodeForm";

const valid: NodeFormValues = {
  ...EMPTY_NODE_FORM,
  name: "Queens Micro-hub",
  handle: "queens-hub",
  kind: "MICRO_HUB",
  address1: "29-10 Thomson Ave",
  city: "Long Island City",
  province: "NY",
  postalCode: "11101",
  country: "us",
  latitude: "40.7447",
  longitude: "-73.9375",
  serviceRadiusKm: "6.5",
  sameDayCutoff: "15:00",
  dailyCapacity: "120",
  handlingCost: "1.40",
  pickupCost: "0.9",
  "openingHours.sat": "10:00-13:00, 14:00-16:00",
};

const formData = (values: Partial<NodeFormValues>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) if (k !== "acceptsReturns" || v) fd.set(k, v);
  return fd;
};

describe("parseNodeForm", () => {
  it("parses a complete form into the node input", () => {
    const result = parseNodeForm(formData(valid), "USD");
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input).toMatchObject({
      country: "US",
      serviceRadiusM: 6500,
      serviceArea: null,
      handlingCostMinor: 140,
      pickupCostMinor: 90,
      province: "NY",
      shopifyLocationId: null,
      openingHours: { mon: [["09:00", "18:00"]], sat: [["10:00", "13:00"], ["14:00", "16:00"]], sun: [] },
    });
  });

  it("keys errors by the form's field names and keeps what was typed", () => {
    const result = parseNodeForm(formData({ ...valid, latitude: "140", "openingHours.tue": "9-5" }), "USD");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.latitude).toBe("Latitude must be between -90 and 90");
    expect(result.errors["openingHours.tue"]).toMatch(/not a time range/);
    expect(Object.keys(result.errors).sort()).toEqual(["latitude", "openingHours.tue"]);
    expect(result.values.latitude).toBe("140");
  });

  it("treats blank required numbers as missing, not as zero", () => {
    const result = parseNodeForm(formData({ ...valid, latitude: "", dailyCapacity: " ", handlingCost: "" }), "USD");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.latitude).toBe("Latitude must be a number");
    expect(result.errors.dailyCapacity).toMatch(/whole number/);
    expect(result.errors.handlingCost).toBe("Handling cost is required");
  });

  it("reads the returns fields: the tick box, and the inspection window in whole hours or empty", () => {
    const ticked = parseNodeForm(formData({ ...valid, inspectionHours: "24" }), "USD");
    expect(ticked.ok && ticked.input).toMatchObject({ acceptsReturns: true, inspectionHours: 24 });
    const unticked = parseNodeForm(formData({ ...valid, acceptsReturns: "" }), "USD");
    expect(unticked.ok && unticked.input).toMatchObject({ acceptsReturns: false, inspectionHours: null });
    const bad = parseNodeForm(formData({ ...valid, inspectionHours: "0" }), "USD");
    expect(!bad.ok && bad.errors.inspectionHours).toBe("Inspection window must be at least 1 hour");
  });

  it("reads amounts in the shop's currency: whole yen, no cents", () => {
    const yen = parseNodeForm(formData({ ...valid, handlingCost: "140", pickupCost: "90" }), "JPY");
    expect(yen.ok && yen.input).toMatchObject({ handlingCostMinor: 140, pickupCostMinor: 90 });
    const cents = parseNodeForm(formData(valid), "JPY");
    expect(!cents.ok && cents.errors.handlingCost).toBe('Handling cost: "1.40" has decimals, which JPY does not have');
  });

  it("reports a bad polygon on its field", () => {
    const result = parseNodeForm(formData({ ...valid, serviceAreaGeoJson: '{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}' }), "USD");
    expect(!result.ok && result.errors.serviceAreaGeoJson).toMatch(/^Service area polygon/);
  });
});

describe("nodeRowToFormValues", () => {
  it("round-trips a stored node through the form", () => {
    const parsed = parseNodeForm(formData(valid), "USD");
    if (!parsed.ok) throw new Error("fixture should parse");
    const i = parsed.input;
    const row = {
      id: "n1",
      shopId: "s1",
      status: "ACTIVE",
      sellerId: null,
      createdAt: new Date(),
      updatedAt: new Date(),
      holidaysJson: "[]",
      prepMinutes: 30,
      makeSetupMinutes: 0,
      makeMinutesPerUnit: 0,
      version: 1,
      ...i,
      serviceAreaJson: JSON.stringify({ type: "Polygon", coordinates: [[[-74, 40.7], [-73.9, 40.7], [-73.9, 40.8], [-74, 40.7]]] }),
      openingHoursJson: JSON.stringify(i.openingHours),
    };
    const { openingHours: _h, serviceArea: _a, ...rowFields } = row;
    const values = nodeRowToFormValues(rowFields, "USD");
    expect(values).toMatchObject({ serviceRadiusKm: "6.5", handlingCost: "1.40", pickupCost: "0.90", "openingHours.sun": "closed" });
    const again = parseNodeForm(formData(values), "USD");
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect({ ...again.input, serviceArea: null }).toEqual(i);
    expect(again.input.serviceArea?.coordinates[0]).toHaveLength(4);
  });
});

it("slugify suggests a valid handle from a name", () => {
  expect(slugify("Kiln & Kettle Studio (GMDC)")).toBe("kiln-kettle-studio-gmdc");
  expect(slugify("Café Über-Hub")).toBe("cafe-uber-hub");
});

describe("the service radius in the shop's units", () => {
  const IMPERIAL = { unitSystem: "imperial", weightUnit: "POUNDS" } as const;

  it("is typed in miles in an imperial shop and stored in metres", () => {
    const result = parseNodeForm(formData({ ...valid, serviceRadiusKm: "4" }), "USD", IMPERIAL);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input.serviceRadiusM).toBe(6_437); // 4 × 1,609.344 m
  });

  it("refuses a radius past the limit with the limit in miles", () => {
    const result = parseNodeForm(formData({ ...valid, serviceRadiusKm: "320" }), "USD", IMPERIAL);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.serviceRadiusKm).toBe("Service radius must be between 0 and 310 mi");
  });

  it("shows a stored radius in miles, and saving it again keeps it", () => {
    const parsed = parseNodeForm(formData({ ...valid, serviceRadiusKm: "4" }), "USD", IMPERIAL);
    if (!parsed.ok) throw new Error("did not parse");
    const i = parsed.input;
    const row = { id: "n1", shopId: "s1", status: "ACTIVE", sellerId: null, createdAt: new Date(), updatedAt: new Date(), holidaysJson: "[]", prepMinutes: 30, makeSetupMinutes: 0, makeMinutesPerUnit: 0, version: 1, ...i, serviceAreaJson: null, openingHoursJson: JSON.stringify(i.openingHours) };
    const { openingHours: _h, serviceArea: _a, ...rowFields } = row;
    const values = nodeRowToFormValues(rowFields, "USD", IMPERIAL);
    expect(values.serviceRadiusKm).toBe("4");
    const again = parseNodeForm(formData(values), "USD", IMPERIAL);
    expect(again.ok && again.input.serviceRadiusM).toBe(6_437);
  });
});
