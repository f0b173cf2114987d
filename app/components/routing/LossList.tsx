// Why an alternative lost, or why a node could not ship: each reason as a badge and its sentence.
import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import { lossLabel } from "./explain";

export function LossList({ reasons }: { reasons: readonly { code: string; message: string }[] }) {
  return (
    <BlockStack gap="100">
      {reasons.map((r, k) => (
        <InlineStack key={k} gap="200" blockAlign="center" wrap={false}>
          <Badge tone={lossLabel(r.code).tone}>{lossLabel(r.code).label}</Badge>
          <Text as="span" variant="bodySm">
            {r.message}
          </Text>
        </InlineStack>
      ))}
    </BlockStack>
  );
}
