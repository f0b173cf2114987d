// The ordered return rules, each with its conditions and outcome drawn from the registries' args
// schemas, a plain-language sentence under each, and errors next to the field they concern (keys
// are the settings schema's paths: rules.0.when.1.args.maxDays). The whole state is posted as one
// JSON field (`rules`), parsed by rulesFormSchema in the action.
import { useState } from "react";
import { BlockStack, Box, Button, Checkbox, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import {
  CHOICE_LABELS,
  describeRule,
  newRef,
  valuesToRules,
  type ArgField,
  type RefValues,
  type RulesFormValues,
  type RuleValues,
  type StrategySpec,
} from "./rule-form";

export interface ReturnRulesEditorProps {
  initial: RulesFormValues;
  conditions: StrategySpec[];
  outcomes: StrategySpec[];
  /** Outcomes the default may use. */
  defaultOutcomes: string[];
  errors: Record<string, string>;
  currency: string;
}

let nextId = 1;
const freshId = (rules: RuleValues[]) => {
  let id = `rule-${rules.length + nextId++}`;
  while (rules.some((r) => r.id === id)) id = `rule-${rules.length + nextId++}`;
  return id;
};

export function ReturnRulesEditor({ initial, conditions, outcomes, defaultOutcomes, errors, currency }: ReturnRulesEditorProps) {
  const [state, setState] = useState<RulesFormValues>(initial);
  const [adding, setAdding] = useState<Record<string, string>>({});
  const byCode = (specs: StrategySpec[]) => new Map(specs.map((s) => [s.code, s]));
  const conditionSpecs = byCode(conditions);
  const outcomeSpecs = byCode(outcomes);

  const setRule = (i: number, change: (r: RuleValues) => RuleValues) =>
    setState((s) => ({ ...s, rules: s.rules.map((r, k) => (k === i ? change(r) : r)) }));
  const move = (i: number, delta: number) =>
    setState((s) => {
      const rules = [...s.rules];
      const [r] = rules.splice(i, 1);
      rules.splice(i + delta, 0, r);
      return { ...s, rules };
    });
  const described = (r: RuleValues) => {
    const { rules } = valuesToRules({ defaultOutcome: state.defaultOutcome, rules: [r] }, currency);
    const rule = rules[0] as { when: { code: string; args: unknown }[]; then: { code: string; args: unknown }; enabled: boolean };
    try {
      return describeRule(rule, currency);
    } catch {
      return "";
    }
  };

  return (
    <BlockStack gap="400">
      <input type="hidden" name="rules" value={JSON.stringify(state)} />
      {errors.rules ? (
        <Text as="p" tone="critical">
          {errors.rules}
        </Text>
      ) : null}
      {state.rules.length === 0 ? (
        <Text as="p" tone="subdued">
          No rules yet: every returned line gets the default outcome below. Add a rule to decline late returns, offer store
          credit, or let customers keep items not worth bringing back.
        </Text>
      ) : null}
      {state.rules.map((rule, i) => {
        const p = `rules.${i}`;
        const outcome = outcomeSpecs.get(rule.then.code);
        return (
          <Box key={`${rule.id}-${i}`} padding="400" borderWidth="025" borderColor="border" borderRadius="300" background={rule.enabled ? "bg-surface" : "bg-surface-secondary"}>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="start" gap="200">
                <div style={{ flex: 1, minWidth: 220 }}>
                  <TextField
                    label={`Rule ${i + 1}: name`}
                    value={rule.name}
                    onChange={(name) => setRule(i, (r) => ({ ...r, name }))}
                    error={errors[`${p}.name`] ?? errors[`${p}.id`]}
                    autoComplete="off"
                    id={`${p}.name`}
                  />
                </div>
                <InlineStack gap="200" blockAlign="center">
                  <Checkbox label="On" checked={rule.enabled} onChange={(enabled) => setRule(i, (r) => ({ ...r, enabled }))} />
                  <Button disabled={i === 0} onClick={() => move(i, -1)} accessibilityLabel={`Move rule ${i + 1} up`}>
                    ↑
                  </Button>
                  <Button disabled={i === state.rules.length - 1} onClick={() => move(i, 1)} accessibilityLabel={`Move rule ${i + 1} down`}>
                    ↓
                  </Button>
                  <Button tone="critical" variant="plain" onClick={() => setState((s) => ({ ...s, rules: s.rules.filter((_, k) => k !== i) }))} accessibilityLabel={`Remove rule ${i + 1}`}>
                    Remove
                  </Button>
                </InlineStack>
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {described(rule)}
              </Text>

              <Text as="h3" variant="headingSm">
                When all of these hold
              </Text>
              {rule.when.length === 0 ? (
                <Text as="p" tone="subdued" variant="bodySm">
                  No conditions: this rule applies to every line that reaches it.
                </Text>
              ) : null}
              {rule.when.map((c, j) => {
                const spec = conditionSpecs.get(c.code);
                const cp = `${p}.when.${j}`;
                return (
                  <Box key={j} padding="300" background="bg-surface-secondary" borderRadius="200">
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="p" fontWeight="semibold">
                          {spec?.label ?? `Unknown condition ${c.code}`}
                        </Text>
                        <Button
                          variant="plain"
                          tone="critical"
                          onClick={() => setRule(i, (r) => ({ ...r, when: r.when.filter((_, k) => k !== j) }))}
                          accessibilityLabel={`Remove condition ${j + 1} of rule ${i + 1}`}
                        >
                          Remove condition
                        </Button>
                      </InlineStack>
                      {errors[`${cp}.code`] ? (
                        <Text as="p" tone="critical">
                          {errors[`${cp}.code`]}
                        </Text>
                      ) : null}
                      <ArgFields
                        spec={spec}
                        values={c}
                        prefix={cp}
                        errors={errors}
                        currency={currency}
                        onChange={(args) => setRule(i, (r) => ({ ...r, when: r.when.map((x, k) => (k === j ? { ...x, args } : x)) }))}
                      />
                    </BlockStack>
                  </Box>
                );
              })}
              <InlineStack gap="200" blockAlign="end">
                <div style={{ minWidth: 260 }}>
                  <Select
                    label={`Condition to add to rule ${i + 1}`}
                    labelHidden
                    options={conditions.map((s) => ({ label: s.label, value: s.code }))}
                    value={adding[rule.id] ?? conditions[0]?.code ?? ""}
                    onChange={(v) => setAdding((a) => ({ ...a, [rule.id]: v }))}
                  />
                </div>
                <Button
                  onClick={() => {
                    const code = adding[rule.id] ?? conditions[0]?.code;
                    if (code) setRule(i, (r) => ({ ...r, when: [...r.when, newRef("condition", code, currency)] }));
                  }}
                >
                  Add condition
                </Button>
              </InlineStack>

              <Text as="h3" variant="headingSm">
                Then
              </Text>
              <div style={{ maxWidth: 420 }}>
                <Select
                  label="Outcome"
                  id={`${p}.then.code`}
                  options={outcomes.map((s) => ({ label: s.label, value: s.code }))}
                  value={rule.then.code}
                  onChange={(code) => setRule(i, (r) => ({ ...r, then: newRef("outcome", code, currency) }))}
                  error={errors[`${p}.then.code`]}
                />
              </div>
              <ArgFields spec={outcome} values={rule.then} prefix={`${p}.then`} errors={errors} currency={currency} onChange={(args) => setRule(i, (r) => ({ ...r, then: { ...r.then, args } }))} />
            </BlockStack>
          </Box>
        );
      })}
      <InlineStack gap="300" blockAlign="end">
        <Button
          onClick={() =>
            setState((s) => ({
              ...s,
              rules: [...s.rules, { id: freshId(s.rules), name: "", enabled: true, when: [], then: newRef("outcome", "REFUND", currency) }],
            }))
          }
        >
          Add rule
        </Button>
        <div style={{ minWidth: 260 }}>
          <Select
            label="When no rule matches"
            options={defaultOutcomes.map((code) => ({ label: outcomeSpecs.get(code)?.label ?? code, value: code }))}
            value={state.defaultOutcome}
            onChange={(defaultOutcome) => setState((s) => ({ ...s, defaultOutcome }))}
            error={errors.defaultOutcome ?? errors["defaultOutcome.code"]}
          />
        </div>
      </InlineStack>
    </BlockStack>
  );
}

function ArgFields({
  spec,
  values,
  prefix,
  errors,
  currency,
  onChange,
}: {
  spec: StrategySpec | undefined;
  values: RefValues;
  prefix: string;
  errors: Record<string, string>;
  currency: string;
  onChange: (args: RefValues["args"]) => void;
}) {
  if (!spec) return null;
  if (spec.fields.length === 0) {
    return (
      <Text as="p" variant="bodySm" tone="subdued">
        Nothing to set.
      </Text>
    );
  }
  const set = (name: string, v: string | string[]) => onChange({ ...values.args, [name]: v });
  return (
    <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
      {spec.fields.map((f) => (
        <ArgInput key={f.name} field={f} id={`${prefix}.args.${f.name}`} value={values.args[f.name]} error={errors[`${prefix}.args.${f.name}`]} currency={currency} onChange={(v) => set(f.name, v)} />
      ))}
    </InlineGrid>
  );
}

function ArgInput({
  field: f,
  id,
  value,
  error,
  currency,
  onChange,
}: {
  field: ArgField;
  id: string;
  value: string | string[] | undefined;
  error: string | undefined;
  currency: string;
  onChange: (v: string | string[]) => void;
}) {
  const str = typeof value === "string" ? value : "";
  const help = f.help ?? undefined;
  switch (f.kind) {
    case "choices": {
      const list = Array.isArray(value) ? value : [];
      return (
        <fieldset style={{ border: 0, margin: 0, padding: 0, gridColumn: "1 / -1" }} id={id}>
          <legend>
            <Text as="span">{f.label}</Text>
          </legend>
          <InlineStack gap="300">
            {f.options.map((o) => (
              <Checkbox
                key={o}
                label={CHOICE_LABELS[o] ?? o}
                checked={list.includes(o)}
                onChange={(checked) => onChange(checked ? [...list, o] : list.filter((x) => x !== o))}
              />
            ))}
          </InlineStack>
          {error ? (
            <Text as="p" tone="critical">
              {error}
            </Text>
          ) : null}
        </fieldset>
      );
    }
    case "choice":
      return (
        <Select label={f.label} id={id} options={f.options.map((o) => ({ label: CHOICE_LABELS[o] ?? o, value: o }))} value={str || f.options[0]} onChange={onChange} error={error} helpText={help} />
      );
    case "number":
    case "money":
      return (
        <TextField
          label={f.label}
          id={id}
          value={str}
          onChange={onChange}
          error={error}
          helpText={help}
          autoComplete="off"
          inputMode="decimal"
          suffix={f.kind === "money" ? currency : undefined}
          placeholder={f.optional ? "no limit" : undefined}
        />
      );
    case "list":
      return <TextField label={f.label} id={id} value={str} onChange={onChange} error={error} helpText={`${help ?? ""} Separate with commas.`.trim()} autoComplete="off" />;
    default:
      return <TextField label={f.label} id={id} value={str} onChange={onChange} error={error} helpText={help} autoComplete="off" multiline={f.name.toLowerCase().includes("message") || f.name === "instructions" ? 2 : undefined} />;
  }
}
