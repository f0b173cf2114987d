// The shop's shipping settings (one row per shop): the quote configuration document (rate cards,
// couriers, corridors, pricing rules, pickup, promise and returns settings), backup rates, the
// checkout time budget and the state of the carrier service in Shopify. Node operations are not
// here: they live with each node (network.server.ts).
//
// Reading (getShopShipping) parses the stored document part by part, each list item on its own, so
// a part that no longer reads (written by an older version) is reported with what to fix
// (`problems`, shown on the page that owns it) while the rest stays usable; checkout quotes only
// from a document without problems (quoteConfigOf), otherwise it answers with the backup rates.
//
// Writing is one command per thing the merchant edits (saveCourier, deleteRateCard,
// savePricingRules, saveBackupRates, …). Each takes ShippingSettings.version as the page read it and
// applies its change in one transaction with a compare-and-set on that version: a save from an older
// version is refused with StaleConfigError and writes nothing. What is stored is the schema's
// output; parts that no longer read are kept as they were (a save of a courier does not drop a
// broken rate card, nor hide it). Every save moves Shop.configVersion (config-version.server.ts).
import type { Node as NodeRow, ShippingSettings } from "@prisma/client";
import { z } from "zod";
import { corridorSchema } from "~/core/costing/corridor";
import { courierSchema } from "~/core/costing/courier";
import { roundsConfigSchema } from "~/core/costing/rounds";
import { rateCardSchema } from "~/core/costing/rateCard";
import {
  backupRatesSchema,
  DEFAULT_BACKUP_RATES,
  prepareNetwork,
  pricingRegistry,
  quoteConfigSchema,
  storedQuoteConfigSchema,
  upgradeQuoteConfig,
  type BackupRate,
  type QuoteConfigInput,
  type StoredQuoteConfig,
} from "~/core/quoting";
import { ruleRefSchema } from "~/core/rules/registry";
import { db } from "~/db.server";
import { changeConfig, StaleConfigError, type Tx } from "./config-version.server";
import { nodeOpsById, nodeOpsOf, NodeOpsError } from "./network.server";

export { StaleConfigError } from "./config-version.server";

const CARRIER_SERVICE_STATUSES = ["NOT_REGISTERED", "ACTIVE", "PLAN_NOT_ELIGIBLE", "ERROR"] as const;
export type CarrierServiceStatus = (typeof CARRIER_SERVICE_STATUSES)[number];
const carrierServiceStatusSchema = z.enum(CARRIER_SERVICE_STATUSES).catch("ERROR");


const LIST_PARTS = {
  rateCards: rateCardSchema,
  couriers: courierSchema,
  corridors: corridorSchema,
  rounds: roundsConfigSchema,
  pricingRules: ruleRefSchema,
} as const;
type ListPart = keyof typeof LIST_PARTS;
const OBJECT_PARTS = {
  pickup: quoteConfigSchema.shape.pickup,
  promise: quoteConfigSchema.shape.promise,
  returns: quoteConfigSchema.shape.returns,
} as const;
type ObjectPart = keyof typeof OBJECT_PARTS;

export type ConfigPart = ListPart | ObjectPart | "document" | "backupRates" | "nodeOperations";

/** A stored part that no longer reads: which one, why, and what the merchant can do. */
export interface ConfigProblem {
  part: ConfigPart;
  /** For a list item: its id, else "#<index>" (what deleteRateCard, deleteCourier… take). */
  key: string | null;
  /** "Rate card UPS · Ground", "Courier Bike (NYC)", "Pricing rule 2", "Pickup settings". */
  label: string;
  /** What is wrong, field by field. */
  issues: string[];
  /** What to do about it. */
  fix: string;
}

export interface ShopShipping {
  /** What reads of the stored document (a part or item with a problem is left out). */
  config: StoredQuoteConfig;
  /** Parts of the stored document that no longer read; checkout answers with backup rates meanwhile. */
  problems: ConfigProblem[];
  backupRates: BackupRate[];
  quoteBudgetMs: number;
  /** ShippingSettings.version: what a page passes back with its save. */
  version: number;
  carrierService: {
    id: string | null;
    status: CarrierServiceStatus;
    message: string | null;
    checkedAt: Date | null;
  };
}

export class InvalidShippingConfigError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

const issuesOf = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
const issueText = (i: { path: string; message: string }) => (i.path ? `${i.path}: ${i.message}` : i.message);
const EMPTY_NETWORK = { shopId: "check", currency: "USD", nodes: [], products: [], stock: {} };

// ---------------------------------------------------------------------------------------------
// The stored document, part by part

type Entry = { ok: true; value: unknown } | { ok: false; raw: unknown; problem: ConfigProblem };

interface StoredDocument {
  lists: Record<ListPart, Entry[]>;
  objects: Record<ObjectPart, Entry>;
  /** The document itself is not a JSON object: nothing of it reads. */
  unreadable: ConfigProblem | null;
}

function labelOf(part: ListPart, raw: unknown, index: number): { key: string; label: string } {
  const r = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const key = typeof r.id === "string" && r.id ? r.id : `#${index}`;
  const name = (k: string) => (typeof r[k] === "string" ? String(r[k]) : null);
  switch (part) {
    case "rateCards":
      return { key, label: `Rate card ${[name("carrier"), name("service")].filter(Boolean).join(" · ") || key}` };
    case "couriers":
      return { key, label: `Courier ${name("name") ?? key}` };
    case "corridors":
      return { key, label: `Corridor ${name("name") ?? key}` };
    case "rounds":
      return { key, label: `Delivery rounds ${key}` };
    case "pricingRules":
      return { key, label: `Pricing rule ${index + 1}${name("code") ? ` (${name("code")})` : ""}` };
  }
}

const LIST_FIX: Record<ListPart, string> = {
  rateCards: "Replace it with a fresh import of the carrier's table, or delete it, on Shipping → Rate cards.",
  couriers: "Delete it and add the courier again on Shipping → Couriers & corridors.",
  corridors: "Delete it and add the corridor again on Shipping → Couriers & corridors.",
  rounds: "Save the hub's rounds again (npm run route / the shipping configuration commands), or delete them.",
  pricingRules: "Saving the pricing rules on Shipping → Pricing & backup rates removes it: add it again there if you still want it.",
};
const OBJECT_LABELS: Record<ObjectPart, string> = { pickup: "Pickup settings", promise: "Delivery promise settings", returns: "Returns costing settings" };

/** One list item: parsed by its schema, then compiled (rule codes and args) as checkout would. */
function readItem(part: ListPart, raw: unknown, index: number): Entry {
  const parsed = LIST_PARTS[part].safeParse(raw);
  let issues: string[] = [];
  if (!parsed.success) issues = issuesOf(parsed.error).map(issueText);
  else {
    try {
      prepareNetwork(EMPTY_NETWORK, { [part]: [parsed.data] });
    } catch (error) {
      issues = [(error as Error).message.replace(/^\w+\[0\]\.?:?\s*/, "")];
    }
  }
  if (issues.length === 0 && parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, raw, problem: { part, ...labelOf(part, raw, index), issues, fix: LIST_FIX[part] } };
}

function readDocument(configJson: string): StoredDocument {
  let stored: unknown;
  let unreadable: ConfigProblem | null = null;
  try {
    stored = upgradeQuoteConfig(JSON.parse(configJson));
  } catch (error) {
    stored = {};
    unreadable = { part: "document", key: null, label: "Shipping configuration", issues: [(error as Error).message], fix: "Reset it on Shipping (overview), then set it up again." };
  }
  if (!unreadable && (typeof stored !== "object" || stored === null || Array.isArray(stored))) {
    unreadable = { part: "document", key: null, label: "Shipping configuration", issues: ["it is not a JSON object"], fix: "Reset it on Shipping (overview), then set it up again." };
    stored = {};
  }
  // `nodes` (node operations) left the document for the Node rows (migration 20261202060118);
  // a copy restored from before that is not read here.
  const doc = stored as Record<string, unknown>;
  const lists = {} as Record<ListPart, Entry[]>;
  for (const part of Object.keys(LIST_PARTS) as ListPart[]) {
    const raw = doc[part];
    if (raw === undefined) lists[part] = [];
    else if (!Array.isArray(raw)) {
      lists[part] = [{ ok: false, raw, problem: { part, key: null, label: `${part} list`, issues: ["is not a list"], fix: LIST_FIX[part] } }];
    } else lists[part] = raw.map((item, i) => readItem(part, item, i));
  }
  const objects = {} as Record<ObjectPart, Entry>;
  for (const part of Object.keys(OBJECT_PARTS) as ObjectPart[]) {
    const parsed = OBJECT_PARTS[part].safeParse(doc[part]);
    objects[part] = parsed.success
      ? { ok: true, value: parsed.data }
      : {
          ok: false,
          raw: doc[part],
          problem: { part, key: null, label: OBJECT_LABELS[part], issues: issuesOf(parsed.error).map(issueText), fix: "Reset them to the defaults on Shipping (overview)." },
        };
  }
  return { lists, objects, unreadable };
}

/** The document to store: each part that reads as the schema's output, each that does not as it was. */
function serialize(doc: StoredDocument): string {
  const out: Record<string, unknown> = {};
  for (const [part, entries] of Object.entries(doc.lists)) {
    if (entries.length === 1 && !entries[0].ok && entries[0].problem.key === null) out[part] = entries[0].raw;
    else out[part] = entries.map((e) => (e.ok ? e.value : e.raw));
  }
  for (const [part, entry] of Object.entries(doc.objects)) out[part] = entry.ok ? entry.value : entry.raw;
  return JSON.stringify(out);
}

function problemsOf(doc: StoredDocument): ConfigProblem[] {
  const problems: ConfigProblem[] = doc.unreadable ? [doc.unreadable] : [];
  for (const entries of Object.values(doc.lists)) for (const e of entries) if (!e.ok) problems.push(e.problem);
  for (const e of Object.values(doc.objects)) if (!e.ok) problems.push(e.problem);
  return problems;
}

function configOf(doc: StoredDocument): StoredQuoteConfig {
  const valid = (entries: Entry[]) => entries.flatMap((e) => (e.ok ? [e.value] : []));
  return storedQuoteConfigSchema.parse({
    ...Object.fromEntries(Object.entries(doc.lists).map(([part, entries]) => [part, valid(entries)])),
    ...Object.fromEntries(Object.entries(doc.objects).map(([part, e]) => [part, e.ok ? e.value : undefined])),
  });
}

function fromRow(row: ShippingSettings): ShopShipping {
  const doc = readDocument(row.configJson);
  const problems = problemsOf(doc);
  let backupRates = DEFAULT_BACKUP_RATES;
  const backup = backupRatesSchema.safeParse(safeJson(row.backupRatesJson));
  if (backup.success) {
    if (backup.data.length > 0) backupRates = backup.data;
  } else {
    problems.push({
      part: "backupRates",
      key: null,
      label: "Backup rates",
      issues: issuesOf(backup.error).map(issueText),
      fix: "Checkout shows the default backup rate meanwhile; enter yours again on Shipping → Pricing & backup rates and save them.",
    });
  }
  return {
    config: configOf(doc),
    problems,
    backupRates,
    quoteBudgetMs: row.quoteBudgetMs,
    version: row.version,
    carrierService: {
      id: row.carrierServiceId,
      status: carrierServiceStatusSchema.parse(row.carrierServiceStatus),
      message: row.carrierServiceMessage,
      checkedAt: row.carrierServiceCheckedAt,
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function ensureRow(client: Tx | typeof db, shopId: string) {
  return client.shippingSettings.upsert({ where: { shopId }, create: { shopId, configJson: "{}" }, update: {} });
}

/** With `client`, read inside that transaction (on SQLite a read through `db` would wait for the transaction's write lock). */
export async function getShopShipping(shopId: string, client: Tx | typeof db = db): Promise<ShopShipping> {
  return fromRow(await ensureRow(client, shopId));
}

/**
 * The configuration checkout and every quoting path prepare the network with: the stored
 * document plus each node's operations. Throws InvalidShippingConfigError when anything of it
 * no longer reads (checkout then answers with the backup rates).
 */
export function quoteConfigOf(shipping: ShopShipping, nodes: NodeRow[]): QuoteConfigInput {
  if (shipping.problems.length > 0) {
    const issues = shipping.problems.map((p) => ({ path: p.key ? `${p.part}.${p.key}` : p.part, message: `${p.label}: ${p.issues.join("; ")}` }));
    throw new InvalidShippingConfigError(`The stored shipping configuration does not read: ${issues.map((i) => i.message).join(" | ")}`, issues);
  }
  return { ...shipping.config, nodes: nodeOpsById(nodes) };
}

/** Nodes whose stored operations no longer read (key: the node id), for the Node operations page. */
export function nodeOpsProblems(nodes: NodeRow[]): ConfigProblem[] {
  return nodes.flatMap((row) => {
    try {
      nodeOpsOf(row);
      return [];
    } catch (error) {
      if (!(error instanceof NodeOpsError)) throw error;
      return [{ part: "nodeOperations" as const, key: row.id, label: `${row.name}: operations`, issues: error.issues, fix: "Correct them on Shipping → Node operations and save." }];
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Commands

type Change = { configJson?: string; backupRatesJson?: string; quoteBudgetMs?: number };

/**
 * The one way the settings change: in one transaction, read the row, refuse unless it is still at
 * `expectedVersion` (null: whatever it is, for seeds, tests and scripts), apply `edit` and write with
 * a compare-and-set on the version read, then move the shop's configuration version.
 */
async function changeShipping(shopId: string, expectedVersion: number | null, what: string, edit: (doc: StoredDocument) => Change): Promise<ShopShipping> {
  return changeConfig(shopId, async (tx) => {
    const row = await ensureRow(tx, shopId);
    if (expectedVersion !== null && row.version !== expectedVersion) throw new StaleConfigError(what);
    const data = edit(readDocument(row.configJson));
    const { count } = await tx.shippingSettings.updateMany({ where: { shopId, version: row.version }, data: { ...data, version: { increment: 1 } } });
    if (count === 0) throw new StaleConfigError(what);
    return fromRow(await tx.shippingSettings.findUniqueOrThrow({ where: { shopId } }));
  });
}

/** Parses one item and compiles it as checkout would (unknown rule codes, bad args refused here). */
function parseItem(part: ListPart, input: unknown, what: string): { id: string; value: unknown } {
  const parsed = LIST_PARTS[part].safeParse(input);
  if (!parsed.success) throw new InvalidShippingConfigError(`The ${what} is not valid`, issuesOf(parsed.error));
  try {
    prepareNetwork(EMPTY_NETWORK, { [part]: [parsed.data] });
  } catch (error) {
    throw new InvalidShippingConfigError((error as Error).message, [{ path: "", message: (error as Error).message }]);
  }
  if (part === "pricingRules" && "code" in parsed.data) {
    // A rule is stored with its args as their schema reads them (it compiled above, so they parse).
    const strategy = pricingRegistry.strategies.get(parsed.data.code);
    return { id: "", value: { code: parsed.data.code, args: strategy ? strategy.argsSchema.parse(parsed.data.args ?? {}) : parsed.data.args } };
  }
  return { id: "id" in parsed.data ? parsed.data.id : "", value: parsed.data };
}

const keyOf = (e: Entry, i: number) => {
  const raw = e.ok ? e.value : e.raw;
  const id = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === "string" && id ? id : `#${i}`;
};

function putItem(shopId: string, version: number, part: "rateCards" | "couriers" | "corridors" | "rounds", input: unknown, what: string) {
  const item = parseItem(part, input, what);
  return changeShipping(shopId, version, what, (doc) => {
    const entries = doc.lists[part].filter((e) => e.ok || e.problem.key !== null);
    const at = entries.findIndex((e, i) => keyOf(e, i) === item.id);
    const next: Entry = { ok: true, value: item.value };
    doc.lists[part] = at >= 0 ? entries.map((e, i) => (i === at ? next : e)) : [...entries, next];
    return { configJson: serialize(doc) };
  });
}

function removeItem(shopId: string, version: number, part: "rateCards" | "couriers" | "corridors" | "rounds", key: string, what: string) {
  return changeShipping(shopId, version, what, (doc) => {
    const entries = doc.lists[part];
    if (!entries.some((e, i) => keyOf(e, i) === key)) throw new ConfigItemNotFoundError(`No ${what} ${key}`);
    doc.lists[part] = entries.filter((e, i) => keyOf(e, i) !== key);
    return { configJson: serialize(doc) };
  });
}

export class ConfigItemNotFoundError extends Error {}

/** Adds the courier, or replaces the one with its id. */
export const saveCourier = (shopId: string, version: number, courier: unknown) => putItem(shopId, version, "couriers", courier, "The courier list");
export const deleteCourier = (shopId: string, version: number, key: string) => removeItem(shopId, version, "couriers", key, "The courier list");
/** Adds a hub's delivery rounds (its fleet or subscription courier), or replaces the ones with their id. */
export async function saveRounds(shopId: string, version: number, rounds: unknown) {
  const nodeId = typeof rounds === "object" && rounds !== null ? (rounds as { nodeId?: unknown }).nodeId : undefined;
  if (typeof nodeId === "string" && !(await db.node.findFirst({ where: { id: nodeId, shopId }, select: { id: true } }))) {
    throw new InvalidShippingConfigError("The delivery rounds are not valid", [{ path: "nodeId", message: `no node ${nodeId} in this shop` }]);
  }
  return putItem(shopId, version, "rounds", rounds, "The delivery rounds");
}
export const deleteRounds = (shopId: string, version: number, key: string) => removeItem(shopId, version, "rounds", key, "The delivery rounds");
/** Adds the corridor, or replaces the one with its id (also how it is opened or closed). */
export const saveCorridor = (shopId: string, version: number, corridor: unknown) => putItem(shopId, version, "corridors", corridor, "The corridor list");
export const deleteCorridor = (shopId: string, version: number, key: string) => removeItem(shopId, version, "corridors", key, "The corridor list");
/** Adds the rate card, or replaces the one with its id. */
export const saveRateCard = (shopId: string, version: number, card: unknown) => putItem(shopId, version, "rateCards", card, "The rate cards");
export const deleteRateCard = (shopId: string, version: number, key: string) => removeItem(shopId, version, "rateCards", key, "The rate cards");

/** The pricing rules, in order, replacing those stored (broken ones included: the page showed them). */
export function savePricingRules(shopId: string, version: number, rules: unknown[]) {
  const values = rules.map((r, i) => parseItem("pricingRules", r, `pricing rule ${i + 1}`).value);
  return changeShipping(shopId, version, "The pricing rules", (doc) => {
    doc.lists.pricingRules = values.map((value) => ({ ok: true, value }));
    return { configJson: serialize(doc) };
  });
}

/** The backup rates and (optionally) the checkout time budget, clamped to 50–5000 ms. */
export function saveBackupRates(shopId: string, version: number | null, rates: unknown, quoteBudgetMs?: number) {
  const parsed = backupRatesSchema.safeParse(rates);
  if (!parsed.success) throw new InvalidShippingConfigError("The backup rates are not valid", issuesOf(parsed.error));
  const budget = quoteBudgetMs === undefined ? {} : { quoteBudgetMs: Math.min(Math.max(Math.round(quoteBudgetMs), 50), 5000) };
  return changeShipping(shopId, version, "The backup rates", () => ({ backupRatesJson: JSON.stringify(parsed.data), ...budget }));
}

/** Puts a part that no longer reads (or the whole document) back to its defaults. */
export function resetConfigPart(shopId: string, version: number, part: ObjectPart | "document") {
  return changeShipping(shopId, version, "The shipping configuration", (doc) => {
    if (part === "document") return { configJson: JSON.stringify(storedQuoteConfigSchema.parse({})) };
    doc.objects[part] = { ok: true, value: OBJECT_PARTS[part].parse(undefined) };
    return { configJson: serialize(doc) };
  });
}

/**
 * The whole quote document at once (seeds, tests, scripts): validated and compiled, stored as the
 * schema's output. With `expectedVersion`, refused like any command when the settings moved since.
 * Node operations are not part of it (saveNodeOperations).
 */
export async function saveQuoteConfig(shopId: string, config: unknown, opts: { expectedVersion?: number } = {}): Promise<ShopShipping> {
  if (typeof config === "object" && config !== null && "nodes" in config) {
    throw new InvalidShippingConfigError("Node operations live with each node: save them with saveNodeOperations", [{ path: "nodes", message: "not part of the shipping settings" }]);
  }
  const parsed = storedQuoteConfigSchema.safeParse(config);
  if (!parsed.success) throw new InvalidShippingConfigError("The shipping configuration is not valid", issuesOf(parsed.error));
  try {
    prepareNetwork(EMPTY_NETWORK, parsed.data);
  } catch (error) {
    throw new InvalidShippingConfigError((error as Error).message, [{ path: "", message: (error as Error).message }]);
  }
  return changeShipping(shopId, opts.expectedVersion ?? null, "The shipping configuration", () => ({ configJson: JSON.stringify(parsed.data) }));
}

/** Shopify's answer about the carrier service: not configuration (no version check, no quote reload). */
export async function recordCarrierService(
  shopId: string,
  state: { id?: string | null; status: CarrierServiceStatus; message?: string | null },
): Promise<void> {
  const data = {
    ...(state.id !== undefined ? { carrierServiceId: state.id } : {}),
    carrierServiceStatus: state.status,
    carrierServiceMessage: state.message ?? null,
    carrierServiceCheckedAt: new Date(),
  };
  await db.shippingSettings.upsert({ where: { shopId }, create: { shopId, configJson: "{}", ...data }, update: data });
}
