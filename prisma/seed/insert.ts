// Bulk inserts for the seed's large tables (orders and their lines, fulfillments and their events).
import { Prisma } from "@prisma/client";

const CHUNK = 500;

export async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Multi-row INSERT of `columns` (fixed lists in the seed, never input) into one of the bulk tables.
 * Prisma 6.19's query compiler spends ~11 µs per bound value in createMany (5.6 s for the seed's
 * orders and lines); the same rows as parameterised raw INSERTs through the same client and
 * transaction take ~1 s. Prisma.sql renders placeholders for SQLite and PostgreSQL alike, and the
 * driver adapter stores Dates in the format Prisma reads back.
 */
export async function insertRows<T extends object>(
  tx: Prisma.TransactionClient,
  table: "Order" | "OrderLine" | "Fulfillment" | "DeliveryEvent",
  columns: readonly (keyof T & string)[],
  rows: T[],
): Promise<void> {
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  await insertInChunks(rows, (chunk) =>
    tx.$executeRaw(
      Prisma.join(
        chunk.map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => row[c] ?? null))})`),
        ", ",
        head,
      ),
    ),
  );
}

/**
 * The same rows in one bound value per statement: a JSON array of row objects the database unpacks
 * itself (SQLite json_each, PostgreSQL json_populate_recordset), for the seed's largest tables, where
 * binding every value (insertRows) costs seconds. Dates go in as the driver adapter stores them
 * (SQLite text "…T…+00:00"; PostgreSQL timestamp(3) in UTC); `columns` are fixed lists, never input.
 */
export async function insertJsonRows<T extends object>(
  tx: Prisma.TransactionClient,
  kind: "sqlite" | "postgresql",
  table: "Fulfillment" | "DeliveryEvent",
  columns: readonly (keyof T & string)[],
  rows: T[],
  chunk = 5_000,
): Promise<void> {
  const list = columns.map((c) => `"${c}"`).join(", ");
  const sql =
    kind === "sqlite"
      ? `INSERT INTO "${table}" (${list}) SELECT ${columns.map((c) => `json_extract(j.value, '$.${c}')`).join(", ")} FROM json_each(?) AS j`
      : `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
  const date = (d: Date) => (kind === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString().replace("Z", ""));
  for (let i = 0; i < rows.length; i += chunk) {
    const json = JSON.stringify(
      rows.slice(i, i + chunk).map((row) => {
        const out: Record<string, unknown> = {};
        for (const c of columns) {
          const v = (row as Record<string, unknown>)[c];
          out[c] = v instanceof Date ? date(v) : (v ?? null);
        }
        return out;
      }),
    );
    await tx.$executeRawUnsafe(sql, json);
  }
}
