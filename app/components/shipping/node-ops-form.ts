// Node operations: holidays and preparation minutes per node (and make-to-order minutes for
// micro-factories). One schema for page and action; fields are named `nodes.<id>.<field>`.
import { z } from "zod";
import { nodeOpsSchema, type NodeOpsInput } from "~/core/costing/config";
import { num, numberField, type FieldErrors } from "./form-utils";

export const NODE_OPS_FIELDS = ["holidays", "prepMinutes", "makeSetupMinutes", "makeMinutesPerUnit"] as const;
export type NodeOpsField = (typeof NODE_OPS_FIELDS)[number];
export type NodeOpsFormValues = Record<NodeOpsField, string>;

export const nodeOpsName = (nodeId: string, field: NodeOpsField) => `nodes.${nodeId}.${field}`;
/** Hidden field with the Node.version the page read (a save from an older one is refused). */
export const nodeVersionName = (nodeId: string) => `nodes.${nodeId}.version`;

export const NODE_OPS_LABELS: Record<NodeOpsField, string> = {
  holidays: "Closed on",
  prepMinutes: "Minutes to pick and pack",
  makeSetupMinutes: "Set-up minutes per made-to-order run",
  makeMinutesPerUnit: "Minutes per unit made",
};

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/** "2026-12-25, 2027-01-01" (commas, spaces or lines) → sorted unique ISO dates. */
export const holidaysSchema = z.string().transform((text, ctx) => {
  const parts = text.split(/[\s,;]+/).map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p) || !isRealDate(p)) {
      ctx.addIssue({ code: "custom", message: `“${p}” is not a date as YYYY-MM-DD` });
      return z.NEVER;
    }
  }
  return [...new Set(parts)].sort();
});

const nodeOpsFormSchema = z.object({
  holidays: holidaysSchema,
  prepMinutes: numberField("Minutes to pick and pack", { min: 0, max: 10_080, integer: true }),
  makeSetupMinutes: numberField("Set-up minutes", { min: 0, max: 10_080, integer: true }),
  makeMinutesPerUnit: numberField("Minutes per unit", { min: 0, max: 10_080 }),
});

export function nodeOpsToForm(ops: NodeOpsInput | undefined): NodeOpsFormValues {
  const o = nodeOpsSchema.parse(ops ?? {});
  return {
    holidays: o.holidays.join(", "),
    prepMinutes: num(o.prepMinutes),
    makeSetupMinutes: num(o.makeSetupMinutes),
    makeMinutesPerUnit: num(o.makeMinutesPerUnit),
  };
}

/**
 * Stored operations that no longer read, shown for correction: the closed days as stored (a list of
 * strings joined as the field writes them, else the stored text), the minutes as they are.
 */
export function brokenNodeOpsToForm(row: { holidaysJson: string; prepMinutes: number; makeSetupMinutes: number; makeMinutesPerUnit: number }): NodeOpsFormValues {
  let holidays = row.holidaysJson;
  try {
    const list: unknown = JSON.parse(row.holidaysJson);
    if (Array.isArray(list) && list.every((d) => typeof d === "string")) holidays = list.join(", ");
  } catch {
    // shown as stored
  }
  return { holidays, prepMinutes: num(row.prepMinutes), makeSetupMinutes: num(row.makeSetupMinutes), makeMinutesPerUnit: num(row.makeMinutesPerUnit) };
}

export function nodeOpsFormValues(form: FormData, nodeIds: readonly string[]): Record<string, NodeOpsFormValues> {
  const out: Record<string, NodeOpsFormValues> = {};
  for (const id of nodeIds) {
    const get = (f: NodeOpsField) => {
      const v = form.get(nodeOpsName(id, f));
      return typeof v === "string" ? v : "";
    };
    if (form.get(nodeOpsName(id, "prepMinutes")) === null) continue; // not on the form
    out[id] = Object.fromEntries(NODE_OPS_FIELDS.map((f) => [f, get(f)])) as NodeOpsFormValues;
  }
  return out;
}

/** The posted values on top of the given ops (with none, only the posted nodes come back). */
export function readNodeOpsForm(
  values: Record<string, NodeOpsFormValues>,
  stored: Record<string, NodeOpsInput>,
): { nodes: Record<string, NodeOpsInput> | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const nodes: Record<string, NodeOpsInput> = { ...stored };
  for (const [id, v] of Object.entries(values)) {
    const parsed = nodeOpsFormSchema.safeParse(v);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors[nodeOpsName(id, issue.path[0] as NodeOpsField)] ??= issue.message;
      continue;
    }
    nodes[id] = { ...(stored[id] ?? {}), ...parsed.data };
  }
  return Object.keys(errors).length > 0 ? { nodes: null, errors } : { nodes, errors };
}
