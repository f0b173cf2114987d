// A carrier's rate card as the merchant has it: a zone × weight price table (CSV pasted from a
// spreadsheet or a carrier's PDF export), a small zoning table (distance bands or ZIP prefixes)
// and transit days per zone. Parsed here, purely, into a RateCardInput, with every problem
// reported against the row and column the merchant can find it in, before anything is saved.
//
// Rows are numbered as a spreadsheet or text editor shows them: the header is row 1 and blank
// lines count. Columns are numbered from 1.
import { formatAmount, parseMoney } from "../money/money";
import { normalisePostalCode } from "../geo/postal";
import { rateCardSchema, type RateCardInput } from "./rateCard";
import type { RuleRef } from "../rules/registry";

// ---------------------------------------------------------------------------------------------
// RFC 4180 CSV

export type CsvDelimiter = "," | ";" | "\t";

export interface CsvRecord {
  /** Line the record starts on (1-based). */
  line: number;
  cells: string[];
}

export interface CsvSyntaxError {
  line: number;
  column: number;
  message: string;
}

export interface CsvDocument {
  delimiter: CsvDelimiter;
  records: CsvRecord[];
  errors: CsvSyntaxError[];
}

/**
 * The delimiter of the first non-empty line outside quotes: a tab when the text was pasted
 * from a spreadsheet, a semicolon for European exports (where the comma is the decimal mark),
 * otherwise a comma.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  let seen = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) {
      if (seen) break;
    } else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) {
      counts[ch]++;
      seen = true;
    } else if (ch.trim() !== "") seen = true;
  }
  if (counts["\t"] > 0) return "\t";
  if (counts[";"] > counts[","]) return ";";
  return ",";
}

/**
 * RFC 4180: records end at CRLF, LF or a lone CR; a field may be quoted, a quoted field may
 * hold delimiters, line breaks and doubled quotes (""). A byte-order mark is dropped. A quote
 * that is never closed, or text after a closing quote, is an error with its position; the
 * parser then carries on so that every problem is reported at once.
 */
export function parseCsv(input: string, delimiter: CsvDelimiter = detectDelimiter(input)): CsvDocument {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    cells.push(field);
    records.push({ line: recordLine, cells });
    cells = [];
    field = "";
  };
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field.trim() === "") {
      // A quoted field (spaces before the opening quote are tolerated and dropped).
      const openLine = line;
      const openColumn = cells.length + 1;
      field = "";
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (c === "\r" || c === "\n") {
          line++;
          if (c === "\r" && text[i + 1] === "\n") {
            field += "\r";
            i++;
          }
        }
        field += text[i];
        i++;
      }
      if (!closed) {
        errors.push({ line: openLine, column: openColumn, message: "a quoted value is never closed (missing \")" });
        break;
      }
      // Only spaces may follow the closing quote before the delimiter or the end of the line.
      let trailing = "";
      while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") trailing += text[i++];
      if (trailing.trim() !== "") {
        errors.push({
          line,
          column: cells.length + 1,
          message: `unexpected text ${JSON.stringify(trailing.trim())} after a closing quote`,
        });
        field += trailing;
      }
      continue;
    }
    if (ch === delimiter) {
      cells.push(field);
      field = "";
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    i++;
  }
  // The last record, unless the text ended with a line break.
  if (field !== "" || cells.length > 0) endRecord();
  return { delimiter, records, errors };
}

const isBlank = (record: CsvRecord) => record.cells.every((c) => c.trim() === "");

// ---------------------------------------------------------------------------------------------
// Problems, as the admin shows them

export type CsvTable = "prices" | "zoning" | "transit";

export interface CsvIssue {
  table: CsvTable;
  /** Spreadsheet row (header = 1); null for a problem with the table as a whole. */
  row: number | null;
  /** 1-based column; null when the whole row is meant. */
  column: number | null;
  /** The column's header, when there is one. */
  columnName: string | null;
  message: string;
}

/** "Row 7, column 3 (zone2): ..." */
export function formatIssue(issue: CsvIssue): string {
  const where: string[] = [];
  if (issue.row !== null) where.push(`row ${issue.row}`);
  if (issue.column !== null) where.push(`column ${issue.column}${issue.columnName ? ` (${issue.columnName})` : ""}`);
  const text = where.length ? `${where.join(", ")}: ${issue.message}` : issue.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

class Issues {
  readonly list: CsvIssue[] = [];
  constructor(private readonly table: CsvTable) {}
  add(row: number | null, column: number | null, columnName: string | null, message: string) {
    this.list.push({ table: this.table, row, column, columnName, message });
  }
}

function headerAndRows(table: CsvTable, text: string, issues: Issues): { header: CsvRecord; rows: CsvRecord[] } | null {
  const doc = parseCsv(text);
  for (const e of doc.errors) issues.add(e.line, e.column, null, e.message);
  const records = doc.records.filter((r) => !isBlank(r));
  if (records.length === 0) {
    issues.add(null, null, null, `the ${TABLE_NAMES[table]} is empty`);
    return null;
  }
  const [header, ...rows] = records;
  return { header: { line: header.line, cells: header.cells.map((c) => c.trim()) }, rows };
}

const TABLE_NAMES: Record<CsvTable, string> = {
  prices: "price table",
  zoning: "zoning table",
  transit: "transit-days table",
};

/** Cell `i` of a row, trimmed; rows from spreadsheets may carry trailing empty cells, or miss them. */
const cell = (row: CsvRecord, i: number) => (row.cells[i] ?? "").trim();

/** Cells beyond the header's columns that hold something. */
function extraCells(row: CsvRecord, width: number, issues: Issues) {
  for (let i = width; i < row.cells.length; i++) {
    if (row.cells[i].trim() !== "") {
      issues.add(row.line, i + 1, null, `the header has ${width} columns; this value has no column (${JSON.stringify(row.cells[i].trim())})`);
      return;
    }
  }
}

/** Header text as a key: "Max. weight (lb)" → "max_weight_lb". */
function headerKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** "zone1", "Zone 2", "ZONE_A", "3" → "1", "2", "A", "3": the zone code used in every table. */
export function normaliseZone(text: string): string {
  const t = text.trim().replace(/^zone[\s_-]*/i, "").trim();
  return t === "" ? text.trim() : t;
}

// ---------------------------------------------------------------------------------------------
// Numbers and money

const DECIMAL = /^\d+(?:\.\d+)?$|^\.\d+$/;

/** A non-negative decimal ("1", "1.5", ".5", and "1,5" when comma is not the delimiter); null if not one. */
function parseDecimal(raw: string, allowDecimalComma: boolean): number | null {
  let t = raw.trim().replace(/\s+/g, "");
  if (allowDecimalComma && /^\d*,\d+$/.test(t)) t = t.replace(",", ".");
  if (!DECIMAL.test(t)) return null;
  return Number(t);
}

const NOT_OFFERED = new Set(["", "-", "–", "—", "n/a", "na", "x"]);

type PriceCell = { ok: true; minor: number | null } | { ok: false; message: string };

/**
 * A price as printed in the shop currency ("8.95", "$8.95", "1,234.50", "8,95" in a
 * semicolon file) to integer minor units without floating-point error. Blank, "-" or "n/a":
 * this zone is not offered at this weight.
 */
export function parsePriceCell(raw: string, currency: string, allowDecimalComma = false): PriceCell {
  if (NOT_OFFERED.has(raw.trim().toLowerCase())) return { ok: true, minor: null };
  return parseMoney(raw, currency, { decimalComma: allowDecimalComma });
}

// ---------------------------------------------------------------------------------------------
// The price table: weight limit × zone

export type WeightUnit = "g" | "kg" | "lb" | "oz";

/** Grams per unit. 1 lb = 453.59237 g and 1 oz = 28.349523125 g exactly (international avoirdupois). */
export const GRAMS_PER: Record<WeightUnit, number> = { g: 1, kg: 1000, lb: 453.59237, oz: 28.349523125 };

const WEIGHT_HEADER = /^(?:up_?to|max|maximum|weight|max_weight|up_to_weight|weight_up_to)_?(g|grams?|kg|kgs|kilos?|kilograms?|lb|lbs|pounds?|oz|ounces?)$/;

function weightUnitOf(header: string): WeightUnit | null {
  const m = WEIGHT_HEADER.exec(headerKey(header));
  if (!m) return null;
  const u = m[1];
  if (u.startsWith("g")) return "g";
  if (u.startsWith("k")) return "kg";
  if (u.startsWith("l") || u.startsWith("p")) return "lb";
  return "oz";
}

/**
 * A weight limit in grams. Billable weights are whole grams, so a limit of 1 lb (453.59 g)
 * admits every parcel up to 453 g: rounding down is exact for whole-gram parcels.
 */
export function limitToGrams(value: number, unit: WeightUnit): number {
  return Math.floor(value * GRAMS_PER[unit] + 1e-9);
}

export interface PriceBand {
  row: number;
  /** The limit as written, in the table's unit. */
  upTo: number;
  upToGrams: number;
  /** Per zone; null: the zone is not offered at this weight. */
  pricesMinor: Record<string, number | null>;
}

export interface PriceTable {
  unit: WeightUnit;
  zones: string[];
  bands: PriceBand[];
}

export interface TableResult<T> {
  table: T | null;
  issues: CsvIssue[];
}

export function parsePriceTable(text: string, currency: string): TableResult<PriceTable> {
  const issues = new Issues("prices");
  const parsed = headerAndRows("prices", text, issues);
  if (!parsed) return { table: null, issues: issues.list };
  const { header, rows } = parsed;
  const allowDecimalComma = detectDelimiter(text) !== ",";

  const unit = weightUnitOf(header.cells[0] ?? "");
  if (!unit) {
    issues.add(
      header.line,
      1,
      header.cells[0] || null,
      "the first column must be the weight limit of each row: up_to_grams, max_kg, max_lb or max_oz",
    );
  }
  // Trailing empty header cells (a spreadsheet's unused columns) are not zones.
  let width = header.cells.length;
  while (width > 1 && header.cells[width - 1] === "") width--;
  const zones: string[] = [];
  const seen = new Map<string, number>();
  for (let c = 1; c < width; c++) {
    const raw = header.cells[c];
    const zone = normaliseZone(raw);
    if (zone === "") {
      issues.add(header.line, c + 1, null, "this column has no zone name in the header");
    } else if (seen.has(zone)) {
      issues.add(header.line, c + 1, raw, `zone "${zone}" already has column ${seen.get(zone)! + 1}`);
    } else {
      seen.set(zone, c);
    }
    zones.push(zone);
  }
  if (width < 2) issues.add(header.line, null, null, "the header names no zone columns after the weight column (e.g. up_to_grams,zone1,zone2)");
  if (rows.length === 0) issues.add(null, null, null, "the price table has a header but no weight rows");

  const bands: PriceBand[] = [];
  let previous: PriceBand | null = null;
  for (const row of rows) {
    extraCells(row, width, issues);
    const rawWeight = cell(row, 0);
    const value = parseDecimal(rawWeight, allowDecimalComma);
    let upToGrams: number | null = null;
    if (value === null || value <= 0) {
      issues.add(row.line, 1, header.cells[0] || null, `${JSON.stringify(rawWeight)} is not a weight above zero`);
    } else if (unit) {
      upToGrams = limitToGrams(value, unit);
      if (upToGrams < 1) {
        issues.add(row.line, 1, header.cells[0] || null, `${rawWeight} ${unit} is less than one gram`);
        upToGrams = null;
      } else if (previous && upToGrams <= previous.upToGrams) {
        issues.add(
          row.line,
          1,
          header.cells[0] || null,
          `weight limits must go up row by row: ${rawWeight} ${unit} is not above ${previous.upTo} ${unit} in row ${previous.row}`,
        );
      }
    }
    const pricesMinor: Record<string, number | null> = {};
    for (let c = 1; c < width; c++) {
      const zone = zones[c - 1];
      if (row.cells.length <= c) {
        issues.add(row.line, c + 1, header.cells[c] || null, `missing: the row ends before this column (leave "-" for a zone not offered)`);
        continue;
      }
      const price = parsePriceCell(row.cells[c], currency, allowDecimalComma);
      if (!price.ok) issues.add(row.line, c + 1, header.cells[c] || null, price.message);
      else if (zone !== "") pricesMinor[zone] = price.minor;
    }
    if (value !== null && value > 0 && upToGrams !== null) {
      const band: PriceBand = { row: row.line, upTo: value, upToGrams, pricesMinor };
      bands.push(band);
      if (!previous || upToGrams > previous.upToGrams) previous = band;
    }
  }
  return {
    table: unit && zones.length > 0 ? { unit, zones: zones.filter((z) => z !== ""), bands } : null,
    issues: issues.list,
  };
}

// ---------------------------------------------------------------------------------------------
// The zoning table: distance bands or postal-code prefixes → zone

export type ZoningBy = "distance" | "postalPrefix";
export type DistanceUnit = "km" | "mi" | "m";
export const METRES_PER: Record<DistanceUnit, number> = { m: 1, km: 1000, mi: 1609.344 };

const DISTANCE_HEADER = /^(?:up_?to|max|maximum|distance|max_distance|up_to_distance)_?(m|metres?|meters?|km|kms|kilometres?|kilometers?|mi|miles?)$/;

function distanceUnitOf(header: string): DistanceUnit | null {
  const m = DISTANCE_HEADER.exec(headerKey(header));
  if (!m) return null;
  const u = m[1];
  if (u.startsWith("k")) return "km";
  if (u === "mi" || u.startsWith("mile")) return "mi";
  return "m";
}

const PREFIX_HEADER = /^(?:zip_?|postal_?|postcode_?|post_code_?)?(?:prefix|code|zip|postcode)(?:_?prefix)?$/;

export interface ZoningRow {
  row: number;
  /** Distance limit as written, or the prefix. */
  key: string;
  zone: string;
}

export type ZoningTable =
  | { by: "distance"; unit: DistanceUnit; bands: { upToM: number; zone: string; row: number }[]; rows: ZoningRow[] }
  | {
      by: "postalPrefix";
      prefixes: { prefix: string; zone: string; row: number }[];
      otherwise: string | null;
      otherwiseRow: number | null;
      rows: ZoningRow[];
    };

/**
 * Distance: `up_to_km,zone` (or max_miles, up_to_m) with ascending limits.
 * Postal: `prefix,zone`, the longest matching prefix wins; a `*` row gives the zone for every
 * other postal code (without one, codes no prefix matches are not served by this card).
 */
export function parseZoningTable(text: string, by: ZoningBy): TableResult<ZoningTable> {
  const issues = new Issues("zoning");
  const parsed = headerAndRows("zoning", text, issues);
  if (!parsed) return { table: null, issues: issues.list };
  const { header, rows } = parsed;
  const zoneHeader = headerKey(header.cells[1] ?? "");
  if (zoneHeader !== "zone") {
    issues.add(header.line, 2, header.cells[1] || null, 'the second column must be "zone"');
  }
  if (rows.length === 0) issues.add(null, null, null, "the zoning table has a header but no rows");
  const zoningRows: ZoningRow[] = [];

  const zoneOf = (row: CsvRecord): string | null => {
    const zone = normaliseZone(cell(row, 1));
    if (zone === "") {
      issues.add(row.line, 2, header.cells[1] || null, "no zone given");
      return null;
    }
    return zone;
  };

  if (by === "distance") {
    const unit = distanceUnitOf(header.cells[0] ?? "");
    if (!unit) {
      issues.add(header.line, 1, header.cells[0] || null, "for distance zoning the first column must be up_to_km or up_to_miles");
    }
    const bands: { upToM: number; zone: string; row: number }[] = [];
    let previous: { upToM: number; raw: string; row: number } | null = null;
    for (const row of rows) {
      extraCells(row, 2, issues);
      const raw = cell(row, 0);
      const value = parseDecimal(raw, detectDelimiter(text) !== ",");
      const zone = zoneOf(row);
      if (value === null || value <= 0) {
        issues.add(row.line, 1, header.cells[0] || null, `${JSON.stringify(raw)} is not a distance above zero`);
        continue;
      }
      if (!unit) continue;
      const upToM = Math.round(value * METRES_PER[unit]);
      if (previous && upToM <= previous.upToM) {
        issues.add(
          row.line,
          1,
          header.cells[0] || null,
          `distance limits must go up row by row: ${raw} ${unit} is not above ${previous.raw} ${unit} in row ${previous.row}`,
        );
        continue;
      }
      previous = { upToM, raw, row: row.line };
      if (zone) {
        bands.push({ upToM, zone, row: row.line });
        zoningRows.push({ row: row.line, key: `${raw} ${unit}`, zone });
      }
    }
    return { table: unit ? { by, unit, bands, rows: zoningRows } : null, issues: issues.list };
  }

  if (!PREFIX_HEADER.test(headerKey(header.cells[0] ?? ""))) {
    issues.add(header.line, 1, header.cells[0] || null, 'for postal-code zoning the first column must be "prefix"');
  }
  const prefixes: { prefix: string; zone: string; row: number }[] = [];
  const seen = new Map<string, number>();
  let otherwise: string | null = null;
  let otherwiseRow: number | null = null;
  for (const row of rows) {
    extraCells(row, 2, issues);
    const raw = cell(row, 0);
    const zone = zoneOf(row);
    if (raw === "*") {
      if (otherwiseRow !== null) issues.add(row.line, 1, header.cells[0] || null, `the "*" row is already given in row ${otherwiseRow}`);
      else if (zone) {
        otherwise = zone;
        otherwiseRow = row.line;
        zoningRows.push({ row: row.line, key: "every other code", zone });
      }
      continue;
    }
    const prefix = normalisePostalCode(raw);
    if (prefix === "") {
      issues.add(row.line, 1, header.cells[0] || null, "no postal-code prefix given (use * for every other code)");
      continue;
    }
    if (seen.has(prefix)) {
      issues.add(row.line, 1, header.cells[0] || null, `prefix ${prefix} is already given in row ${seen.get(prefix)}`);
      continue;
    }
    seen.set(prefix, row.line);
    if (zone) {
      prefixes.push({ prefix, zone, row: row.line });
      zoningRows.push({ row: row.line, key: prefix, zone });
    }
  }
  return { table: { by, prefixes, otherwise, otherwiseRow, rows: zoningRows }, issues: issues.list };
}

// ---------------------------------------------------------------------------------------------
// Transit days per zone

export interface TransitRow {
  row: number;
  zone: string;
  transitDaysMin: number;
  transitDaysMax: number;
}

const TRANSIT_MIN = /^(?:min|min_days|days_min|transit_min|transit_days_min|min_transit_days|minimum|minimum_days)$/;
const TRANSIT_MAX = /^(?:max|max_days|days_max|transit_max|transit_days_max|max_transit_days|maximum|maximum_days)$/;

/** `zone,min_days,max_days`: business days in transit after the ship day. */
export function parseTransitTable(text: string): TableResult<TransitRow[]> {
  const issues = new Issues("transit");
  const parsed = headerAndRows("transit", text, issues);
  if (!parsed) return { table: null, issues: issues.list };
  const { header, rows } = parsed;
  const keys = header.cells.map(headerKey);
  if (keys[0] !== "zone") issues.add(header.line, 1, header.cells[0] || null, 'the first column must be "zone"');
  if (!TRANSIT_MIN.test(keys[1] ?? "")) issues.add(header.line, 2, header.cells[1] || null, 'the second column must be "min_days"');
  if (!TRANSIT_MAX.test(keys[2] ?? "")) issues.add(header.line, 3, header.cells[2] || null, 'the third column must be "max_days"');
  if (rows.length === 0) issues.add(null, null, null, "the transit-days table has a header but no rows");
  const out: TransitRow[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    extraCells(row, 3, issues);
    const zone = normaliseZone(cell(row, 0));
    const days = [1, 2].map((c) => {
      const raw = cell(row, c);
      if (!/^\d+$/.test(raw)) {
        issues.add(row.line, c + 1, header.cells[c] || null, `${JSON.stringify(raw)} is not a whole number of days`);
        return null;
      }
      return Number(raw);
    });
    if (zone === "") {
      issues.add(row.line, 1, header.cells[0] || null, "no zone given");
      continue;
    }
    if (seen.has(zone)) {
      issues.add(row.line, 1, header.cells[0] || null, `zone "${zone}" is already given in row ${seen.get(zone)}`);
      continue;
    }
    seen.set(zone, row.line);
    const [min, max] = days;
    if (min === null || max === null) continue;
    if (max < min) {
      issues.add(row.line, 3, header.cells[2] || null, `the most days (${max}) is below the fewest (${min})`);
      continue;
    }
    out.push({ row: row.line, zone, transitDaysMin: min, transitDaysMax: max });
  }
  return { table: out, issues: issues.list };
}

// ---------------------------------------------------------------------------------------------
// The three tables and the card's other settings → one RateCardInput

export interface RateCardCsvInput {
  id: string;
  carrier: string;
  service: string;
  currency: string;
  destinationCountries: string[];
  /** null: any node may ship with it. */
  originNodeIds: string[] | null;
  zoningBy: ZoningBy;
  zoningText: string;
  pricesText: string;
  transitText: string;
  /** cm³ per kg; null: actual weight only. */
  dimDivisor: number | null;
  /** Per started kg above the last row; null: heavier parcels are refused. */
  extraPerKgMinor: number | null;
  surcharges: RuleRef[];
  deliversOn?: RateCardInput["deliversOn"];
  deliveryHours?: RateCardInput["deliveryHours"];
}

export interface RateCardPreview {
  prices: PriceTable | null;
  zoning: ZoningTable | null;
  transit: TransitRow[] | null;
  /** Things that are allowed but probably not meant. */
  warnings: string[];
}

export interface RateCardCsvResult {
  /** Present only when there are no issues; still validated by rateCardSchema here. */
  card: RateCardInput | null;
  issues: CsvIssue[];
  preview: RateCardPreview;
}

export function rateCardFromCsv(input: RateCardCsvInput): RateCardCsvResult {
  const prices = parsePriceTable(input.pricesText, input.currency);
  const zoning = parseZoningTable(input.zoningText, input.zoningBy);
  const transit = parseTransitTable(input.transitText);
  const issues = [...prices.issues, ...zoning.issues, ...transit.issues];
  const warnings: string[] = [];
  const preview: RateCardPreview = { prices: prices.table, zoning: zoning.table, transit: transit.table, warnings };

  const priceZones = new Set(prices.table?.zones ?? []);
  const transitZones = new Map((transit.table ?? []).map((t) => [t.zone, t]));
  const zoningTable = zoning.table;
  if (prices.table && zoningTable) {
    // Every zone the zoning can send a parcel to needs a price column and transit days.
    const reported = new Set<string>();
    for (const r of zoningTable.rows) {
      if (reported.has(r.zone)) continue;
      if (!priceZones.has(r.zone)) {
        reported.add(r.zone);
        issues.push({
          table: "zoning",
          row: r.row,
          column: 2,
          columnName: "zone",
          message: `zone "${r.zone}" has no column in the price table (its columns: ${[...priceZones].join(", ") || "none"})`,
        });
      } else if (transit.table && !transitZones.has(r.zone)) {
        reported.add(r.zone);
        issues.push({
          table: "transit",
          row: null,
          column: null,
          columnName: null,
          message: `zone "${r.zone}" (zoning row ${r.row}) has no transit days: add a row "${r.zone},min,max"`,
        });
      }
    }
    const reachable = new Set(zoningTable.rows.map((r) => r.zone));
    const unreachable = [...priceZones].filter((z) => !reachable.has(z));
    if (unreachable.length > 0) {
      warnings.push(`No zoning row leads to zone${unreachable.length === 1 ? "" : "s"} ${unreachable.join(", ")}: those price columns are never used.`);
    }
    for (const zone of priceZones) {
      if (prices.table.bands.length > 0 && prices.table.bands.every((b) => b.pricesMinor[zone] == null)) {
        warnings.push(`Zone ${zone} has no price in any row: parcels to it are never priced.`);
      }
    }
    const gaps = prices.table.bands.filter((b) => Object.values(b.pricesMinor).some((p) => p === null)).length;
    if (gaps > 0) warnings.push(`${gaps} row${gaps === 1 ? " has" : "s have"} zones marked not offered ("-" or blank): parcels in those cells get no quote from this card.`);
    if (zoningTable.by === "postalPrefix" && zoningTable.otherwise === null) {
      warnings.push('The zoning table has no "*" row: postal codes that match no prefix get no quote from this card.');
    }
  }

  if (issues.length > 0 || !prices.table || !zoningTable || !transit.table) {
    return { card: null, issues, preview };
  }

  const usedZones = new Set(zoningTable.rows.map((r) => r.zone));
  const card: RateCardInput = {
    id: input.id,
    carrier: input.carrier,
    service: input.service,
    currency: input.currency,
    originNodeIds: input.originNodeIds,
    destinationCountries: input.destinationCountries,
    zoning:
      zoningTable.by === "distance"
        ? { by: "distance", bands: zoningTable.bands.map(({ upToM, zone }) => ({ upToM, zone })) }
        : {
            by: "postalPrefix",
            prefixes: zoningTable.prefixes.map(({ prefix, zone }) => ({ prefix, zone })),
            otherwise: zoningTable.otherwise,
          },
    // Transit days for the zones in use (and any others given, harmlessly).
    zones: transit.table
      .filter((t) => usedZones.has(t.zone) || priceZones.has(t.zone))
      .map(({ zone, transitDaysMin, transitDaysMax }) => ({ zone, transitDaysMin, transitDaysMax })),
    weightBands: prices.table.bands.map((b) => ({
      upToGrams: b.upToGrams,
      pricesMinor: Object.fromEntries(
        Object.entries(b.pricesMinor).filter((e): e is [string, number] => e[1] !== null),
      ),
    })),
    extraPerKgMinor: input.extraPerKgMinor,
    dimDivisor: input.dimDivisor,
    surcharges: input.surcharges,
    ...(input.deliversOn ? { deliversOn: input.deliversOn } : {}),
    ...(input.deliveryHours ? { deliveryHours: input.deliveryHours } : {}),
  };
  // The card's own schema has the last word (the tables above already cover what it checks).
  const checked = rateCardSchema.safeParse(card);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      issues.push({ table: "prices", row: null, column: null, columnName: null, message: `${issue.path.join(".")}: ${issue.message}` });
    }
    return { card: null, issues, preview };
  }
  return { card, issues, preview };
}

/** A stored card back to the three tables, to replace it with edits (grams, decimals, km). */
export function rateCardToCsv(card: RateCardInput): { pricesText: string; zoningText: string; transitText: string; zoningBy: ZoningBy } {
  const zones = [
    ...new Set([
      ...card.zones.map((z) => z.zone),
      ...card.weightBands.flatMap((b) => Object.keys(b.pricesMinor)),
    ]),
  ].filter((z) => card.weightBands.some((b) => b.pricesMinor[z] !== undefined));
  const esc = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const pricesText = [
    ["up_to_grams", ...zones.map((z) => `zone${z}`)].map(esc).join(","),
    ...card.weightBands.map((b) =>
      [String(b.upToGrams), ...zones.map((z) => (b.pricesMinor[z] === undefined ? "-" : formatAmount(b.pricesMinor[z], card.currency)))]
        .map(esc)
        .join(","),
    ),
  ].join("\n");
  const zoningText =
    card.zoning.by === "distance"
      ? distanceZoningCsv(card.zoning.bands, esc)
      : [
          "prefix,zone",
          ...card.zoning.prefixes.map((p) => `${esc(p.prefix)},${esc(p.zone)}`),
          ...(card.zoning.otherwise ? [`*,${esc(card.zoning.otherwise)}`] : []),
        ].join("\n");
  const transitText = [
    "zone,min_days,max_days",
    ...card.zones.map((z) => `${esc(z.zone)},${z.transitDaysMin},${z.transitDaysMax}`),
  ].join("\n");
  return { pricesText, zoningText, transitText, zoningBy: card.zoning.by };
}

/**
 * Distance bands in the unit they were most likely written in: whole kilometres, else miles
 * with at most two decimals that read back to the same metre, else kilometres to the metre.
 */
function distanceZoningCsv(bands: readonly { upToM: number; zone: string }[], esc: (v: string) => string): string {
  const miles = bands.map((b) => Math.round((b.upToM / METRES_PER.mi) * 100) / 100);
  const inMiles =
    !bands.every((b) => b.upToM % 1000 === 0) && bands.every((b, i) => Math.round(miles[i] * METRES_PER.mi) === b.upToM);
  return [
    inMiles ? "up_to_miles,zone" : "up_to_km,zone",
    ...bands.map((b, i) => `${inMiles ? miles[i] : Number((b.upToM / 1000).toFixed(3))},${esc(b.zone)}`),
  ].join("\n");
}
