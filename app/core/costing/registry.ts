// Configurable behaviour as data: a rule is stored as { code, args } and resolved through a
// registry of strategies. Each strategy owns a zod schema for its args (which also drives the
// admin form) and builds the function that runs on the hot path, so args are parsed once,
// when a network is prepared, never per quote.
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
        const issues = parsed.error.issues.map((i) => `${["args", ...i.path].join(".")}: ${i.message}`);
        throw new RuleConfigError(`${spec.code}: ${issues.join("; ")}`);
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
