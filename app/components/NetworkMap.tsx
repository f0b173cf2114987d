// The network drawn without map tiles: an SVG per city cluster (nodes within ~150 km of
// each other) plus an overview panel when there is more than one cluster. Nodes are drawn
// by kind (shape and colour, with a legend), radius service areas as true-scale circles,
// polygon service areas as drawn. Pure SVG, rendered on the server like the rest of the page.
import { createContext, useContext, useId, type ReactElement } from "react";
import { formatRadius, METRIC, type Units } from "~/core/format/format";
import { NODE_KIND_LABELS, NODE_KINDS, type NodeKind } from "~/core/network/types";
import {
  clusterNodes,
  fitFrame,
  placeLabels,
  projectedBounds,
  scaleBar,
  type Cluster,
  type Frame,
  type MapNode,
} from "./network-map-geometry";

export type { MapNode } from "./network-map-geometry";

export const KIND_STYLE: Record<NodeKind, { color: string; shape: "square" | "circle" | "triangle" | "diamond" | "star" }> = {
  CENTRAL_WAREHOUSE: { color: "#1f4e8c", shape: "square" },
  MICRO_HUB: { color: "#12805c", shape: "circle" },
  MICRO_FACTORY: { color: "#b35c00", shape: "triangle" },
  STORE: { color: "#7b3fb0", shape: "diamond" },
  SELLER_STUDIO: { color: "#c0306b", shape: "star" },
};
const DISABLED_COLOR = "#8a8a8a";

const PANEL_W = 480;
const PANEL_H = 340;

/** The shop's units for radii and scale bars (metric unless the page passes the shop's). */
const UnitsContext = createContext<Units>(METRIC);

export function NetworkMap({ nodes, units = METRIC }: { nodes: MapNode[]; units?: Units }) {
  const clusters = clusterNodes(nodes);
  if (nodes.length === 0) return null;
  return (
    <UnitsContext.Provider value={units}>
    <div className="nh-map">
      <div className="nh-map-panels">
        {clusters.length > 1 ? <OverviewPanel clusters={clusters} /> : null}
        {clusters.map((cluster) => (
          <ClusterPanel key={cluster.key} cluster={cluster} />
        ))}
      </div>
      <Legend />
      {/* As raw HTML: React escapes quotes in <style> text on the server, which breaks hydration. */}
      <style dangerouslySetInnerHTML={{ __html: MAP_CSS }} />
    </div>
    </UnitsContext.Provider>
  );
}

function describeArea(node: MapNode, units: Units): string {
  const parts: string[] = [];
  if (node.radiusM) parts.push(`${formatRadius(node.radiusM, units)} radius`);
  if (node.polygon) parts.push("drawn polygon");
  return parts.length ? `serves a ${parts.join(" and a ")}` : "no service area set";
}

function nodeTitle(node: MapNode, units: Units): string {
  return `${node.name}: ${NODE_KIND_LABELS[node.kind]}, ${node.status === "ACTIVE" ? "active" : "disabled"}, ${node.city}, ${describeArea(node, units)}`;
}

function ClusterPanel({ cluster }: { cluster: Cluster }) {
  const id = useId();
  const units = useContext(UnitsContext);
  const frame = fitFrame(projectedBounds(cluster.nodes, true), PANEL_W, PANEL_H, 28, 20_000);
  const centerLat = cluster.nodes.reduce((s, n) => s + n.latitude, 0) / cluster.nodes.length;
  const points = cluster.nodes.map((n) => ({ node: n, ...frame.toSvg(n.latitude, n.longitude) }));
  const labels = placeLabels(
    points.map((p) => ({ id: p.node.id, x: p.x, y: p.y, text: p.node.name })),
    PANEL_W,
    PANEL_H,
  );
  const count = `${cluster.nodes.length} node${cluster.nodes.length === 1 ? "" : "s"}`;
  return (
    <figure className="nh-map-panel">
      <svg
        viewBox={`0 0 ${PANEL_W} ${PANEL_H}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        data-testid="network-map-panel"
      >
        <title id={`${id}-t`}>{`${cluster.label}: ${count}`}</title>
        <desc id={`${id}-d`}>
          {`Nodes around ${cluster.label} and their service areas, drawn to scale (Web Mercator, no background map). ` +
            cluster.nodes.map((n) => nodeTitle(n, units)).join(". ")}
        </desc>
        <rect width={PANEL_W} height={PANEL_H} className="nh-map-bg" />
        <Graticule frame={frame} />
        <g aria-hidden="true">
          {cluster.nodes.map((n) => (
            <ServiceArea key={n.id} node={n} frame={frame} />
          ))}
        </g>
        {points.map(({ node, x, y }) => (
          <g key={node.id} className="nh-map-node" data-node-id={node.id}>
            <title>{nodeTitle(node, units)}</title>
            <Marker kind={node.kind} disabled={node.status !== "ACTIVE"} x={x} y={y} r={7} />
          </g>
        ))}
        <g aria-hidden="true">
          {points.map(({ node }) => {
            const label = labels.get(node.id);
            return label ? (
              <text key={node.id} x={label.x} y={label.y} textAnchor={label.anchor} className="nh-map-label">
                {node.name}
              </text>
            ) : null;
          })}
        </g>
        <ScaleBar frame={frame} latitude={centerLat} />
        <text x={12} y={20} className="nh-map-heading" aria-hidden="true">
          {`${cluster.label} · ${count}`}
        </text>
      </svg>
    </figure>
  );
}

function OverviewPanel({ clusters }: { clusters: Cluster[] }) {
  const id = useId();
  const all = clusters.flatMap((c) => c.nodes);
  const frame = fitFrame(projectedBounds(all, false), PANEL_W, PANEL_H, 48, 50_000);
  const centers = clusters.map((c) => {
    const lat = c.nodes.reduce((s, n) => s + n.latitude, 0) / c.nodes.length;
    const lng = c.nodes.reduce((s, n) => s + n.longitude, 0) / c.nodes.length;
    return { cluster: c, ...frame.toSvg(lat, lng), lat };
  });
  const labels = placeLabels(
    centers.map((c) => ({ id: c.cluster.key, x: c.x, y: c.y, text: `${c.cluster.label} (${c.cluster.nodes.length})` })),
    PANEL_W,
    PANEL_H,
    12,
    10,
  );
  return (
    <figure className="nh-map-panel">
      <svg viewBox={`0 0 ${PANEL_W} ${PANEL_H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid="network-map-overview">
        <title id={`${id}-t`}>{`Overview: ${all.length} nodes in ${clusters.length} areas`}</title>
        <desc id={`${id}-d`}>
          {"Where the network's areas are relative to each other: " +
            clusters.map((c) => `${c.label} with ${c.nodes.length} nodes`).join(", ") +
            ". Each area has its own detailed panel."}
        </desc>
        <rect width={PANEL_W} height={PANEL_H} className="nh-map-bg" />
        <Graticule frame={frame} />
        <g aria-hidden="true">
          {all.map((n) => (
            <ServiceArea key={n.id} node={n} frame={frame} />
          ))}
        </g>
        {centers.map(({ cluster, x, y }) => (
          <g key={cluster.key} className="nh-map-node">
            <title>{`${cluster.label}: ${cluster.nodes.map((n) => n.name).join(", ")}`}</title>
            <circle cx={x} cy={y} r={9} className="nh-map-cluster" />
            <text x={x} y={y + 4} textAnchor="middle" className="nh-map-cluster-count" aria-hidden="true">
              {cluster.nodes.length}
            </text>
          </g>
        ))}
        <g aria-hidden="true">
          {centers.map(({ cluster }) => {
            const label = labels.get(cluster.key);
            return label ? (
              <text key={cluster.key} x={label.x} y={label.y} textAnchor={label.anchor} className="nh-map-label nh-map-label-lg">
                {`${cluster.label} (${cluster.nodes.length})`}
              </text>
            ) : null;
          })}
        </g>
        <ScaleBar frame={frame} latitude={centers.reduce((s, c) => s + c.lat, 0) / centers.length} />
        <text x={12} y={20} className="nh-map-heading" aria-hidden="true">
          Overview
        </text>
      </svg>
    </figure>
  );
}

function ServiceArea({ node, frame }: { node: MapNode; frame: Frame }) {
  const active = node.status === "ACTIVE";
  const color = active ? KIND_STYLE[node.kind].color : DISABLED_COLOR;
  const common = {
    fill: color,
    fillOpacity: active ? 0.1 : 0.05,
    stroke: color,
    strokeOpacity: 0.6,
    strokeWidth: 1,
    strokeDasharray: active ? undefined : "4 3",
  };
  const elements: ReactElement[] = [];
  if (node.radiusM) {
    const c = frame.toSvg(node.latitude, node.longitude);
    elements.push(<circle key="r" cx={c.x} cy={c.y} r={frame.metresToSvg(node.radiusM, node.latitude)} {...common} />);
  }
  if (node.polygon) {
    const d = node.polygon.coordinates
      .map(
        (ring) =>
          ring
            .map(([lng, lat], i) => {
              const p = frame.toSvg(lat, lng);
              return `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`;
            })
            .join(" ") + " Z",
      )
      .join(" ");
    elements.push(<path key="p" d={d} fillRule="evenodd" {...common} strokeDasharray="6 3" />);
  }
  return <>{elements}</>;
}

export function Marker({ kind, disabled, x, y, r }: { kind: NodeKind; disabled: boolean; x: number; y: number; r: number }) {
  const { color, shape } = KIND_STYLE[kind];
  const props = {
    fill: disabled ? "#ffffff" : color,
    stroke: disabled ? DISABLED_COLOR : "#ffffff",
    strokeWidth: disabled ? 2 : 1.5,
    strokeDasharray: disabled ? "2 2" : undefined,
  };
  switch (shape) {
    case "square":
      return <rect x={x - r * 0.85} y={y - r * 0.85} width={r * 1.7} height={r * 1.7} {...props} />;
    case "circle":
      return <circle cx={x} cy={y} r={r} {...props} />;
    case "triangle":
      return <polygon points={polygonPoints(x, y + r * 0.15, r * 1.15, 3, -90)} {...props} />;
    case "diamond":
      return <polygon points={polygonPoints(x, y, r * 1.1, 4, -90)} {...props} />;
    case "star":
      return <polygon points={starPoints(x, y, r * 1.2, r * 0.5)} {...props} />;
  }
}

function polygonPoints(cx: number, cy: number, r: number, sides: number, startDeg: number): string {
  return Array.from({ length: sides }, (_, i) => {
    const a = ((startDeg + (360 / sides) * i) * Math.PI) / 180;
    return `${(cx + r * Math.cos(a)).toFixed(1)},${(cy + r * Math.sin(a)).toFixed(1)}`;
  }).join(" ");
}

function starPoints(cx: number, cy: number, outer: number, inner: number): string {
  return Array.from({ length: 10 }, (_, i) => {
    const a = ((-90 + 36 * i) * Math.PI) / 180;
    const r = i % 2 === 0 ? outer : inner;
    return `${(cx + r * Math.cos(a)).toFixed(1)},${(cy + r * Math.sin(a)).toFixed(1)}`;
  }).join(" ");
}

const GRID_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20];

/** Latitude/longitude lines, so a map without tiles still reads as a place. */
function Graticule({ frame }: { frame: Frame }) {
  // Invert the frame at the corners by sampling: find the lat/lng range visible in the panel.
  const corners = inverseCorners(frame);
  const step =
    GRID_STEPS.find((s) => (corners.maxLng - corners.minLng) / s <= 6 && (corners.maxLat - corners.minLat) / s <= 6) ?? 20;
  const lines: ReactElement[] = [];
  const decimals = step < 0.1 ? 2 : step < 1 ? 1 : 0;
  for (let lng = Math.ceil(corners.minLng / step) * step; lng <= corners.maxLng; lng += step) {
    const { x } = frame.toSvg(0, lng);
    lines.push(<line key={`x${lng.toFixed(4)}`} x1={x} x2={x} y1={0} y2={frame.height} className="nh-map-grid" />);
    lines.push(
      <text key={`tx${lng.toFixed(4)}`} x={x + 3} y={frame.height - 4} className="nh-map-grid-label">
        {`${Math.abs(lng).toFixed(decimals)}°${lng < 0 ? "W" : "E"}`}
      </text>,
    );
  }
  for (let lat = Math.ceil(corners.minLat / step) * step; lat <= corners.maxLat; lat += step) {
    const { y } = frame.toSvg(lat, 0);
    lines.push(<line key={`y${lat.toFixed(4)}`} x1={0} x2={frame.width} y1={y} y2={y} className="nh-map-grid" />);
    lines.push(
      <text key={`ty${lat.toFixed(4)}`} x={frame.width - 4} y={y - 3} textAnchor="end" className="nh-map-grid-label">
        {`${Math.abs(lat).toFixed(decimals)}°${lat < 0 ? "S" : "N"}`}
      </text>,
    );
  }
  return <g aria-hidden="true">{lines}</g>;
}

function inverseCorners(frame: Frame) {
  // Mercator inverse from the frame: x is linear in longitude, y is monotonic in latitude.
  const lngAt = (x: number) => {
    const a = frame.toSvg(0, 0).x;
    const b = frame.toSvg(0, 1).x;
    return (x - a) / (b - a);
  };
  const latAt = (y: number) => {
    let lo = -85;
    let hi = 85;
    for (let i = 0; i < 50; i++) {
      const mid = (lo + hi) / 2;
      if (frame.toSvg(mid, 0).y > y) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  return { minLng: lngAt(0), maxLng: lngAt(frame.width), minLat: latAt(frame.height), maxLat: latAt(0) };
}

function ScaleBar({ frame, latitude }: { frame: Frame; latitude: number }) {
  const bar = scaleBar(frame, latitude, 110, useContext(UnitsContext));
  const x = 14;
  const y = frame.height - 22;
  return (
    <g aria-hidden="true" className="nh-map-scale">
      <rect x={x - 6} y={y - 16} width={bar.length + 12} height={26} rx={4} fill="#ffffff" fillOpacity={0.85} />
      <path d={`M${x} ${y - 4} V${y} H${x + bar.length} V${y - 4}`} fill="none" stroke="#303030" strokeWidth={1.5} />
      <text x={x + bar.length / 2} y={y - 6} textAnchor="middle" className="nh-map-scale-label">
        {bar.label}
      </text>
    </g>
  );
}

function Legend() {
  return (
    <ul className="nh-map-legend" aria-label="Map legend">
      {NODE_KINDS.map((kind) => (
        <li key={kind}>
          <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
            <Marker kind={kind} disabled={false} x={9} y={9} r={6} />
          </svg>
          {NODE_KIND_LABELS[kind]}
        </li>
      ))}
      <li>
        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
          <Marker kind="MICRO_HUB" disabled x={9} y={9} r={6} />
        </svg>
        Disabled (hollow)
      </li>
      <li>
        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
          <circle cx={9} cy={9} r={7.5} fill="#12805c" fillOpacity={0.12} stroke="#12805c" strokeOpacity={0.6} />
        </svg>
        Service area (radius or polygon, to scale)
      </li>
    </ul>
  );
}

const MAP_CSS = `
.nh-map-panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
.nh-map-panel{margin:0;border:1px solid #e3e3e3;border-radius:8px;overflow:hidden;background:#f6f8fa}
.nh-map-panel svg{display:block;width:100%;height:auto}
.nh-map-bg{fill:#f6f8fa}
.nh-map-grid{stroke:#dde3e8;stroke-width:1}
.nh-map-grid-label{font:9px sans-serif;fill:#98a2ab}
.nh-map-label{font:11px -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;fill:#303030;paint-order:stroke;stroke:#f6f8fa;stroke-width:3px;stroke-linejoin:round}
.nh-map-label-lg{font-size:12px;font-weight:600}
.nh-map-heading{font:600 13px -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;fill:#303030;paint-order:stroke;stroke:#f6f8fa;stroke-width:4px}
.nh-map-cluster{fill:#303030;stroke:#fff;stroke-width:2}
.nh-map-cluster-count{font:600 10px sans-serif;fill:#fff}
.nh-map-scale-label{font:10px sans-serif;fill:#303030}
.nh-map-legend{display:flex;flex-wrap:wrap;gap:6px 16px;list-style:none;margin:12px 0 0;padding:0;font-size:13px;color:#303030}
.nh-map-legend li{display:flex;align-items:center;gap:6px}
`;
