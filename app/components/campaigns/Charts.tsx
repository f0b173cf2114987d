// Per-day charts of campaigns (recharts, ADR 0037): money per day (spend against profit after
// landed cost, optionally revenue) on one axis in the shop's currency, and orders per day on their
// own chart, so no axis mixes units. Bars start at zero, so they are to scale; profit below zero
// goes below the axis. Rendered in the browser (recharts measures its container); the caption says
// in words what the chart shows.
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { Text } from "@shopify/polaris";
import { currencyDigits } from "~/core/money/money";
import { dayText, major, money } from "./format";

export interface DayPoint {
  day: string;
  spendMinor: number;
  revenueMinor: number;
  profitMinor: number;
  orders: number;
}

const COLORS = { spend: "#2366a0", revenue: "#8a6d00", profit: "#12805c", orders: "#6b4fbb" };

/** Before the first day's results there is nothing to draw: a sentence instead of empty axes. */
function NoDays({ title }: { title: string }) {
  return (
    <figure className="nh-chart nh-chart-empty" aria-label={title}>
      <Text as="p" tone="subdued">
        {`${title}: no results yet. The platform's figures for each day arrive overnight, with the orders Nearhub attributes to the campaign.`}
      </Text>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </figure>
  );
}

export function MoneyPerDayChart({ days, currency, withRevenue = false, title }: { days: DayPoint[]; currency: string; withRevenue?: boolean; title: string }) {
  if (days.length === 0) return <NoDays title={title} />;
  const data = days.map((d) => ({
    day: dayText(d.day),
    spend: major(d.spendMinor, currency),
    revenue: major(d.revenueMinor, currency),
    profit: major(d.profitMinor, currency),
  }));
  const compact = new Intl.NumberFormat("en-US", { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 });
  const spend = days.reduce((s, d) => s + d.spendMinor, 0);
  const profit = days.reduce((s, d) => s + d.profitMinor, 0);
  return (
    <figure className="nh-chart" aria-label={title}>
      <div className="nh-chart-box">
        <ComposedChart responsive data={data} style={{ width: "100%", height: 280 }} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#ebebeb" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 12, fill: "#4a4a4a" }} minTickGap={16} />
          <YAxis tick={{ fontSize: 12, fill: "#4a4a4a" }} tickFormatter={(v: number) => compact.format(v)} width={64} />
          <ReferenceLine y={0} stroke="#8a8a8a" />
          <Tooltip formatter={(v) => money(Math.round(Number(v) * 10 ** currencyDigits(currency)), currency)} />
          <Legend />
          <Bar dataKey="spend" name="Ad spend" fill={COLORS.spend} isAnimationActive={false} />
          {withRevenue ? <Bar dataKey="revenue" name="Revenue" fill={COLORS.revenue} isAnimationActive={false} /> : null}
          <Bar dataKey="profit" name="Profit after landed cost" fill={COLORS.profit} isAnimationActive={false} />
        </ComposedChart>
      </div>
      <figcaption>
        <Text as="span" variant="bodySm" tone="subdued">
          {days.length === 0
            ? "No days with results yet."
            : `${title}: ${days.length} ${days.length === 1 ? "day" : "days"}, ${money(spend, currency)} spent, ${money(profit, currency)} profit after landed cost.`}
        </Text>
      </figcaption>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </figure>
  );
}

export function OrdersPerDayChart({ days, title }: { days: DayPoint[]; title: string }) {
  if (days.length === 0) return <NoDays title={title} />;
  const data = days.map((d) => ({ day: dayText(d.day), orders: d.orders }));
  const total = days.reduce((s, d) => s + d.orders, 0);
  return (
    <figure className="nh-chart" aria-label={title}>
      <div className="nh-chart-box">
        <BarChart responsive data={data} style={{ width: "100%", height: 220 }} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#ebebeb" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 12, fill: "#4a4a4a" }} minTickGap={16} />
          <YAxis tick={{ fontSize: 12, fill: "#4a4a4a" }} allowDecimals={false} width={40} />
          <Tooltip />
          <Bar dataKey="orders" name="Orders" fill={COLORS.orders} isAnimationActive={false} />
        </BarChart>
      </div>
      <figcaption>
        <Text as="span" variant="bodySm" tone="subdued">
          {days.length === 0 ? "No days with results yet." : `${title}: ${total} ${total === 1 ? "order" : "orders"} over ${days.length} ${days.length === 1 ? "day" : "days"}.`}
        </Text>
      </figcaption>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </figure>
  );
}

/** Per-day figures summed across campaigns (the list's chart), oldest day first. */
export function sumDays(lists: ReadonlyArray<ReadonlyArray<DayPoint>>): DayPoint[] {
  const byDay = new Map<string, DayPoint>();
  for (const list of lists)
    for (const d of list) {
      const acc = byDay.get(d.day) ?? { day: d.day, spendMinor: 0, revenueMinor: 0, profitMinor: 0, orders: 0 };
      acc.spendMinor += d.spendMinor;
      acc.revenueMinor += d.revenueMinor;
      acc.profitMinor += d.profitMinor;
      acc.orders += d.orders;
      byDay.set(d.day, acc);
    }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

const CSS = `
.nh-chart{margin:0;min-width:0}
.nh-chart-box{width:100%;min-width:0;min-height:220px}
.nh-chart figcaption{margin-top:4px}
.nh-chart-empty{padding:16px;border:1px dashed #c9cccf;border-radius:8px}
`;
