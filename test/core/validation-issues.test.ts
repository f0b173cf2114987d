import { z } from "zod";
import { describe, expect, it } from "vitest";
import { fieldErrors, issuePath, issueSummary } from "~/core/validation/issues";

const schema = z.object({ country: z.string().length(2, "country must be two letters"), lines: z.array(z.object({ quantity: z.number().min(1, "at least 1") })).min(1, "no lines") });
const bad = (value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected a failure");
  return parsed.error;
};

describe("boundary error messages", () => {
  it("names where each issue is, the root as given", () => {
    const error = bad({ country: "USA", lines: [{ quantity: 0 }, { quantity: 2 }, { quantity: -1 }] });
    expect(issueSummary(error)).toBe("country: country must be two letters; lines.0.quantity: at least 1; lines.2.quantity: at least 1");
    expect(issueSummary(error, { max: 2 })).toBe("country: country must be two letters; lines.0.quantity: at least 1");
    expect(issueSummary(error, { prefix: ["args"] })).toContain("args.lines.2.quantity: at least 1");
    const root = z.string().safeParse(3).error!;
    expect(issuePath(root.issues[0])).toBe("body");
    expect(issueSummary(root, { root: "value" })).toMatch(/^value: /);
  });

  it("keys form errors by field path, first message per field", () => {
    const error = bad({ country: "USA", lines: [] });
    expect(fieldErrors(error)).toEqual({ country: "country must be two letters", lines: "no lines" });
    expect(fieldErrors(error, "rules.0.")).toEqual({ "rules.0.country": "country must be two letters", "rules.0.lines": "no lines" });
    const refined = z.object({ a: z.string() }).refine(() => false, "the whole form is wrong").safeParse({ a: "x" }).error!;
    expect(fieldErrors(refined)).toEqual({ form: "the whole form is wrong" });
  });
});
