// Geometry behind NetworkMap: Web Mercator projection, city clusters, panel framing and
// label placement. Plain functions so the map renders on the server and is tested without
// a browser; no tiles, no browser-only libraries.
import { METRES_PER_FOOT, METRES_PER_MILE, METRIC, type Units } from "~/core/format/format";
import type { NodeKind, NodeStatus, Polygon } from "~/core/network/types";

export interface MapNode {
  id: string;
  name: string;
  kind: NodeKind;
  status: NodeStatus;
  city: string;
  latitude: number;
  longitude: number;
  /** Service radius in metres, or null. */
  radiusM: number | null;
  polygon: Polygon | null;
}

export const EARTH_RADIUS_M = 6_378_137; // WGS 84 equatorial: Web Mercator's sphere
/** Mean Earth radius: ground distances (haversine, service radii) are measured on this sphere. */
export const MEAN_EARTH_RADIUS_M = 6_371_008.8;
const MAX_LAT = 85.05112878;

export interface Point {
  x: number;
  y: number;
}

/** Web Mercator in metres at the equator: x east, y south (SVG's y grows downwards). */
export function project(latitude: number, longitude: number): Point {
  const lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, latitude));
  const phi = (lat * Math.PI) / 180;
  return {
    x: (EARTH_RADIUS_M * longitude * Math.PI) / 180,
    y: -EARTH_RADIUS_M * Math.log(Math.tan(Math.PI / 4 + phi / 2)),
  };
}

/**
 * Ground metres → projected units at a latitude: the arc on the mean sphere, carried onto
 * Web Mercator's sphere, stretched by Mercator's 1/cos(latitude).
 */
export function metresToProjected(metres: number, latitude: number): number {
  return ((metres * EARTH_RADIUS_M) / MEAN_EARTH_RADIUS_M) / Math.cos((Math.max(-MAX_LAT, Math.min(MAX_LAT, latitude)) * Math.PI) / 180);
}

/** Great-circle distance in metres. */
export function haversineM(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const toRad = Math.PI / 180;
  const dLat = (bLat - aLat) * toRad;
  const dLng = (bLng - aLng) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * toRad) * Math.cos(bLat * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * MEAN_EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const CLUSTER_DISTANCE_M = 150_000;

export interface Cluster {
  key: string;
  /** The city of the node nearest the cluster's centre (Manhattan's, not a suburb's). */
  label: string;
  nodes: MapNode[];
}

/**
 * Groups nodes that are within `maxDistanceM` of another node of the group (single linkage),
 * so a metro area with its suburbs is one panel and far-apart cities are separate panels.
 * Clusters are ordered by size, then label; nodes keep their input order.
 */
export function clusterNodes(nodes: MapNode[], maxDistanceM = CLUSTER_DISTANCE_M): Cluster[] {
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      if (haversineM(nodes[i].latitude, nodes[i].longitude, nodes[j].latitude, nodes[j].longitude) <= maxDistanceM) {
        parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, MapNode[]>();
  nodes.forEach((node, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(node);
    else groups.set(root, [node]);
  });
  return [...groups.values()]
    .map((group) => {
      const label = centralCity(group);
      return { key: `${label}-${group[0].id}`, label, nodes: group };
    })
    .sort((a, b) => b.nodes.length - a.nodes.length || a.label.localeCompare(b.label));
}

function centralCity(nodes: MapNode[]): string {
  const lat = nodes.reduce((sum, n) => sum + n.latitude, 0) / nodes.length;
  const lng = nodes.reduce((sum, n) => sum + n.longitude, 0) / nodes.length;
  let best = nodes[0];
  for (const n of nodes) {
    if (haversineM(lat, lng, n.latitude, n.longitude) < haversineM(lat, lng, best.latitude, best.longitude)) best = n;
  }
  return best.city;
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Projected bounds of nodes and (optionally) their service areas. */
export function projectedBounds(nodes: MapNode[], withServiceAreas: boolean): Bounds {
  const b: Bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const add = (p: Point, r = 0) => {
    b.minX = Math.min(b.minX, p.x - r);
    b.maxX = Math.max(b.maxX, p.x + r);
    b.minY = Math.min(b.minY, p.y - r);
    b.maxY = Math.max(b.maxY, p.y + r);
  };
  for (const n of nodes) {
    const p = project(n.latitude, n.longitude);
    add(p);
    if (!withServiceAreas) continue;
    if (n.radiusM) add(p, metresToProjected(n.radiusM, n.latitude));
    for (const ring of n.polygon?.coordinates ?? []) for (const [lng, lat] of ring) add(project(lat, lng));
  }
  return b;
}

export interface Frame {
  width: number;
  height: number;
  /** SVG units per projected unit. */
  scale: number;
  toSvg(latitude: number, longitude: number): Point;
  /** Ground metres at `latitude` → SVG units. */
  metresToSvg(metres: number, latitude: number): number;
}

/**
 * Fits bounds into a width × height viewport with a margin, keeping the aspect ratio
 * (one scale for x and y, so circles stay circles). A single point gets `minSpanM` around it.
 */
export function fitFrame(bounds: Bounds, width: number, height: number, margin: number, minSpanM: number): Frame {
  let { minX, minY, maxX, maxY } = bounds;
  if (!Number.isFinite(minX)) {
    minX = minY = -minSpanM / 2;
    maxX = maxY = minSpanM / 2;
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const spanX = Math.max(maxX - minX, minSpanM);
  const spanY = Math.max(maxY - minY, minSpanM);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  return {
    width,
    height,
    scale,
    toSvg(latitude, longitude) {
      const p = project(latitude, longitude);
      return { x: width / 2 + (p.x - cx) * scale, y: height / 2 + (p.y - cy) * scale };
    },
    metresToSvg(metres, latitude) {
      return metresToProjected(metres, latitude) * scale;
    },
  };
}

/** A round ground distance (1, 2 or 5 × 10^n metres) whose bar is at most maxSvg long. */
export function scaleBar(frame: Frame, latitude: number, maxSvg: number, units: Units = METRIC): { metres: number; length: number; label: string } {
  const perMetre = frame.metresToSvg(1, latitude);
  const maxMetres = maxSvg / perMetre;
  // A round number of the shop's unit: 1, 2 or 5 × 10ⁿ km or m; miles, or feet under a mile.
  const round = (max: number) => {
    const power = 10 ** Math.floor(Math.log10(max));
    return [5, 2, 1].map((f) => f * power).find((m) => m <= max) ?? power;
  };
  if (units.unitSystem === "imperial") {
    const maxMiles = maxMetres / METRES_PER_MILE;
    if (maxMiles >= 1) {
      const miles = round(maxMiles);
      return { metres: miles * METRES_PER_MILE, length: miles * METRES_PER_MILE * perMetre, label: `${miles} mi` };
    }
    const feet = round(maxMetres / METRES_PER_FOOT);
    return { metres: feet * METRES_PER_FOOT, length: feet * METRES_PER_FOOT * perMetre, label: `${feet} ft` };
  }
  const metres = round(maxMetres);
  const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  return { metres, length: metres * perMetre, label };
}

export interface LabelBox {
  x: number;
  y: number;
  anchor: "start" | "end" | "middle";
  /** Bounding box used for collision tests. */
  box: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * Greedy label placement: right, left, above, below the marker; a label that would overlap
 * a placed label or leave the panel is dropped (the marker's <title> still names the node).
 */
export function placeLabels(
  items: { id: string; x: number; y: number; text: string }[],
  width: number,
  height: number,
  fontSize = 11,
  markerRadius = 7,
): Map<string, LabelBox> {
  const placed = new Map<string, LabelBox>();
  const boxes: LabelBox["box"][] = [];
  const charWidth = fontSize * 0.58;
  const overlaps = (a: LabelBox["box"], b: LabelBox["box"]) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  // Markers are obstacles too.
  const markers = items.map((i) => ({
    x0: i.x - markerRadius,
    y0: i.y - markerRadius,
    x1: i.x + markerRadius,
    y1: i.y + markerRadius,
  }));
  for (const item of items) {
    const w = item.text.length * charWidth;
    const h = fontSize;
    const gap = markerRadius + 3;
    const candidates: LabelBox[] = [
      { x: item.x + gap, y: item.y + h / 3, anchor: "start", box: { x0: item.x + gap, y0: item.y - h / 2, x1: item.x + gap + w, y1: item.y + h / 2 } },
      { x: item.x - gap, y: item.y + h / 3, anchor: "end", box: { x0: item.x - gap - w, y0: item.y - h / 2, x1: item.x - gap, y1: item.y + h / 2 } },
      { x: item.x, y: item.y - gap, anchor: "middle", box: { x0: item.x - w / 2, y0: item.y - gap - h, x1: item.x + w / 2, y1: item.y - gap } },
      { x: item.x, y: item.y + gap + h * 0.8, anchor: "middle", box: { x0: item.x - w / 2, y0: item.y + gap, x1: item.x + w / 2, y1: item.y + gap + h } },
    ];
    const fit = candidates.find(
      (c) =>
        c.box.x0 >= 2 &&
        c.box.y0 >= 2 &&
        c.box.x1 <= width - 2 &&
        c.box.y1 <= height - 2 &&
        !boxes.some((b) => overlaps(b, c.box)) &&
        !markers.some((m) => overlaps(m, c.box)),
    );
    if (fit) {
      placed.set(item.id, fit);
      boxes.push(fit.box);
    }
  }
  return placed;
}
