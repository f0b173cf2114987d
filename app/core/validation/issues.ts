// Boundary error messages: the one way a zod error becomes words, for every boundary (HTTP bodies,
// webhook payloads, forms, stored config, third parties' answers). In core so that components,
// routes and services may all import it (ADR 0020's layers).
import type { z } from "zod";

type Issue = z.core.$ZodIssue;

export interface IssueTextOptions {
  /** Path segments put before each issue's own ("args" → "args.feeMinor"). */
  prefix?: readonly (string | number)[];
  /** The name of the whole value, for an issue on the root itself ("body", "value"). */
  root?: string;
  /** At most this many issues are listed, the first ones (5 unless told). */
  max?: number;
}

/** Where an issue is: "lines.0.quantity", or `root` when it is about the whole value. */
export function issuePath(issue: Issue, options: Pick<IssueTextOptions, "prefix" | "root"> = {}): string {
  const path = [...(options.prefix ?? []), ...issue.path.map(String)];
  return path.length ? path.join(".") : (options.root ?? "body");
}

/** "lines.0.quantity: Too small: expected number to be >=1; country: Required": each issue with where it is. */
export function issueSummary(error: z.ZodError, options: IssueTextOptions = {}): string {
  const issues = error.issues.slice(0, options.max ?? 5);
  return issues.map((issue) => `${issuePath(issue, options)}: ${issue.message}`).join("; ");
}

export type FieldErrors = Record<string, string>;

/** Errors keyed by the form field's path ("openingHours.mon"; "form" for the whole form), the first message per field. */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = prefix + (issue.path.join(".") || "form");
    out[key] ??= issue.message;
  }
  return out;
}
