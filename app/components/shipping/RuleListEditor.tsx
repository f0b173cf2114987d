// An ordered list of `{ code, args }` rules (pricing rules, courier surge, carrier surcharges):
// pick a rule from the registry, fill the fields its argument schema generates, read what it
// does in plain words. Inputs are named `${prefix}.${i}.code` / `${prefix}.${i}.args.${name}`
// so an ordinary form post carries them; errors come back keyed by those names.
import { useEffect, useState } from "react";
import { BlockStack, Box, Button, Card, Checkbox, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { newRuleValue, ruleCodeName, ruleFieldName, type ArgField, type RuleFormValue, type RuleSpec } from "./rule-fields";

const CHOICE_LABELS: Record<string, string> = {
  SAME_DAY: "Same day",
  NEXT_DAY: "Next day",
  STANDARD: "Standard (carrier)",
  AUTONOMOUS: "Autonomous",
  PICKUP: "Pickup",
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

export interface RuleListEditorProps {
  prefix: string;
  specs: RuleSpec[];
  initial: RuleFormValue[];
  errors?: Record<string, string>;
  currency: string;
  /** Show move up / down: the order matters (pricing rules run in order). */
  ordered?: boolean;
  addLabel: string;
  emptyText: string;
  /** What one rule is called in this list: "Surcharge", "Surge rule", "Pricing rule". */
  itemLabel?: string;
  /** Told the rules as shown after every change (e.g. to work an example). */
  onChange?: (rules: RuleFormValue[]) => void;
}

let nextKey = 0;
type Item = RuleFormValue & { key: number };

export function RuleListEditor({ prefix, specs, initial, errors = {}, currency, ordered = false, addLabel, emptyText, onChange, itemLabel = "Rule" }: RuleListEditorProps) {
  const [items, setItems] = useState<Item[]>(() => initial.map((r) => ({ ...r, key: nextKey++ })));
  useEffect(() => {
    onChange?.(items.map(({ code, values }) => ({ code, values })));
  }, [items, onChange]);
  const [adding, setAdding] = useState(specs[0]?.code ?? "");
  const byCode = new Map(specs.map((s) => [s.code, s]));

  const update = (key: number, change: (item: Item) => Item) => setItems((list) => list.map((it) => (it.key === key ? change(it) : it)));
  const move = (index: number, delta: number) =>
    setItems((list) => {
      const next = [...list];
      const [it] = next.splice(index, 1);
      next.splice(index + delta, 0, it);
      return next;
    });

  return (
    <BlockStack gap="300">
      {items.length === 0 ? (
        <Text as="p" tone="subdued">
          {emptyText}
        </Text>
      ) : null}
      {items.map((item, index) => {
        const spec = byCode.get(item.code);
        const codeError = errors[ruleCodeName(prefix, index)];
        return (
          <Box key={item.key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Select
                    label={ordered ? `Step ${index + 1}: ${itemLabel.toLowerCase()}` : `${itemLabel} ${index + 1}`}
                    labelHidden={false}
                    name={ruleCodeName(prefix, index)}
                    id={`${prefix}-${index}-code`}
                    options={[
                      ...specs.map((s) => ({ label: s.label, value: s.code })),
                      ...(spec ? [] : [{ label: `Unknown rule ${item.code}`, value: item.code }]),
                    ]}
                    value={item.code}
                    onChange={(code) => {
                      const next = byCode.get(code);
                      update(item.key, (it) => (next ? { ...newRuleValue(next, currency), key: it.key } : it));
                    }}
                    error={codeError}
                  />
                </div>
                <InlineStack gap="100" wrap={false}>
                  {ordered ? (
                    <>
                      <Button size="slim" disabled={index === 0} onClick={() => move(index, -1)} accessibilityLabel={`Move step ${index + 1} up`}>
                        ↑
                      </Button>
                      <Button
                        size="slim"
                        disabled={index === items.length - 1}
                        onClick={() => move(index, 1)}
                        accessibilityLabel={`Move step ${index + 1} down`}
                      >
                        ↓
                      </Button>
                    </>
                  ) : null}
                  <Button
                    size="slim"
                    tone="critical"
                    variant="plain"
                    onClick={() => setItems((list) => list.filter((it) => it.key !== item.key))}
                    accessibilityLabel={`Remove ${spec?.label ?? item.code}`}
                  >
                    Remove
                  </Button>
                </InlineStack>
              </InlineStack>
              {spec?.summary ? (
                <Text as="p" variant="bodySm">
                  {spec.summary}
                  {spec.example ? <Text as="span" tone="subdued">{` ${spec.example}`}</Text> : null}
                </Text>
              ) : null}
              {spec ? (
                <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
                  {spec.fields.map((f) => (
                    <ArgInput
                      key={f.name}
                      field={f}
                      name={ruleFieldName(prefix, index, f.name)}
                      id={`${prefix}-${index}-${f.name}`}
                      value={item.values[f.name]}
                      error={errors[ruleFieldName(prefix, index, f.name)]}
                      currency={currency}
                      onChange={(v) => update(item.key, (it) => ({ ...it, values: { ...it.values, [f.name]: v } }))}
                    />
                  ))}
                </InlineGrid>
              ) : (
                <Text as="p" tone="critical">
                  This rule is not known to this version of Nearhub; remove it or choose another.
                </Text>
              )}
            </BlockStack>
          </Box>
        );
      })}
      {specs.length > 0 ? (
        <InlineStack gap="200" blockAlign="end">
          <div style={{ minWidth: 260 }}>
            <Select
              label={addLabel}
              labelHidden
              options={specs.map((s) => ({ label: s.label, value: s.code }))}
              value={adding}
              onChange={setAdding}
            />
          </div>
          <Button
            onClick={() => {
              const spec = byCode.get(adding);
              if (spec) setItems((list) => [...list, { ...newRuleValue(spec, currency), key: nextKey++ }]);
            }}
          >
            {addLabel}
          </Button>
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}

function ArgInput({
  field: f,
  name,
  id,
  value,
  error,
  currency,
  onChange,
}: {
  field: ArgField;
  name: string;
  id: string;
  value: string | string[] | undefined;
  error: string | undefined;
  currency: string;
  onChange: (v: string | string[]) => void;
}) {
  const str = typeof value === "string" ? value : "";
  const help = f.help ?? undefined;
  switch (f.kind) {
    case "number":
      return (
        <TextField
          label={f.label}
          name={name}
          id={id}
          value={str}
          onChange={onChange}
          error={error}
          helpText={help}
          autoComplete="off"
          inputMode="decimal"
          suffix={f.money ? currency : undefined}
          placeholder={f.required ? undefined : "optional"}
        />
      );
    case "time":
    case "text":
      return (
        <TextField
          label={f.label}
          name={name}
          id={id}
          value={str}
          onChange={onChange}
          error={error}
          helpText={help}
          autoComplete="off"
          placeholder={f.kind === "time" ? "HH:MM" : undefined}
        />
      );
    case "choice":
      return (
        <Select
          label={f.label}
          name={name}
          id={id}
          options={f.options.map((o) => ({ label: CHOICE_LABELS[o] ?? o, value: o }))}
          value={str || f.options[0]}
          onChange={onChange}
          error={error}
          helpText={help}
        />
      );
    case "choices": {
      const list = Array.isArray(value) ? value : str ? [str] : [];
      return (
        <fieldset style={{ border: 0, margin: 0, padding: 0, gridColumn: "1 / -1" }} aria-describedby={error ? `${id}-error` : undefined}>
          <legend>
            <Text as="span">{f.label}</Text>
          </legend>
          <InlineStack gap="300">
            {f.options.map((o) => (
              <Checkbox
                key={o}
                label={CHOICE_LABELS[o] ?? o}
                name={name}
                value={o}
                id={`${id}-${o}`}
                checked={list.includes(o)}
                onChange={(checked) => onChange(checked ? [...list, o] : list.filter((x) => x !== o))}
              />
            ))}
          </InlineStack>
          {help ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {help}
            </Text>
          ) : null}
          {error ? (
            <Text as="p" tone="critical" id={`${id}-error`}>
              {error}
            </Text>
          ) : null}
        </fieldset>
      );
    }
    case "rows":
    case "json":
      return (
        <div style={{ gridColumn: "1 / -1" }}>
          <TextField
            label={f.label}
            name={name}
            id={id}
            value={str}
            onChange={onChange}
            error={error}
            helpText={help ?? (f.kind === "rows" ? `One per line: ${f.columns.map((c) => c.label.toLowerCase()).join(", ")}` : "JSON")}
            autoComplete="off"
            multiline={3}
            monospaced
          />
        </div>
      );
  }
}

/** A card wrapping an editor with its title and explanation. */
export function RuleListCard({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <Text as="p" tone="subdued">
          {description}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}
