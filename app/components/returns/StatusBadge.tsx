// A return's (or line's) state as a badge, and its inspection countdown in words and colour.
import { Badge, Text } from "@shopify/polaris";
import { RETURN_STATUS_LABELS, type ReturnStatus } from "~/core/returns";

type Tone = "info" | "success" | "warning" | "critical" | "attention" | "new" | undefined;
const TONES: Record<ReturnStatus, Tone> = {
  requested: "attention",
  approved: "info",
  declined: undefined,
  kept: undefined,
  in_transit: "info",
  received: "warning",
  inspected: "new",
  restocked: "success",
  refurbishing: "attention",
  disposed: undefined,
  resold: "success",
};

export function StatusBadge({ status }: { status: ReturnStatus }) {
  const label = RETURN_STATUS_LABELS[status];
  return <Badge tone={TONES[status]}>{label.charAt(0).toUpperCase() + label.slice(1)}</Badge>;
}

export interface CountdownView {
  status: "not_received" | "on_time" | "due_soon" | "overdue" | "inspected";
  text: string;
}

/** "overdue by 3 h" in red and bold, "due in 5 h" in amber when due soon. */
export function CountdownText({ countdown }: { countdown: CountdownView }) {
  if (countdown.status === "overdue") {
    return (
      <span data-countdown="overdue">
        <Text as="span" tone="critical" fontWeight="bold">
          {countdown.text}
        </Text>
      </span>
    );
  }
  if (countdown.status === "due_soon") {
    return (
      <span data-countdown="due_soon">
        <Text as="span" tone="caution" fontWeight="semibold">
          {countdown.text}
        </Text>
      </span>
    );
  }
  return (
    <span data-countdown={countdown.status}>
      <Text as="span" tone={countdown.status === "on_time" ? undefined : "subdued"}>
        {countdown.text}
      </Text>
    </span>
  );
}
