// A campaign's guardrails as sentences (guardrails.ts), for the launch's review and the campaign page.
import { List, Text } from "@shopify/polaris";
import type { RuleRef } from "~/core/rules/registry";
import { guardrailSentence } from "./guardrails";

export function GuardrailList({ guardrails, currency }: { guardrails: readonly RuleRef[]; currency: string }) {
  if (guardrails.length === 0) {
    return (
      <Text as="p" tone="subdued">
        This campaign runs without guardrails.
      </Text>
    );
  }
  return (
    <List>
      {guardrails.map((g, i) => (
        <List.Item key={`${g.code}-${i}`}>{guardrailSentence(g, currency)}</List.Item>
      ))}
    </List>
  );
}
