// State, "saving" flag and labelled text fields for a Remix form whose values are strings,
// shared by the courier and corridor editors.
import { useNavigation } from "@remix-run/react";
import { TextField } from "@shopify/polaris";
import { useState } from "react";
import type { FieldErrors } from "./form-utils";

export function useFormFields<V extends object>(opts: {
  initial: V;
  labels: Record<string, string>;
  errors: FieldErrors;
  idPrefix: string;
  intent: string;
}) {
  const [v, setV] = useState(opts.initial);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === opts.intent;
  const set = (key: keyof V & string) => (value: string) => setV((x) => ({ ...x, [key]: value }));
  const field = (key: keyof V & string, extra: { prefix?: string; suffix?: string; help?: string } = {}) => (
    <TextField
      label={opts.labels[key]}
      name={key}
      id={`${opts.idPrefix}-${key}`}
      value={v[key] as string}
      onChange={set(key)}
      error={opts.errors[key]}
      autoComplete="off"
      prefix={extra.prefix}
      suffix={extra.suffix}
      helpText={extra.help}
    />
  );
  return { v, setV, set, busy, field };
}
