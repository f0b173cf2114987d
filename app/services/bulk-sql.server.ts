// Many rows in one statement, whatever their number: the rows travel as ONE bound value (a JSON
// array) that the database itself unpacks (SQLite's json_each, PostgreSQL's
// json_populate_recordset). Prisma 6.19 spends ~10 µs of synchronous work per bound value, so a
// createMany or a multi-row INSERT of a 1,000-line return (14 values a row) held the event loop for
// ~150 ms. The JSON goes as bytes (UTF-8): Prisma hands every parameter to its query compiler as
// JSON, where a string full of quotes costs twice what its bytes (base64) do. Used where a change
// touches every line of a return (app/services/returns/repository.server.ts).
//
// Table and column names come from the callers' fixed lists, never from input. Dates are written as
// the driver adapters write them (SQLite: ISO 8601 with "+00:00"; PostgreSQL: timestamp(3) in UTC), so
// Prisma reads them back and compares them as its own.
import { randomBytes } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { databaseKind, databaseUrl } from "~/db.server";
import type { Tx } from "./webhooks.server";

interface Tables {
  ReturnLine: Prisma.ReturnLineUncheckedCreateInput;
  ReturnEvent: Prisma.ReturnEventUncheckedCreateInput;
}
export type BulkTable = keyof Tables;
type Column<T extends BulkTable> = keyof Tables[T] & string;

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;
const quote = (name: string) => {
  if (!IDENTIFIER.test(name)) throw new Error(`bulk-sql: ${name} is not a plain identifier`);
  return `"${name}"`;
};

function dialect(): { kind: "sqlite" | "postgresql"; table: (name: string) => string } {
  const url = databaseUrl();
  const kind = databaseKind(url);
  if (kind === "sqlite") return { kind, table: quote };
  // Prisma's ?schema= convention: its own queries name the schema, so these must too.
  const schema = new URL(url).searchParams.get("schema");
  return { kind, table: (name) => (schema ? `${quote(schema)}.${quote(name)}` : quote(name)) };
}

/**
 * SQLite: the rows unpacked once (MATERIALIZED), each as binary JSON, so that reading its columns
 * does not parse its text again for each column (twice as fast for 1,000 rows of 18 columns).
 */
const SQLITE_ROWS = "WITH v AS MATERIALIZED (SELECT value ->> '$.id' AS id, jsonb(value) AS j FROM json_each(CAST(? AS TEXT)))";
/** PostgreSQL: the rows as the table's own record type (missing keys are NULL). */
const pgRows = (table: string, param: string) => `json_populate_recordset(NULL::${table}, convert_from(${param}, 'UTF8')::json)`;

/** The rows' listed columns as one JSON array, UTF-8; a null (or undefined) value is left out, which both databases read as NULL. */
function rowsJson(rows: readonly object[], columns: readonly string[], kind: "sqlite" | "postgresql"): Buffer {
  return Buffer.from(JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of columns) {
        const v = (row as Record<string, unknown>)[c];
        if (v === null || v === undefined) continue;
        out[c] = v instanceof Date ? (kind === "sqlite" ? v.toISOString().replace("Z", "+00:00") : v.toISOString()) : v;
      }
      return out;
    }),
  ));
}

/** Inserts `rows` (every listed column taken from each row; columns not listed take their defaults). */
export async function insertRows<T extends BulkTable>(tx: Tx, table: T, columns: readonly Column<T>[], rows: readonly Tables[T][]): Promise<void> {
  if (rows.length === 0) return;
  const { kind, table: name } = dialect();
  const cols = columns.map(quote).join(", ");
  const sql =
    kind === "sqlite"
      ? `${SQLITE_ROWS} INSERT INTO ${name(table)} (${cols}) SELECT ${columns.map((c) => `v.j ->> '$.${c}'`).join(", ")} FROM v`
      : `INSERT INTO ${name(table)} (${cols}) SELECT ${cols} FROM ${pgRows(name(table), "$1")}`;
  const inserted = await tx.$executeRawUnsafe(sql, rowsJson(rows, columns, kind));
  if (inserted !== rows.length) throw new Error(`bulk-sql: ${inserted} of ${rows.length} ${table} rows inserted`);
}

/** Sets the listed columns of each row (matched by id, within `shopId`); every row must exist. */
export async function updateRows<T extends BulkTable>(
  tx: Tx,
  table: T,
  shopId: string,
  columns: readonly Column<T>[],
  rows: readonly (Partial<Tables[T]> & { id: string })[],
): Promise<void> {
  if (rows.length === 0) return;
  const { kind, table: name } = dialect();
  const t = name(table);
  // SQLite: each row is found by its primary key (v.id). Joined to json_each directly, SQLite walked
  // the shop's rows by the shopId index and read the whole JSON again for each of them: 14 s instead
  // of 20 ms for 1,000 lines in a shop with 6,000.
  const sql =
    kind === "sqlite"
      ? `${SQLITE_ROWS} UPDATE ${t} SET ${columns.map((c) => `${quote(c)} = v.j ->> '$.${c}'`).join(", ")} ` +
        `FROM v WHERE ${t}."id" = v.id AND ${t}."shopId" = ?`
      : `UPDATE ${t} AS t SET ${columns.map((c) => `${quote(c)} = v.${quote(c)}`).join(", ")} ` +
        `FROM ${pgRows(t, "$1")} AS v WHERE t."id" = v."id" AND t."shopId" = $2`;
  const updated = await tx.$executeRawUnsafe(sql, rowsJson(rows, ["id", ...columns], kind), shopId);
  if (updated !== rows.length) throw new Error(`bulk-sql: ${updated} of ${rows.length} ${table} rows updated`);
}

let lastMs = 0;
let sequence = 0;
/** Tells this process's ids from another's made in the same millisecond. */
const PROCESS_TAG = randomBytes(5).toString("hex");

/**
 * A row id for rows written here (Prisma's @default(cuid()) only fills ids of rows it writes itself):
 * "c", the time, a per-process sequence and a per-process random tag, so ids made one after the
 * other sort in that order (a return's lines are listed by id) and never collide.
 */
export function sortableId(): string {
  const now = Math.max(Date.now(), lastMs);
  sequence = now === lastMs ? sequence + 1 : 0;
  lastMs = now;
  return `c${now.toString(36).padStart(9, "0")}${sequence.toString(36).padStart(5, "0")}${PROCESS_TAG}`;
}
