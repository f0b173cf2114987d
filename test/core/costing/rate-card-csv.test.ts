// Rate cards from a merchant's CSV: the RFC 4180 reader, the price / zoning / transit tables,
// unit conversion, and row-level problems that name the row, column and what is wrong.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { freightMinor, rateCardSchema, zoneByPostalCode } from "../../../app/core/costing/rateCard";
import {
  formatIssue,
  limitToGrams,
  parseCsv,
  parsePriceCell,
  parsePriceTable,
  parseTransitTable,
  parseZoningTable,
  rateCardFromCsv,
  rateCardToCsv,
  type RateCardCsvInput,
} from "../../../app/core/costing/rate-card-csv";
import { groundCard, postalCard } from "../fixtures";

const PRICES = [
  "up_to_grams,zone1,zone2,zone3",
  "500,8.95,9.40,10.25",
  "1000,9.85,10.60,11.90",
  "2000,11.20,12.35,14.10",
  "5000,14.60,16.90,19.75",
].join("\n");

const ZONING_KM = ["up_to_km,zone", "80,zone1", "400,zone2", "2000,zone3"].join("\n");
const TRANSIT = ["zone,min_days,max_days", "1,1,2", "2,2,3", "3,3,5"].join("\n");

function input(over: Partial<RateCardCsvInput> = {}): RateCardCsvInput {
  return {
    id: "metro-ground",
    carrier: "Metro Parcel",
    service: "Ground",
    currency: "USD",
    destinationCountries: ["US"],
    originNodeIds: null,
    zoningBy: "distance",
    zoningText: ZONING_KM,
    pricesText: PRICES,
    transitText: TRANSIT,
    dimDivisor: 5000,
    extraPerKgMinor: 150,
    surcharges: [{ code: "FUEL_PERCENT", args: { percent: 12 } }],
    ...over,
  };
}

describe("parseCsv (RFC 4180)", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks, CRLF and a BOM", () => {
    const text = '\uFEFFname,note\r\n"Metro, Inc.","say ""hi"""\r\nplain,"two\r\nlines"\r\n';
    const doc = parseCsv(text);
    expect(doc.errors).toEqual([]);
    expect(doc.delimiter).toBe(",");
    expect(doc.records).toEqual([
      { line: 1, cells: ["name", "note"] },
      { line: 2, cells: ["Metro, Inc.", 'say "hi"'] },
      { line: 3, cells: ["plain", "two\r\nlines"] },
    ]);
  });

  it("keeps counting lines after a quoted line break, and keeps empty fields", () => {
    const doc = parseCsv('a,b\n"x\ny",\n,z');
    expect(doc.records).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["x\ny", ""] },
      { line: 4, cells: ["", "z"] },
    ]);
  });

  it("detects tabs (pasted from a spreadsheet) and semicolons (European exports)", () => {
    expect(parseCsv("up_to_grams\tzone1\n500\t8.95").records[1].cells).toEqual(["500", "8.95"]);
    const semi = parseCsv("up_to_grams;zone1\n500;8,95");
    expect(semi.delimiter).toBe(";");
    expect(semi.records[1].cells).toEqual(["500", "8,95"]);
  });

  it("reports a quote that is never closed, and text after a closing quote, with their position", () => {
    expect(parseCsv('a,b\n1,"open\n2,3').errors).toEqual([
      { line: 2, column: 2, message: 'a quoted value is never closed (missing ")' },
    ]);
    const trailing = parseCsv('a,b\n"x"y,2');
    expect(trailing.errors).toEqual([{ line: 2, column: 1, message: 'unexpected text "y" after a closing quote' }]);
  });

  it("reads back any table written with RFC 4180 quoting", () => {
    const cellArb = fc.string({ unit: fc.constantFrom("a", "1", " ", ",", '"', "\n", "\r\n", ";", "é", ".") });
    fc.assert(
      fc.property(fc.array(fc.array(cellArb, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const width = rows[0].length;
        const table = rows.map((r) => [...r, ...Array(width).fill("")].slice(0, width));
        const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
        const text = table.map((r) => r.map(quote).join(",")).join("\r\n");
        const doc = parseCsv(text, ",");
        expect(doc.errors).toEqual([]);
        expect(doc.records.map((r) => r.cells)).toEqual(table);
      }),
      { numRuns: 300 },
    );
  });
});

describe("prices", () => {
  it("converts decimals in the shop currency to minor units exactly", () => {
    expect(parsePriceCell("8.95", "USD")).toEqual({ ok: true, minor: 895 });
    expect(parsePriceCell("$1,234.5", "USD")).toEqual({ ok: true, minor: 123450 });
    expect(parsePriceCell("0.29", "USD")).toEqual({ ok: true, minor: 29 }); // 0.29 * 100 is 28.999… in floats
    expect(parsePriceCell("8,95", "EUR", true)).toEqual({ ok: true, minor: 895 });
    expect(parsePriceCell("1.234,50", "EUR", true)).toEqual({ ok: true, minor: 123450 });
    expect(parsePriceCell("1200", "JPY")).toEqual({ ok: true, minor: 1200 });
    expect(parsePriceCell("-", "USD")).toEqual({ ok: true, minor: null });
    expect(parsePriceCell("", "USD")).toEqual({ ok: true, minor: null });
  });

  it("refuses what is not a price, and decimals the currency does not have", () => {
    expect(parsePriceCell("9.4o", "USD")).toEqual({ ok: false, message: '"9.4o" is not a price (write it like 8.95)' });
    expect(parsePriceCell("8.955", "USD")).toMatchObject({ ok: false, message: expect.stringContaining("more than 2 decimals") });
    expect(parsePriceCell("12.5", "JPY")).toMatchObject({ ok: false, message: expect.stringContaining("JPY") });
    expect(parsePriceCell("-3", "USD")).toMatchObject({ ok: false, message: expect.stringContaining("negative") });
  });
});

describe("a good table becomes a rate card the engine prices with", () => {
  it("builds the card, and freight follows the table", () => {
    const result = rateCardFromCsv(input());
    expect(result.issues).toEqual([]);
    expect(result.preview.warnings).toEqual([]);
    const card = rateCardSchema.parse(result.card);
    expect(card.weightBands).toEqual([
      { upToGrams: 500, pricesMinor: { "1": 895, "2": 940, "3": 1025 } },
      { upToGrams: 1000, pricesMinor: { "1": 985, "2": 1060, "3": 1190 } },
      { upToGrams: 2000, pricesMinor: { "1": 1120, "2": 1235, "3": 1410 } },
      { upToGrams: 5000, pricesMinor: { "1": 1460, "2": 1690, "3": 1975 } },
    ]);
    expect(card.zoning).toEqual({
      by: "distance",
      bands: [
        { upToM: 80_000, zone: "1" },
        { upToM: 400_000, zone: "2" },
        { upToM: 2_000_000, zone: "3" },
      ],
    });
    expect(card.zones).toEqual([
      { zone: "1", transitDaysMin: 1, transitDaysMax: 2 },
      { zone: "2", transitDaysMin: 2, transitDaysMax: 3 },
      { zone: "3", transitDaysMin: 3, transitDaysMax: 5 },
    ]);
    expect(card.surcharges).toEqual([{ code: "FUEL_PERCENT", args: { percent: 12 } }]);
    expect(freightMinor(card, "2", 501)).toBe(1060);
    expect(freightMinor(card, "3", 5000)).toBe(1975);
    expect(freightMinor(card, "3", 6200)).toBe(1975 + 2 * 150); // 2 started kg over the last row
  });

  it("converts pounds with the exact factor, rounding limits down to whole grams", () => {
    expect(limitToGrams(1, "lb")).toBe(453); // 453.59237 g: a 453 g parcel is within 1 lb, 454 g is not
    expect(limitToGrams(0.5, "kg")).toBe(500);
    expect(limitToGrams(8, "oz")).toBe(226);
    const lb = ["max_lb,Zone 2,Zone 5", "1,7.50,9.10", "2,8.25,10.40", "5,10.90,14.80", "70,38.00,61.25"].join("\n");
    const result = rateCardFromCsv(
      input({
        pricesText: lb,
        zoningText: ["up_to_miles,zone", "150,2", "1000,5"].join("\n"),
        transitText: ["zone,min_days,max_days", "2,1,2", "5,3,5"].join("\n"),
      }),
    );
    expect(result.issues).toEqual([]);
    expect(result.preview.prices?.unit).toBe("lb");
    expect(result.card?.weightBands.map((b) => b.upToGrams)).toEqual([453, 907, 2267, 31751]);
    expect(result.card?.weightBands[0].pricesMinor).toEqual({ "2": 750, "5": 910 });
    expect(result.card?.zoning).toEqual({
      by: "distance",
      bands: [
        { upToM: 241_402, zone: "2" },
        { upToM: 1_609_344, zone: "5" },
      ],
    });
  });

  it("zones by ZIP prefix, keeping leading zeros, with * for every other code", () => {
    const result = rateCardFromCsv(
      input({
        zoningBy: "postalPrefix",
        zoningText: ["prefix,zone", "112,1", "100,1", "07,2", "*,3"].join("\n"),
      }),
    );
    expect(result.issues).toEqual([]);
    const card = rateCardSchema.parse(result.card);
    if (card.zoning.by !== "postalPrefix") throw new Error("expected postal zoning");
    expect(card.zoning.otherwise).toBe("3");
    expect(zoneByPostalCode(card.zoning.prefixes, card.zoning.otherwise, "07302").zone).toBe("2");
    expect(zoneByPostalCode(card.zoning.prefixes, card.zoning.otherwise, "11211").zone).toBe("1");
    expect(zoneByPostalCode(card.zoning.prefixes, card.zoning.otherwise, "60606").zone).toBe("3");
  });

  it("round-trips the fixtures' cards through CSV unchanged", () => {
    for (const original of [rateCardSchema.parse(groundCard()), rateCardSchema.parse(postalCard())]) {
      const csv = rateCardToCsv(original);
      const back = rateCardFromCsv({
        id: original.id,
        carrier: original.carrier,
        service: original.service,
        currency: original.currency,
        destinationCountries: original.destinationCountries,
        originNodeIds: original.originNodeIds,
        zoningBy: csv.zoningBy,
        zoningText: csv.zoningText,
        pricesText: csv.pricesText,
        transitText: csv.transitText,
        dimDivisor: original.dimDivisor,
        extraPerKgMinor: original.extraPerKgMinor,
        surcharges: original.surcharges,
      });
      expect(back.issues).toEqual([]);
      expect(rateCardSchema.parse(back.card)).toEqual(original);
    }
  });
});

describe("problems are reported on their row and column", () => {
  it("a bad number at row 7, column 3", () => {
    const text = [
      "up_to_grams,zone1,zone2,zone3",
      "250,7.10,7.60,8.30",
      "500,8.95,9.40,10.25",
      "1000,9.85,10.60,11.90",
      "2000,11.20,12.35,14.10",
      "3000,12.40,13.80,15.95",
      "5000,14.60,16.9O,19.75",
    ].join("\n");
    const result = rateCardFromCsv(input({ pricesText: text }));
    expect(result.card).toBeNull();
    expect(result.issues).toEqual([
      { table: "prices", row: 7, column: 3, columnName: "zone2", message: '"16.9O" is not a price (write it like 8.95)' },
    ]);
    expect(formatIssue(result.issues[0])).toBe('Row 7, column 3 (zone2): "16.9O" is not a price (write it like 8.95)');
    // The preview still shows every good row, so the merchant sees the table around the mistake.
    expect(result.preview.prices?.bands).toHaveLength(6);
  });

  it("weight rows that do not go up", () => {
    const text = ["max_kg,zone1", "0.5,8.95", "2,11.20", "1,9.85", "2,12.00", "5,14.60"].join("\n");
    const { issues, card } = rateCardFromCsv(input({ pricesText: text, zoningText: "up_to_km,zone\n80,1", transitText: "zone,min_days,max_days\n1,1,2" }));
    expect(card).toBeNull();
    expect(issues).toEqual([
      {
        table: "prices",
        row: 4,
        column: 1,
        columnName: "max_kg",
        message: "weight limits must go up row by row: 1 kg is not above 2 kg in row 3",
      },
      {
        table: "prices",
        row: 5,
        column: 1,
        columnName: "max_kg",
        message: "weight limits must go up row by row: 2 kg is not above 2 kg in row 3",
      },
    ]);
  });

  it("a zone the zoning table uses but the price table has no column for", () => {
    const prices = ["up_to_grams,zone1,zone2", "500,8.95,9.40", "1000,9.85,10.60"].join("\n");
    const { issues, card } = rateCardFromCsv(input({ pricesText: prices }));
    expect(card).toBeNull();
    expect(issues).toEqual([
      {
        table: "zoning",
        row: 4,
        column: 2,
        columnName: "zone",
        message: 'zone "3" has no column in the price table (its columns: 1, 2)',
      },
    ]);
  });

  it("a header without zone columns, a missing weight header, duplicate zones, short and long rows", () => {
    expect(parsePriceTable("up_to_grams\n500", "USD").issues.map(formatIssue)).toEqual([
      "Row 1: the header names no zone columns after the weight column (e.g. up_to_grams,zone1,zone2)",
    ]);
    expect(parsePriceTable("weight,zone1\n500,8.95", "USD").issues.map(formatIssue)).toEqual([
      "Row 1, column 1 (weight): the first column must be the weight limit of each row: up_to_grams, max_kg, max_lb or max_oz",
    ]);
    const messy = parsePriceTable(["up_to_grams,zone1,Zone 1,zone2", "500,1,2", "1000,1,2,3,4", "", "2000,1,2,3,,"].join("\n"), "USD");
    expect(messy.issues.map(formatIssue)).toEqual([
      'Row 1, column 3 (Zone 1): zone "1" already has column 2',
      'Row 2, column 4 (zone2): missing: the row ends before this column (leave "-" for a zone not offered)',
      'Row 3, column 5: the header has 4 columns; this value has no column ("4")',
    ]);
  });

  it("transit days: a zone without a row, and a maximum below the minimum", () => {
    const noZone3 = rateCardFromCsv(input({ transitText: "zone,min_days,max_days\n1,1,2\n2,2,3" }));
    expect(noZone3.issues.map(formatIssue)).toEqual(['Zone "3" (zoning row 4) has no transit days: add a row "3,min,max"']);
    expect(parseTransitTable("zone,min_days,max_days\n1,3,2\n2,two,3").issues.map(formatIssue)).toEqual([
      "Row 2, column 3 (max_days): the most days (2) is below the fewest (3)",
      'Row 3, column 2 (min_days): "two" is not a whole number of days',
    ]);
  });

  it("zoning: distances that do not go up, duplicate prefixes, and a missing zone", () => {
    expect(parseZoningTable("up_to_km,zone\n80,1\n40,2", "distance").issues.map(formatIssue)).toEqual([
      "Row 3, column 1 (up_to_km): distance limits must go up row by row: 40 km is not above 80 km in row 2",
    ]);
    expect(parseZoningTable("prefix,zone\n112,1\n112,2\n07,", "postalPrefix").issues.map(formatIssue)).toEqual([
      "Row 3, column 1 (prefix): prefix 112 is already given in row 2",
      "Row 4, column 2 (zone): no zone given",
    ]);
  });

  it("warns about allowed but suspicious tables", () => {
    const prices = ["up_to_grams,zone1,zone2,zone3,zone9", "500,8.95,-,10.25,20", "1000,9.85,10.60,11.90,22"].join("\n");
    const result = rateCardFromCsv(input({ pricesText: prices, zoningBy: "postalPrefix", zoningText: "prefix,zone\n1,1\n2,2\n3,3" }));
    expect(result.issues).toEqual([]);
    expect(result.preview.warnings).toEqual([
      "No zoning row leads to zone 9: those price columns are never used.",
      '1 row has zones marked not offered ("-" or blank): parcels in those cells get no quote from this card.',
      'The zoning table has no "*" row: postal codes that match no prefix get no quote from this card.',
    ]);
    expect(result.card?.weightBands[0].pricesMinor).toEqual({ "1": 895, "3": 1025, "9": 2000 });
  });

  it("an empty table is named", () => {
    const { issues } = rateCardFromCsv(input({ pricesText: "  \n", transitText: "" }));
    expect(issues.map(formatIssue)).toEqual(["The price table is empty", "The transit-days table is empty"]);
  });
});

describe("writing a card back as CSV", () => {
  it("writes distance bands in the unit they were given in", () => {
    const miles = rateCardFromCsv(input({ zoningText: "up_to_miles,zone\n50,1\n150,2\n1000,3" }));
    expect(rateCardToCsv(miles.card!).zoningText).toBe("up_to_miles,zone\n50,1\n150,2\n1000,3");
    const km = rateCardFromCsv(input());
    expect(rateCardToCsv(km.card!).zoningText).toBe("up_to_km,zone\n80,1\n400,2\n2000,3");
    expect(rateCardToCsv(km.card!).transitText).toBe("zone,min_days,max_days\n1,1,2\n2,2,3\n3,3,5");
  });
});
