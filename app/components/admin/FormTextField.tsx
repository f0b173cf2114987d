// A Polaris TextField for a plain <Form> post: it keeps what is typed itself (Polaris fields are
// controlled) and sends it under `name`, starting from `defaultValue`.
import { useState } from "react";
import { TextField, type TextFieldProps } from "@shopify/polaris";

export type FormTextFieldProps = Omit<TextFieldProps, "value" | "onChange"> & { defaultValue?: string };

export function FormTextField({ defaultValue = "", ...props }: FormTextFieldProps) {
  const [value, setValue] = useState(defaultValue);
  return <TextField {...props} value={value} onChange={setValue} />;
}
