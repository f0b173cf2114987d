// A row of figure cards (a label, a large number, optionally a line under it): the Overview, Shipping
// and Compliance pages show their few numbers the same way.
import type { ReactNode } from "react";
import { BlockStack, Card, InlineGrid, Text, type TextProps } from "@shopify/polaris";

export interface Stat {
  label: string;
  value: number | string;
  tone?: TextProps["tone"];
  /** Under the number: a link, a badge. */
  footer?: ReactNode;
}

export function StatCards({ stats, columns = { xs: 2, md: 4 } }: { stats: readonly Stat[]; columns?: { xs?: number; sm?: number; md?: number } }) {
  return (
    <InlineGrid columns={columns} gap="400">
      {stats.map((s) => (
        <Card key={s.label}>
          <BlockStack gap="100">
            <Text as="p" variant="bodySm" tone="subdued">
              {s.label}
            </Text>
            <Text as="p" variant="headingXl" tone={s.tone}>
              {typeof s.value === "number" ? s.value.toLocaleString("en-US") : s.value}
            </Text>
            {s.footer}
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}
