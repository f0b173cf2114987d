// Configurable behaviour as data: a rule is stored as { code, args } and resolved through a
// registry of strategies. Each strategy owns a zod schema for its args (which also drives the
// admin form) and builds the function that runs on the hot path, so args are parsed once,
// when a network or policy is prepared, never per quote. Every kind of rule uses it: surcharges,
// surge, pricing, return conditions and outcomes, and the availability gates (core/network).
import { issueSummary } from "../validation/issues";
import { z } from "zod";

export const ruleRefSchema = z.object({
  code: z.string().min(1),
  args: z.unknown().optional(),
});
export type RuleRef = z.infer<typeof ruleRefSchema>;

export interface Strategy<F> {
  code: string;
  label: string;
  argsSchema: z.ZodType;
  /** Parses raw args and builds the strategy's function; throws on invalid args. */
  compile(rawArgs: unknown): F;
}

export class RuleConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuleConfigError";
  }
}

export function defineStrategy<S extends z.ZodType, F>(spec: {
  code: string;
  label: string;
  args: S;
  build: (args: z.output<S>) => F;
}): Strategy<F> {
  return {
    code: spec.code,
    label: spec.label,
    argsSchema: spec.args,
    compile(rawArgs) {
      const parsed = spec.args.safeParse(rawArgs ?? {});
      if (!parsed.success) {
        throw new RuleConfigError(`${spec.code}: ${issueSummary(parsed.error, { prefix: ["args"] })}`);
      }
      return spec.build(parsed.data);
    },
  };
}

export interface CompiledRule<F> {
  code: string;
  label: string;
  run: F;
}

export interface Registry<F> {
  kind: string;
  strategies: ReadonlyMap<string, Strategy<F>>;
  /** Resolves a stored rule; `where` names it in errors, e.g. "rateCards[0].surcharges[1]". */
  compile(ref: RuleRef, where: string): CompiledRule<F>;
}

export function createRegistry<F>(kind: string, strategies: Strategy<F>[]): Registry<F> {
  const byCode = new Map(strategies.map((s) => [s.code, s]));
  return {
    kind,
    strategies: byCode,
    compile(ref, where) {
      const strategy = byCode.get(ref.code);
      if (!strategy) {
        throw new RuleConfigError(
          `${where}: unknown ${kind} "${ref.code}" (known: ${[...byCode.keys()].join(", ")})`,
        );
      }
      try {
        return { code: strategy.code, label: strategy.label, run: strategy.compile(ref.args) };
      } catch (error) {
        throw new RuleConfigError(`${where}: ${(error as Error).message}`);
      }
    },
  };
}

/**
 * Inside a zod superRefine: an issue for an unknown code, or one per bad arg, at the ref's own
 * path (e.g. rules.2.when.0.args.maxDays), so a stored document names the field that is wrong.
 */
export function checkRuleRef<F>(registry: Registry<F>, ref: RuleRef, path: (string | number)[], ctx: z.RefinementCtx): void {
  const strategy = registry.strategies.get(ref.code);
  if (!strategy) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "code"],
      message: `unknown ${registry.kind} "${ref.code}" (known: ${[...registry.strategies.keys()].join(", ")})`,
    });
    return;
  }
  const parsed = strategy.argsSchema.safeParse(ref.args ?? {});
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: "custom", path: [...path, "args", ...issue.path], message: issue.message });
  }
}
