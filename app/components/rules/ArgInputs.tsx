// The inputs of one rule's generated fields (fields.ts), one per kind: amounts with the shop
// currency, percentages, selects for enums, tick boxes for lists of enums, a check box for a
// boolean, lines of numbers, nested objects as a group. Each input is named after its path and its
// id is that name with dashes, so errors keyed by field name land next to it.
import type { ReactNode } from "react";
import { Checkbox, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { ArgField } from "./fields";
import { inputId, type FieldValue, type FieldValues } from "./values";

export function ArgInputs({
  fields,
  prefix,
  values,
  error,
  currency,
  onChange,
}: {
  fields: readonly ArgField[];
  prefix: string;
  values: FieldValues;
  error: (name: string) => string | undefined;
  currency: string;
  onChange: (values: FieldValues) => void;
}) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
      {fields.map((f) =>
        f.kind === "object" ? (
          <fieldset key={f.name} style={{ border: 0, margin: 0, padding: 0, gridColumn: "1 / -1" }}>
            <legend>
              <Text as="span" fontWeight="semibold">
                {f.label}
              </Text>
            </legend>
            <ArgInputs
              fields={f.fields}
              prefix={`${prefix}${f.name}.`}
              values={(values[f.name] ?? {}) as FieldValues}
              error={error}
              currency={currency}
              onChange={(inner) => onChange({ ...values, [f.name]: inner })}
            />
          </fieldset>
        ) : (
          <ArgInput key={f.name} field={f} name={`${prefix}${f.name}`} value={values[f.name]} error={error(`${prefix}${f.name}`)} currency={currency} onChange={(v) => onChange({ ...values, [f.name]: v })} />
        ),
      )}
    </InlineGrid>
  );
}

function Wide({ children }: { children: ReactNode }) {
  return <div style={{ gridColumn: "1 / -1" }}>{children}</div>;
}

export function ArgInput({
  field: f,
  name,
  value,
  error,
  currency,
  onChange,
}: {
  field: ArgField;
  name: string;
  value: FieldValue | undefined;
  error: string | undefined;
  currency: string;
  onChange: (v: FieldValue) => void;
}) {
  const id = inputId(name);
  const str = typeof value === "string" ? value : "";
  const help = f.help ?? undefined;
  switch (f.kind) {
    case "number":
    case "percent":
    case "money":
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
          suffix={f.kind === "money" ? currency : f.kind === "percent" ? "%" : undefined}
          placeholder={f.nullable ? "no limit" : f.required ? undefined : "optional"}
        />
      );
    case "boolean":
      return <Checkbox label={f.label} name={name} id={id} value="true" checked={value === true} onChange={onChange} error={error} helpText={help} />;
    case "time":
    case "text":
    case "list": {
      const field = (
        <TextField
          label={f.label}
          name={name}
          id={id}
          value={str}
          onChange={onChange}
          error={error}
          helpText={f.kind === "list" ? `${help ?? ""} Separate with commas.`.trim() : help}
          autoComplete="off"
          placeholder={f.kind === "time" ? "HH:MM" : undefined}
          multiline={f.kind === "text" && f.multiline ? 2 : undefined}
        />
      );
      return f.kind === "text" && f.multiline ? <Wide>{field}</Wide> : field;
    }
    case "choice":
      return (
        <Select
          label={f.label}
          name={name}
          id={id}
          options={[...(f.nullable ? [{ label: "Any", value: "" }] : []), ...f.options]}
          value={str}
          onChange={onChange}
          error={error}
          helpText={help}
        />
      );
    case "choices": {
      const list = Array.isArray(value) ? value : [];
      return (
        <Wide>
          <fieldset style={{ border: 0, margin: 0, padding: 0 }} id={id} aria-describedby={error ? `${id}-error` : undefined}>
            <legend>
              <Text as="span">{f.label}</Text>
            </legend>
            <InlineStack gap="300">
              {f.options.map((o) => (
                <Checkbox
                  key={o.value}
                  label={o.label}
                  name={name}
                  value={o.value}
                  id={`${id}-${o.value}`}
                  checked={list.includes(o.value)}
                  onChange={(checked) => onChange(checked ? [...list, o.value] : list.filter((x) => x !== o.value))}
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
        </Wide>
      );
    }
    case "rows":
    case "json":
      return (
        <Wide>
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
        </Wide>
      );
    case "object":
      return null;
  }
}
