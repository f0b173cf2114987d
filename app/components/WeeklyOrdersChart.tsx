// Orders per week as an SVG bar chart, rendered on the server (no client charting needed).
import { Text } from "@shopify/polaris";

export interface WeekBar {
  weekStart: string; // ISO date (UTC Monday)
  orders: number;
}

const WIDTH = 900;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 24, left: 40 };

export function WeeklyOrdersChart({ weeks }: { weeks: WeekBar[] }) {
  if (weeks.length === 0) {
    return (
      <Text as="p" tone="subdued">
        No orders in the last year yet.
      </Text>
    );
  }
  const max = Math.max(1, ...weeks.map((w) => w.orders));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / weeks.length;
  const ticks = [0, Math.round(max / 2), max];
  const monthLabels = weeks
    .map((w, i) => ({ i, date: new Date(`${w.weekStart}T00:00:00Z`) }))
    .filter(({ i, date }, k, all) => k === 0 || date.getUTCMonth() !== all[k - 1].date.getUTCMonth() || i === 0);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby="weekly-orders-title">
      <title id="weekly-orders-title">
        Orders per week over the last {weeks.length} weeks; busiest week {max} orders
      </title>
      {ticks.map((t) => {
        const y = PAD.top + plotH - (t / max) * plotH;
        return (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} stroke="#e3e3e3" />
            <text x={PAD.left - 6} y={y + 4} fontSize="11" textAnchor="end" fill="#616161">
              {t}
            </text>
          </g>
        );
      })}
      {weeks.map((w, i) => {
        const h = (w.orders / max) * plotH;
        return (
          <rect key={w.weekStart} x={PAD.left + i * step + 1} y={PAD.top + plotH - h} width={Math.max(1, step - 2)} height={h} fill="#0b6e4f" rx="1">
            <title>{`Week of ${w.weekStart}: ${w.orders} orders`}</title>
          </rect>
        );
      })}
      {monthLabels.map(({ i, date }) => (
        <text key={i} x={PAD.left + i * step} y={HEIGHT - 6} fontSize="11" fill="#616161">
          {date.toLocaleString("en-US", { month: "short", timeZone: "UTC" })}
        </text>
      ))}
    </svg>
  );
}
