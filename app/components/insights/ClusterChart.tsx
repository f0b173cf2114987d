// Clusters side by side: orders a day as bars on one scale, the same-city share as a second bar,
// what local fulfilment saves (or costs more) a month as a figure; the suggested pilots stand out. Seen before read.
import { Badge, Text } from "@shopify/polaris";

export interface ChartCluster {
  cell: string;
  name: string;
  ordersPerDay: number;
  sameCityShare: number;
  saving: string | null;
  pilot: boolean;
}

export function ClusterChart({ clusters }: { clusters: ChartCluster[] }) {
  const max = Math.max(1, ...clusters.map((c) => c.ordersPerDay));
  return (
    <div className="nh-cluster-chart" role="table" aria-label="Orders a day and same-city share per cluster">
      <div role="row" className="nh-cc-row nh-cc-head">
        <span role="columnheader">Cluster</span>
        <span role="columnheader">Orders a day</span>
        <span role="columnheader">Same-city share</span>
        <span role="columnheader">Local fulfilment, a month</span>
      </div>
      {clusters.map((c) => (
        <div role="row" key={c.cell} className={`nh-cc-row${c.pilot ? " nh-cc-pilot" : ""}`} data-cluster={c.name}>
          <span role="cell">
            <Text as="span" fontWeight={c.pilot ? "bold" : undefined}>
              {c.name}
            </Text>{" "}
            {c.pilot ? <Badge tone="success">Pilot</Badge> : null}
          </span>
          <span role="cell" className="nh-cc-bar">
            <span style={{ width: `${Math.max(1, (c.ordersPerDay / max) * 100)}%`, background: c.pilot ? "#c8441c" : "#b5b5b5" }} />
            <em>{c.ordersPerDay.toFixed(1)}</em>
          </span>
          <span role="cell" className="nh-cc-bar">
            <span style={{ width: `${Math.max(1, c.sameCityShare * 100)}%`, background: c.pilot ? "#12805c" : "#b5b5b5" }} />
            <em>{Math.round(c.sameCityShare * 100)}%</em>
          </span>
          <span role="cell">
            <Text as="span" tone={c.saving ? undefined : "subdued"}>
              {c.saving ?? "no local node yet"}
            </Text>
          </span>
        </div>
      ))}
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </div>
  );
}

const CSS = `
.nh-cluster-chart{display:grid;gap:6px;font-size:14px}
.nh-cc-row{display:grid;grid-template-columns:minmax(9rem,1.2fr) 2fr 2fr minmax(7rem,1fr);gap:12px;align-items:center;padding:4px 0}
.nh-cc-head{font-weight:600;border-bottom:1px solid #e3e3e3}
.nh-cc-pilot{background:#fff7f2}
.nh-cc-bar{display:flex;align-items:center;gap:8px}
.nh-cc-bar span{display:block;height:16px;border-radius:3px;max-width:calc(100% - 3.5rem)}
.nh-cc-bar em{font-style:normal;font-variant-numeric:tabular-nums}
`;
