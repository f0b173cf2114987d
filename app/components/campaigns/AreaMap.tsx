// A campaign's area: the ad circle around the hub at true scale, the H3 demand cells inside it
// shaded by their share of past orders (darker = more), the hub's marker and a scale bar. Drawn with
// the network map's geometry (Web Mercator, fitted frame); no tiles, nothing from the internet. The
// cells' boundaries come from the loader (h3-js on the server), so the browser gets plain points.
import { Text } from "@shopify/polaris";
import { fitFrame, metresToProjected, project, scaleBar } from "~/components/network-map-geometry";

export interface AreaCell {
  h3: string;
  orders: number;
  weight: number;
  /** [lat, lng] pairs (h3-js cellToBoundary). */
  boundary: [number, number][];
}

const W = 560;
const H = 380;
const RAMP = ["#bcd6ea", "#93bddc", "#6aa1cc", "#4684ba", "#2366a0", "#0d3f6e"];

/** A cell inside the circle with no past order: drawn, so the circle's coverage shows, but apart from the ramp. */
const EMPTY = "#eef0f2";

export function cellColor(weight: number, maxWeight: number): string {
  if (weight <= 0 || maxWeight <= 0) return EMPTY;
  const t = Math.sqrt(weight / maxWeight);
  return RAMP[Math.min(RAMP.length - 1, Math.floor(t * RAMP.length))];
}

export function AreaMap({
  latitude,
  longitude,
  radiusM,
  cells,
  hubName,
  radiusLabel,
}: {
  latitude: number;
  longitude: number;
  radiusM: number;
  cells: AreaCell[];
  hubName: string;
  radiusLabel: string;
}) {
  const centre = project(latitude, longitude);
  const r = metresToProjected(radiusM, latitude);
  const frame = fitFrame({ minX: centre.x - r, maxX: centre.x + r, minY: centre.y - r, maxY: centre.y + r }, W, H, 18, 2_000);
  const c = frame.toSvg(latitude, longitude);
  const rSvg = frame.metresToSvg(radiusM, latitude);
  const maxWeight = Math.max(0, ...cells.map((x) => x.weight));
  const bar = scaleBar(frame, latitude, W / 4);
  const orders = cells.reduce((sum, x) => sum + x.orders, 0);
  const withOrders = cells.filter((x) => x.weight > 0).length;
  return (
    <figure className="nh-area-map">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Ad area around ${hubName}: a circle of ${radiusLabel} radius; ${orders} past orders in ${withOrders} of its ${cells.length} cells`}
      >
        <rect width={W} height={H} fill="#f6f8fa" />
        {cells.map((cell) => (
          <polygon
            key={cell.h3}
            points={cell.boundary
              .map(([lat, lng]) => {
                const p = frame.toSvg(lat, lng);
                return `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
              })
              .join(" ")}
            fill={cellColor(cell.weight, maxWeight)}
            stroke={cell.weight > 0 ? "#ffffff" : "#dde1e5"}
            strokeWidth={0.6}
          >
            <title>{`${cell.orders} past ${cell.orders === 1 ? "order" : "orders"} (${Math.round(cell.weight * 100)}% of the area's)`}</title>
          </polygon>
        ))}
        <circle cx={c.x} cy={c.y} r={rSvg} fill="none" stroke="#12805c" strokeWidth={2.5} strokeDasharray="8 5" />
        <circle cx={c.x} cy={c.y} r={7} fill="#12805c" stroke="#fff" strokeWidth={2}>
          <title>{hubName}</title>
        </circle>
        <g transform={`translate(14 ${H - 14})`}>
          <rect x={-4} y={-16} width={bar.length + 56} height={22} rx={3} fill="#fff" fillOpacity={0.9} />
          <path d={`M0 -4 V0 H${bar.length} V-4`} fill="none" stroke="#303030" strokeWidth={1.5} />
          <text x={bar.length + 6} y={0} fontSize={12} fill="#303030">
            {bar.label}
          </text>
        </g>
      </svg>
      <figcaption>
        <Text as="span" fontWeight="semibold">
          {hubName}
        </Text>{" "}
        <Text as="span" tone="subdued">
          {`· ${radiusLabel} radius · ${withOrders} of ${cells.length} ${cells.length === 1 ? "cell" : "cells"} with past orders`}
        </Text>
        <span className="nh-area-legend" aria-label="Legend">
          <span className="nh-area-swatch">
            <span style={{ background: EMPTY, border: "1px solid #c9cdd1" }} />
            <Text as="span" variant="bodySm">
              no past orders
            </Text>
          </span>
          <Text as="span" variant="bodySm">
            Share of past orders:
          </Text>
          {RAMP.map((color, i) => (
            <span key={color} className="nh-area-swatch">
              <span style={{ background: color }} />
              <Text as="span" variant="bodySm">
                {i === 0 ? "least" : i === RAMP.length - 1 ? "most" : ""}
              </Text>
            </span>
          ))}
          <span className="nh-area-swatch">
            <span style={{ border: "2px dashed #12805c", background: "transparent" }} />
            <Text as="span" variant="bodySm">
              ad circle
            </Text>
          </span>
        </span>
      </figcaption>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </figure>
  );
}

const CSS = `
.nh-area-map{margin:0;border:1px solid #e3e3e3;border-radius:8px;overflow:hidden;background:#fff;max-width:720px}
.nh-area-map svg{display:block;width:100%;height:auto}
.nh-area-map figcaption{padding:8px 12px;display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center}
.nh-area-legend{display:inline-flex;flex-wrap:wrap;gap:6px 10px;align-items:center}
.nh-area-swatch{display:inline-flex;align-items:center;gap:4px}
.nh-area-swatch>span:first-child{width:14px;height:14px;display:inline-block;border-radius:2px;box-sizing:border-box}
`;
