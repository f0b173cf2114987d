// The chosen assignment against its alternatives as horizontal bars on one scale: the difference
// is seen before it is read. The chosen bar is dark; each alternative says what it would cost more.
import { Text } from "@shopify/polaris";

export interface ComparedOption {
  label: string;
  costMinor: number;
  cost: string;
  /** "+$2.10" against the chosen one, or "chosen". */
  note: string;
  chosen: boolean;
}

export function CostComparison({ options, title }: { options: ComparedOption[]; title: string }) {
  const scale = Math.max(1, ...options.map((o) => o.costMinor));
  return (
    <figure style={{ margin: 0 }} aria-label={title} data-testid="cost-comparison">
      <div style={{ display: "grid", gridTemplateColumns: "minmax(8rem, 14rem) 1fr", gap: "6px 12px", alignItems: "center" }}>
        {options.map((o, i) => (
          <div key={i} style={{ display: "contents" }}>
            <Text as="span" variant="bodySm" fontWeight={o.chosen ? "bold" : undefined}>
              {o.label}
            </Text>
            <div style={{ display: "flex", alignItems: "center", gap: 8 }}>
              <div
                style={{
                  width: `${Math.max(2, (o.costMinor / scale) * 100)}%`,
                  maxWidth: "calc(100% - 9rem)",
                  height: 18,
                  borderRadius: 3,
                  background: o.chosen ? "#1a1a1a" : "#b5b5b5",
                }}
              />
              <Text as="span" variant="bodySm" tone={o.chosen ? undefined : "subdued"}>
                {o.cost} {o.note}
              </Text>
            </div>
          </div>
        ))}
      </div>
    </figure>
  );
}
