// One option's cost as a stacked bar: a segment per cost component, coloured by kind, on a
// scale shared by every option of the quote, with a marker at the price the shopper pays.
import { Text } from "@shopify/polaris";

export interface BarComponent {
  code: string;
  label: string;
  amountMinor: number;
  amount: string;
  detail: string;
}

export const COST_KINDS = [
  { key: "handling", label: "Handling", color: "#5c6ac4" },
  { key: "collection", label: "Collection at the node", color: "#9c6ade" },
  { key: "courier", label: "Courier", color: "#47c1bf" },
  { key: "surge", label: "Surge", color: "#f49342" },
  { key: "freight", label: "Carrier freight", color: "#006fbb" },
  { key: "surcharge", label: "Carrier surcharges", color: "#de3618" },
  { key: "autonomous", label: "Autonomous", color: "#50b83c" },
  { key: "returns", label: "Expected returns", color: "#8a6116" },
  { key: "other", label: "Other", color: "#919eab" },
] as const;
export type CostKind = (typeof COST_KINDS)[number]["key"];

export function costKind(code: string): CostKind {
  if (code === "handling") return "handling";
  if (code === "node_pickup") return "collection";
  if (code === "courier_surge") return "surge";
  if (code.startsWith("courier_")) return "courier";
  if (code === "carrier_freight") return "freight";
  if (code.startsWith("surcharge")) return "surcharge";
  if (code.startsWith("autonomous")) return "autonomous";
  if (code.includes("return")) return "returns";
  return "other";
}

const COLOR = Object.fromEntries(COST_KINDS.map((k) => [k.key, k.color])) as Record<CostKind, string>;

export function CostBreakdownBar({
  components,
  scaleMinor,
  priceMinor,
  price,
  label,
}: {
  components: BarComponent[];
  /** The largest figure on the chart (all options share it). */
  scaleMinor: number;
  priceMinor: number;
  price: string;
  label: string;
}) {
  const scale = Math.max(1, scaleMinor);
  const pricePct = Math.min(100, (priceMinor / scale) * 100);
  return (
    <div role="img" aria-label={label} data-testid="cost-bar">
      <div style={{ position: "relative", height: 28, background: "#f1f1f1", borderRadius: 4, overflow: "visible" }}>
        <div style={{ display: "flex", height: "100%", borderRadius: 4, overflow: "hidden" }}>
          {components
            .filter((c) => c.amountMinor > 0)
            .map((c, i) => (
              <div
                key={i}
                title={`${c.label}: ${c.amount} (${c.detail})`}
                data-testid="cost-segment"
                data-kind={costKind(c.code)}
                style={{
                  width: `${(c.amountMinor / scale) * 100}%`,
                  background: COLOR[costKind(c.code)],
                  borderRight: "1px solid #fff",
                  minWidth: 2,
                }}
              />
            ))}
        </div>
        <div
          title={`Shopper pays ${price}`}
          style={{ position: "absolute", top: -4, bottom: -4, left: `calc(${pricePct}% - 1px)`, width: 2, background: "#1a1a1a" }}
        />
      </div>
      <div style={{ position: "relative", height: 16 }}>
        <span style={{ position: "absolute", left: `min(${pricePct}%, calc(100% - 7rem))`, whiteSpace: "nowrap" }}>
          <Text as="span" variant="bodySm">
            ▲ shopper pays {price}
          </Text>
        </span>
      </div>
    </div>
  );
}

export function CostLegend() {
  return (
    <div style={{ display: "flex", flexWrap: "wrap", gap: "4px 16px" }}>
      {COST_KINDS.map((k) => (
        <span key={k.key} style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          <span style={{ width: 12, height: 12, background: k.color, borderRadius: 2, display: "inline-block" }} />
          <Text as="span" variant="bodySm">
            {k.label}
          </Text>
        </span>
      ))}
    </div>
  );
}
