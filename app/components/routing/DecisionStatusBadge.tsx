// A routing decision's status as a badge in the merchant's words.
import { Badge } from "@shopify/polaris";

type Tone = "info" | "success" | "warning" | "critical" | "attention" | "new" | undefined;

export const DECISION_STATUS_LABELS: Record<string, { label: string; tone: Tone; help: string }> = {
  SUGGESTED: { label: "Suggested", tone: "info", help: "Nearhub chose a node and logged it; nothing was moved (suggest only)." },
  MOVING: { label: "Moving", tone: "attention", help: "Nearhub is moving the fulfillment orders in Shopify." },
  MOVED: { label: "Moved", tone: "success", help: "Shopify moved every fulfillment order to the chosen node." },
  PARTIAL: { label: "Partly moved", tone: "warning", help: "Some fulfillment orders moved; Shopify refused the others (see the moves)." },
  FAILED: { label: "Failed", tone: "critical", help: "Shopify refused the move; the order stays where Shopify put it." },
  UNROUTABLE: { label: "Unroutable", tone: "critical", help: "No node can ship this order; every node's reason is listed." },
  KEPT: { label: "Kept", tone: undefined, help: "Shopify's own choice was already the cheapest: nothing to move." },
};

export function DecisionStatusBadge({ status }: { status: string }) {
  const s = DECISION_STATUS_LABELS[status] ?? { label: status.toLowerCase(), tone: undefined };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
