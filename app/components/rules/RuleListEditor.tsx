// The one editor for rule lists, flat (pricing rules, surge rules, surcharges) or nested (return
// rules: an outcome with its conditions): add, remove, reorder, pick a strategy, edit its args as
// fields generated from its zod schema. Inputs carry the stored shape's names
// (`${name}.${i}.args.${arg}`, `${name}.${i}.when.${j}.code`), so an ordinary form post carries
// them and form-data.ts reads them back. A rule being edited is checked in the browser with the
// same reader the action uses; until then the action's errors are shown.
import { useEffect, useMemo, useState } from "react";
import { BlockStack, Box, Button, InlineStack, Select, Text } from "@shopify/polaris";
import { ArgInput, ArgInputs } from "./ArgInputs";
import { ruleSpec, ruleSpecs, type RuleForm, type RuleSpec } from "./fields";
import { describeNestedRule } from "./describe";
import { nestedDraft, newNestedValue, ownFields, readNestedRules, type NestedRuleForm, type NestedRuleValue } from "./nested";
import { argName, codeName, inputId, newRuleValue, readRules, type Errors, type FieldValues, type RuleValue } from "./values";

const NO_ERRORS: Errors = {};

let nextKey = 0;
type Keyed<T> = T & { key: number; dirty: boolean };
const keyed = <T,>(value: T): Keyed<T> => ({ ...value, key: nextKey++, dirty: false });

/**
 * The list as the editor holds it: each rule with a key and a "being edited" flag (cleared
 * whenever the action answers anew), the values as posted, and the browser's own check of them.
 */
function useRuleList<T extends object>(initial: readonly T[], errors: Errors, check: (values: T[]) => Errors) {
  const [items, setItems] = useState<Keyed<T>[]>(() => initial.map(keyed));
  const answer = JSON.stringify(errors);
  useEffect(() => {
    setItems((list) => (list.some((it) => it.dirty) ? list.map((it) => ({ ...it, dirty: false })) : list));
  }, [answer]);
  const values = useMemo(() => items.map(({ key: _key, dirty: _dirty, ...value }) => value as unknown as T), [items]);
  const client = check(values);
  const update = (key: number, change: (item: T) => T) =>
    setItems((list) => list.map((it) => (it.key === key ? { ...it, ...change(it), key, dirty: true } : it)));
  const move = (index: number, delta: number) =>
    setItems((list) => {
      const next = list.map((it) => ({ ...it, dirty: true }));
      const [it] = next.splice(index, 1);
      next.splice(index + delta, 0, it);
      return next;
    });
  const remove = (key: number) => setItems((list) => list.filter((it) => it.key !== key).map((it) => ({ ...it, dirty: true })));
  const add = (value: T) => setItems((list) => [...list, keyed(value)]);
  return { items, values, client, update, move, remove, add };
}

/** The error to show for a field: the browser's own check once its rule is being edited, the action's before. */
const errorFor = (dirty: boolean, client: Errors, server: Errors) => (name: string) => (dirty ? client[name] : server[name]);

// ---------------------------------------------------------------------------------------------
// Flat lists

export interface RuleListEditorProps {
  form: RuleForm;
  /** Field name prefix: "pricingRules". */
  name: string;
  initial: readonly RuleValue[];
  /** The action's errors, keyed by field name. */
  errors?: Errors;
  currency: string;
  /** Show move up / down: the order matters (pricing rules run in order). */
  ordered?: boolean;
  addLabel: string;
  emptyText: string;
  /** What one rule is called in this list: "Surcharge", "Surge rule", "Pricing rule". */
  itemLabel?: string;
  /** Told the rules as shown after every change (e.g. to work an example). */
  onChange?: (rules: RuleValue[]) => void;
}

export function RuleListEditor({ form, name, initial, errors = NO_ERRORS, currency, ordered = false, addLabel, emptyText, itemLabel = "Rule", onChange }: RuleListEditorProps) {
  const { items, values, client, update, move, remove, add } = useRuleList(initial, errors, (v) => readRules(form, v, name, currency).errors);
  useEffect(() => onChange?.(values), [values, onChange]);
  const specs = ruleSpecs(form);

  return (
    <BlockStack gap="300">
      {items.length === 0 ? <Empty text={emptyText} /> : null}
      {items.map((item, index) => {
        const at = `${name}.${index}`;
        const spec = ruleSpec(form, item.code);
        const error = errorFor(item.dirty, client, errors);
        return (
          <Box key={item.key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <StrategySelect
                    label={ordered ? `Step ${index + 1}: ${itemLabel.toLowerCase()}` : `${itemLabel} ${index + 1}`}
                    name={codeName(at)}
                    specs={specs}
                    code={item.code}
                    error={error(codeName(at))}
                    onChange={(code) => update(item.key, () => newRuleValue(form, code, currency))}
                  />
                </div>
                <InlineStack gap="100" wrap={false}>
                  {ordered ? <MoveButtons index={index} count={items.length} what={`step ${index + 1}`} onMove={(d) => move(index, d)} /> : null}
                  <Button size="slim" tone="critical" variant="plain" onClick={() => remove(item.key)} accessibilityLabel={`Remove ${spec?.label ?? item.code}`}>
                    Remove
                  </Button>
                </InlineStack>
              </InlineStack>
              <StrategyArgs spec={spec} at={at} values={item.values} error={error} currency={currency} onChange={(values) => update(item.key, (it) => ({ ...it, values }))} />
            </BlockStack>
          </Box>
        );
      })}
      <AddControl label={addLabel} specs={specs} onAdd={(code) => add(newRuleValue(form, code, currency))} />
    </BlockStack>
  );
}

// ---------------------------------------------------------------------------------------------
// Nested lists: an outcome with its conditions

export interface NestedRuleListEditorProps {
  form: NestedRuleForm;
  name: string;
  initial: readonly NestedRuleValue[];
  errors?: Errors;
  currency: string;
  itemLabel?: string;
  addLabel: string;
  emptyText: string;
  /** Headings of the two parts of a rule. */
  conditionsHeading: string;
  outcomeHeading: string;
  noConditionsText: string;
}

export function NestedRuleListEditor({
  form,
  name,
  initial,
  errors = NO_ERRORS,
  currency,
  itemLabel = "Rule",
  addLabel,
  emptyText,
  conditionsHeading,
  outcomeHeading,
  noConditionsText,
}: NestedRuleListEditorProps) {
  const { items, values, client, update, move, remove, add } = useRuleList(initial, errors, (v) => readNestedRules(form, v, name, currency).errors);
  const conditionSpecs = ruleSpecs(form.conditions);
  const outcomeSpecs = ruleSpecs(form.outcome);
  const own = ownFields(form);

  return (
    <BlockStack gap="400">
      {items.length === 0 ? <Empty text={emptyText} /> : null}
      {items.map((item, i) => {
        const at = `${name}.${i}`;
        const error = errorFor(item.dirty, client, errors);
        const set = (change: (r: NestedRuleValue) => NestedRuleValue) => update(item.key, change);
        const off = form.enabledField !== undefined && item.own[form.enabledField] === false;
        const label = `${itemLabel} ${i + 1}`;
        // A problem with the rule as a whole, or with its hidden id (e.g. another rule has it).
        const ruleError = error(at) ?? (form.idField ? error(`${at}.${form.idField}`) : undefined);
        return (
          <Box key={item.key} padding="400" borderWidth="025" borderColor="border" borderRadius="300" background={off ? "bg-surface-secondary" : "bg-surface"}>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="start" gap="200">
                <div style={{ flex: 1, minWidth: 220 }}>
                  <InlineStack gap="300" blockAlign="end" wrap={false}>
                    {own.map((f) =>
                      f.name === form.idField ? (
                        <input key={f.name} type="hidden" name={`${at}.${f.name}`} value={String(item.own[f.name] ?? "")} />
                      ) : (
                        <div key={f.name} style={f.kind === "boolean" ? undefined : { flex: 1 }}>
                          <ArgInput
                            field={f.kind === "boolean" ? f : { ...f, label: `${label}: ${f.label.toLowerCase()}` }}
                            name={`${at}.${f.name}`}
                            value={item.own[f.name]}
                            error={error(`${at}.${f.name}`)}
                            currency={currency}
                            onChange={(v) => set((r) => ({ ...r, own: { ...r.own, [f.name]: v } }))}
                          />
                        </div>
                      ),
                    )}
                  </InlineStack>
                </div>
                <InlineStack gap="200" blockAlign="center">
                  <MoveButtons index={i} count={items.length} what={label.toLowerCase()} onMove={(d) => move(i, d)} />
                  <Button tone="critical" variant="plain" onClick={() => remove(item.key)} accessibilityLabel={`Remove ${label.toLowerCase()}`}>
                    Remove
                  </Button>
                </InlineStack>
              </InlineStack>
              {ruleError ? (
                <Text as="p" tone="critical">
                  {ruleError}
                </Text>
              ) : null}
              <Text as="p" variant="bodySm" tone="subdued">
                {describeNestedRule(form, nestedDraft(form, item, currency), currency)}
              </Text>

              <Text as="h3" variant="headingSm">
                {conditionsHeading}
              </Text>
              {item.when.length === 0 ? (
                <Text as="p" tone="subdued" variant="bodySm">
                  {noConditionsText}
                </Text>
              ) : null}
              {item.when.map((c, j) => {
                const cat = `${at}.when.${j}`;
                const spec = ruleSpec(form.conditions, c.code);
                return (
                  <Box key={j} padding="300" background="bg-surface-secondary" borderRadius="200">
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="center">
                        <input type="hidden" name={codeName(cat)} value={c.code} />
                        <Text as="p" fontWeight="semibold">
                          {spec?.label ?? `Unknown condition ${c.code}`}
                        </Text>
                        <Button
                          variant="plain"
                          tone="critical"
                          onClick={() => set((r) => ({ ...r, when: r.when.filter((_, k) => k !== j) }))}
                          accessibilityLabel={`Remove condition ${j + 1} of ${label.toLowerCase()}`}
                        >
                          Remove condition
                        </Button>
                      </InlineStack>
                      {error(codeName(cat)) ? (
                        <Text as="p" tone="critical">
                          {error(codeName(cat))}
                        </Text>
                      ) : null}
                      <StrategyArgs
                        spec={spec}
                        at={cat}
                        values={c.values}
                        error={error}
                        currency={currency}
                        onChange={(values) => set((r) => ({ ...r, when: r.when.map((x, k) => (k === j ? { ...x, values } : x)) }))}
                      />
                    </BlockStack>
                  </Box>
                );
              })}
              <AddControl
                label={`Condition to add to ${label.toLowerCase()}`}
                button="Add condition"
                specs={conditionSpecs}
                onAdd={(code) => set((r) => ({ ...r, when: [...r.when, newRuleValue(form.conditions, code, currency)] }))}
              />

              <Text as="h3" variant="headingSm">
                {outcomeHeading}
              </Text>
              <div style={{ maxWidth: 420 }}>
                <StrategySelect
                  label="Outcome"
                  name={codeName(`${at}.then`)}
                  specs={outcomeSpecs}
                  code={item.then.code}
                  error={error(codeName(`${at}.then`))}
                  onChange={(code) => set((r) => ({ ...r, then: newRuleValue(form.outcome, code, currency) }))}
                />
              </div>
              <StrategyArgs
                spec={ruleSpec(form.outcome, item.then.code)}
                at={`${at}.then`}
                values={item.then.values}
                error={error}
                currency={currency}
                onChange={(values) => set((r) => ({ ...r, then: { ...r.then, values } }))}
              />
            </BlockStack>
          </Box>
        );
      })}
      <InlineStack>
        <Button onClick={() => add(newNestedValue(form, values, currency))}>{addLabel}</Button>
      </InlineStack>
    </BlockStack>
  );
}

// ---------------------------------------------------------------------------------------------
// Pieces

function Empty({ text }: { text: string }) {
  return (
    <Text as="p" tone="subdued">
      {text}
    </Text>
  );
}

function StrategySelect({ label, name, specs, code, error, onChange }: { label: string; name: string; specs: RuleSpec[]; code: string; error?: string; onChange: (code: string) => void }) {
  const known = specs.some((s) => s.code === code);
  return (
    <Select
      label={label}
      name={name}
      id={inputId(name)}
      options={[...specs.map((s) => ({ label: s.label, value: s.code })), ...(known ? [] : [{ label: `Unknown rule ${code}`, value: code }])]}
      value={code}
      onChange={onChange}
      error={error}
    />
  );
}

function MoveButtons({ index, count, what, onMove }: { index: number; count: number; what: string; onMove: (delta: number) => void }) {
  return (
    <>
      <Button size="slim" disabled={index === 0} onClick={() => onMove(-1)} accessibilityLabel={`Move ${what} up`}>
        ↑
      </Button>
      <Button size="slim" disabled={index === count - 1} onClick={() => onMove(1)} accessibilityLabel={`Move ${what} down`}>
        ↓
      </Button>
    </>
  );
}

function AddControl({ label, button, specs, onAdd }: { label: string; button?: string; specs: RuleSpec[]; onAdd: (code: string) => void }) {
  const [code, setCode] = useState(specs[0]?.code ?? "");
  if (specs.length === 0) return null;
  return (
    <InlineStack gap="200" blockAlign="end">
      <div style={{ minWidth: 260 }}>
        <Select label={label} labelHidden options={specs.map((s) => ({ label: s.label, value: s.code }))} value={code} onChange={setCode} />
      </div>
      <Button onClick={() => onAdd(code)}>{button ?? label}</Button>
    </InlineStack>
  );
}

/** A strategy's summary and its generated fields. */
function StrategyArgs({
  spec,
  at,
  values,
  error,
  currency,
  onChange,
}: {
  spec: RuleSpec | null;
  at: string;
  values: FieldValues;
  error: (name: string) => string | undefined;
  currency: string;
  onChange: (values: FieldValues) => void;
}) {
  if (!spec) {
    return (
      <Text as="p" tone="critical">
        This rule is not known to this version of Nearhub; remove it or choose another.
      </Text>
    );
  }
  return (
    <BlockStack gap="300">
      {spec.summary ? (
        <Text as="p" variant="bodySm">
          {spec.summary}
          {spec.example ? <Text as="span" tone="subdued">{` ${spec.example}`}</Text> : null}
        </Text>
      ) : null}
      {spec.fields.length === 0 ? (
        <Text as="p" variant="bodySm" tone="subdued">
          Nothing to set.
        </Text>
      ) : (
        <ArgInputs fields={spec.fields} prefix={argName(at, "")} values={values} error={error} currency={currency} onChange={onChange} />
      )}
    </BlockStack>
  );
}
