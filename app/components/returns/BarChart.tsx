// A horizontal bar chart as server-rendered SVG (the house style of WeeklyOrdersChart): one bar
// per row with its value written at the end, an optional target line (e.g. the 48 h inspection SLA).
import { Text } from "@shopify/polaris";

export interface Bar {
  label: string;
  /** null: no data for this row (drawn as "no data"). */
  value: number | null;
  display: string;
}

const ROW = 30;
const VALUE_W = 90;
const PAD = 8;

export function BarChart({
  id,
  title,
  bars,
  target,
  color = "#0b6e4f",
  width: WIDTH = 640,
}: {
  id: string;
  title: string;
  bars: Bar[];
  target?: { value: number; label: string };
  color?: string;
  /** viewBox width: wider for a full-width card, so text keeps its size. */
  width?: number;
}) {
  const LABEL_W = WIDTH >= 1000 ? 340 : 200;
  const maxLabel = WIDTH >= 1000 ? 52 : 30;
  if (bars.length === 0) {
    return (
      <Text as="p" tone="subdued">
        No data yet.
      </Text>
    );
  }
  const max = Math.max(target?.value ?? 0, ...bars.map((b) => b.value ?? 0), 1e-9);
  const plotW = WIDTH - LABEL_W - VALUE_W - PAD * 2;
  const height = bars.length * ROW + PAD * 2 + (target ? 14 : 0);
  const x = (v: number) => LABEL_W + PAD + (v / max) * plotW;
  const titleId = `${id}-title`;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={titleId} data-chart={id}>
      <title id={titleId}>{`${title}: ${bars.map((b) => `${b.label} ${b.display}`).join("; ")}`}</title>
      {bars.map((b, i) => {
        const y = PAD + i * ROW;
        const w = b.value === null ? 0 : Math.max(2, x(b.value) - x(0));
        return (
          <g key={`${b.label}-${i}`}>
            <text x={LABEL_W} y={y + ROW / 2 + 4} fontSize="12" textAnchor="end" fill="#303030">
              {b.label.length > maxLabel ? `${b.label.slice(0, maxLabel - 1)}…` : b.label}
            </text>
            {b.value === null ? null : <rect x={x(0)} y={y + 5} width={w} height={ROW - 10} fill={color} rx="2" />}
            <text x={b.value === null ? x(0) + 4 : x(0) + w + 6} y={y + ROW / 2 + 4} fontSize="12" fill={b.value === null ? "#8a8a8a" : "#303030"}>
              {b.value === null ? "no data" : b.display}
            </text>
          </g>
        );
      })}
      {target ? (
        <g>
          <line x1={x(target.value)} x2={x(target.value)} y1={PAD} y2={height - 14} stroke="#c70a24" strokeDasharray="4 3" />
          <text x={x(target.value)} y={height - 2} fontSize="11" textAnchor="middle" fill="#c70a24">
            {target.label}
          </text>
        </g>
      ) : null}
    </svg>
  );
}
