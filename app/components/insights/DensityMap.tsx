// Where the orders are: one panel per city cluster, each H3 cell a hexagon shaded by its number of
// orders (darker = more), the shop's nodes on top with NetworkMap's markers, pilot clusters framed.
// Drawn from the geometry of network-map-geometry.ts (Web Mercator, fitted frames, scale bars);
// no tiles, nothing from the internet.
import { formatArea, METRIC, type Units } from "~/core/format/format";
import { Text } from "@shopify/polaris";
import { fitFrame, project, scaleBar, type Bounds } from "~/components/network-map-geometry";
import { Marker } from "~/components/NetworkMap";
import type { NodeKind } from "~/core/network/types";

export interface MapCell {
  cell: string;
  cluster: string;
  orders: number;
  boundary: [number, number][];
}

export interface MapCluster {
  cell: string;
  name: string;
  orders: number;
  pilot: boolean;
}

export interface MapNodePoint {
  id: string;
  name: string;
  kind: string;
  status: string;
  latitude: number;
  longitude: number;
}

const W = 420;
const H = 300;
/** Light to dark: how many orders a hexagon has, relative to the busiest hexagon. */
const RAMP = ["#fde7d9", "#fbc4a3", "#f59a6b", "#e8693d", "#c8441c", "#8f2a0d"];

export function densityColor(orders: number, max: number): string {
  if (max <= 0) return RAMP[0];
  const t = Math.sqrt(orders / max);
  return RAMP[Math.min(RAMP.length - 1, Math.floor(t * RAMP.length))];
}

export function DensityMap({ cells, clusters, nodes, maxPanels = 4, units = METRIC, cellAreaM2 }: { cells: MapCell[]; clusters: MapCluster[]; nodes: MapNodePoint[]; maxPanels?: number; units?: Units; cellAreaM2: number }) {
  const max = Math.max(0, ...cells.map((c) => c.orders));
  const shown = clusters.slice(0, maxPanels);
  return (
    <div>
      <div className="nh-density-panels">
        {shown.map((cl) => {
          const mine = cells.filter((c) => c.cluster === cl.cell);
          const b: Bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
          for (const c of mine)
            for (const [lat, lng] of c.boundary) {
              const p = project(lat, lng);
              b.minX = Math.min(b.minX, p.x);
              b.maxX = Math.max(b.maxX, p.x);
              b.minY = Math.min(b.minY, p.y);
              b.maxY = Math.max(b.maxY, p.y);
            }
          const frame = fitFrame(b, W, H, 16, 5_000);
          const inside = (lat: number, lng: number) => {
            const p = frame.toSvg(lat, lng);
            return p.x >= 0 && p.x <= W && p.y >= 0 && p.y <= H;
          };
          const lat0 = mine[0]?.boundary[0]?.[0] ?? 40;
          const bar = scaleBar(frame, lat0, W / 4);
          return (
            <figure key={cl.cell} className={`nh-density-panel${cl.pilot ? " nh-pilot" : ""}`} data-cluster={cl.name}>
              <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${cl.name}: ${cl.orders} orders in ${mine.length} hexagons`}>
                <rect className="nh-map-bg" width={W} height={H} />
                {mine.map((c) => (
                  <polygon
                    key={c.cell}
                    points={c.boundary.map(([lat, lng]) => {
                      const p = frame.toSvg(lat, lng);
                      return `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
                    }).join(" ")}
                    fill={densityColor(c.orders, max)}
                    stroke="#ffffff"
                    strokeWidth={0.5}
                  >
                    <title>{`${c.orders} orders`}</title>
                  </polygon>
                ))}
                {nodes
                  .filter((n) => inside(n.latitude, n.longitude))
                  .map((n) => {
                    const p = frame.toSvg(n.latitude, n.longitude);
                    return (
                      <g key={n.id}>
                        <title>{n.name}</title>
                        <Marker kind={n.kind as NodeKind} disabled={n.status !== "ACTIVE"} x={p.x} y={p.y} r={6} />
                      </g>
                    );
                  })}
                <g transform={`translate(12 ${H - 12})`}>
                  <rect x={-4} y={-14} width={bar.length + 50} height={20} rx={3} fill="#fff" fillOpacity={0.85} />
                  <path d={`M0 -4 V0 H${bar.length} V-4`} fill="none" stroke="#303030" strokeWidth={1.5} />
                  <text x={bar.length + 6} y={0} fontSize={11} fill="#303030">
                    {bar.label}
                  </text>
                </g>
              </svg>
              <figcaption>
                <Text as="span" fontWeight="semibold">
                  {cl.name}
                </Text>{" "}
                <Text as="span" tone="subdued">
                  {cl.orders.toLocaleString("en-US")} orders{cl.pilot ? " · suggested pilot" : ""}
                </Text>
              </figcaption>
            </figure>
          );
        })}
      </div>
      <div className="nh-density-legend" aria-label="Legend">
        <Text as="span" variant="bodySm">
          {`Orders per hexagon (about ${formatArea(cellAreaM2, units)}):`}
        </Text>
        {RAMP.map((c, i) => (
          <span key={c} style={{ display: "inline-flex", alignItems: "center", gap: 4 }}>
            <span style={{ width: 14, height: 14, background: c, display: "inline-block", borderRadius: 2 }} />
            <Text as="span" variant="bodySm">
              {i === 0 ? "fewest" : i === RAMP.length - 1 ? `most (${max})` : ""}
            </Text>
          </span>
        ))}
      </div>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </div>
  );
}

const CSS = `
.nh-density-panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
.nh-density-panel{margin:0;border:1px solid #e3e3e3;border-radius:8px;overflow:hidden;background:#fff}
.nh-density-panel.nh-pilot{border:2px solid #1a1a1a}
.nh-density-panel svg{display:block;width:100%;height:auto}
.nh-density-panel figcaption{padding:8px 12px}
.nh-density-panel .nh-map-bg{fill:#f6f8fa}
.nh-density-legend{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;margin-top:8px}
`;
