// NetworkMap without a browser: projection and true-scale service areas, city clusters, label
// placement, and the server-rendered SVG (accessible names, one panel per city plus overview).
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NetworkMap } from "~/components/NetworkMap";
import {
  clusterNodes,
  fitFrame,
  haversineM,
  metresToProjected,
  placeLabels,
  project,
  projectedBounds,
  scaleBar,
  type MapNode,
} from "~/components/network-map-geometry";

const node = (id: string, city: string, latitude: number, longitude: number, extra: Partial<MapNode> = {}): MapNode => ({
  id,
  name: `${city} ${id}`,
  kind: "MICRO_HUB",
  status: "ACTIVE",
  city,
  latitude,
  longitude,
  radiusM: null,
  polygon: null,
  ...extra,
});

const NYC = [
  node("wb", "Brooklyn", 40.7145, -73.9566, { radiusM: 10_000 }),
  node("ch", "New York", 40.7465, -73.9974, {
    polygon: { type: "Polygon", coordinates: [[[-74.02, 40.7], [-73.97, 40.71], [-73.94, 40.8], [-74.02, 40.7]]] },
  }),
  node("sc", "Secaucus", 40.7895, -74.0565, { kind: "CENTRAL_WAREHOUSE" }),
  node("lic", "Long Island City", 40.7447, -73.9485, { kind: "MICRO_FACTORY", status: "DISABLED" }),
];
const AUSTIN = [node("ea", "Austin", 30.2622, -97.7207, { radiusM: 12_000 }), node("sco", "Austin", 30.2487, -97.7497, { kind: "STORE" })];

describe("projection", () => {
  it("is Web Mercator: origin at 0,0, north is up (smaller y), x linear in longitude", () => {
    expect(project(0, 0).x).toBe(0);
    expect(project(0, 0).y).toBeCloseTo(0, 6);
    expect(project(40, 0).y).toBeLessThan(0);
    expect(project(0, 90).x / project(0, 45).x).toBeCloseTo(2, 10);
  });

  it("scales ground metres by 1/cos(latitude)", () => {
    expect(metresToProjected(1000, 0)).toBeCloseTo(1000 * (6_378_137 / 6_371_008.8), 9);
    expect(metresToProjected(1000, 60) / metresToProjected(1000, 0)).toBeCloseTo(2, 9);
  });

  it("draws a radius to true scale: the circle's edge is that many metres from the node on the ground", () => {
    const frame = fitFrame(projectedBounds(NYC, true), 480, 340, 28, 20_000);
    const hub = NYC[0];
    const centre = frame.toSvg(hub.latitude, hub.longitude);
    const r = frame.metresToSvg(hub.radiusM!, hub.latitude);
    // Walk east along the parallel until the projected distance equals r; measure it on the ground.
    let lo = hub.longitude;
    let hi = hub.longitude + 1;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (frame.toSvg(hub.latitude, mid).x - centre.x < r) lo = mid;
      else hi = mid;
    }
    expect(haversineM(hub.latitude, hub.longitude, hub.latitude, lo)).toBeCloseTo(10_000, -1);
  });

  it("fits the bounds inside the panel with one scale for both axes", () => {
    const frame = fitFrame(projectedBounds(NYC, true), 480, 340, 28, 20_000);
    for (const n of NYC) {
      const p = frame.toSvg(n.latitude, n.longitude);
      expect(p.x).toBeGreaterThanOrEqual(28);
      expect(p.x).toBeLessThanOrEqual(480 - 28);
      expect(p.y).toBeGreaterThanOrEqual(28);
      expect(p.y).toBeLessThanOrEqual(340 - 28);
    }
  });

  it("picks a round scale bar that fits", () => {
    const frame = fitFrame(projectedBounds(NYC, true), 480, 340, 28, 20_000);
    const bar = scaleBar(frame, 40.75, 110);
    expect(bar.length).toBeLessThanOrEqual(110);
    expect(String(bar.metres)).toMatch(/^[125]0*$/);
    expect(bar.label).toMatch(/^\d+ (km|m)$/);
  });
});

describe("clusterNodes", () => {
  it("puts New York and Austin in separate clusters, named after the central city", () => {
    const clusters = clusterNodes([...AUSTIN, ...NYC]);
    expect(clusters.map((c) => [c.label, c.nodes.length])).toEqual([
      ["New York", 4],
      ["Austin", 2],
    ]);
  });

  it("links nodes in a chain within 150 km of each other", () => {
    // Three towns 100 km apart on a line: one cluster, though the ends are 200 km apart.
    const chain = [node("a", "A", 40, -80), node("b", "B", 40.9, -80), node("c", "C", 41.8, -80)];
    expect(clusterNodes(chain)).toHaveLength(1);
    expect(clusterNodes(chain, 50_000)).toHaveLength(3);
  });
});

describe("placeLabels", () => {
  it("never overlaps two labels and keeps them inside the panel", () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ id: String(i), x: 100 + (i % 4) * 6, y: 100 + Math.floor(i / 4) * 6, text: `Node number ${i}` }));
    const placed = [...placeLabels(items, 300, 200).values()];
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThan(items.length); // some are dropped rather than overlapped
    for (const a of placed) {
      expect(a.box.x0).toBeGreaterThanOrEqual(0);
      expect(a.box.x1).toBeLessThanOrEqual(300);
      for (const b of placed) {
        if (a === b) continue;
        const overlap = a.box.x0 < b.box.x1 && b.box.x0 < a.box.x1 && a.box.y0 < b.box.y1 && b.box.y0 < a.box.y1;
        expect(overlap).toBe(false);
      }
    }
  });
});

describe("NetworkMap (server-rendered)", () => {
  it("renders an overview and one accessible panel per city, each node with its own <title>", () => {
    const html = renderToStaticMarkup(<NetworkMap nodes={[...NYC, ...AUSTIN]} />);
    expect(html.match(/<svg[^>]*role="img"/g)).toHaveLength(3);
    expect(html).toContain('data-testid="network-map-overview"');
    expect(html.match(/data-testid="network-map-panel"/g)).toHaveLength(2);
    expect(html).toMatch(/<title id="[^"]+">New York: 4 nodes<\/title>/);
    expect(html).toMatch(/<title id="[^"]+">Austin: 2 nodes<\/title>/);
    expect(html).toContain("<title>Brooklyn wb: City micro-hub, active, Brooklyn, serves a 10 km radius</title>");
    expect(html).toContain("<title>Long Island City lic: Micro-factory, disabled, Long Island City, no service area set</title>");
    expect(html).toContain("serves a drawn polygon");
    // Every svg is labelled by its title and description.
    for (const match of html.matchAll(/<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"/g)) {
      for (const id of match[1].split(" ")) expect(html).toContain(`id="${id}"`);
    }
    // The legend names every kind; CSS is emitted raw (no &quot; that would break hydration).
    for (const label of ["Central warehouse", "City micro-hub", "Micro-factory", "Store", "Creator studio"]) expect(html).toContain(label);
    expect(html).not.toMatch(/<style>[^<]*&quot;/);
  });

  it("has no overview when every node is in one city, and nothing without nodes", () => {
    const html = renderToStaticMarkup(<NetworkMap nodes={AUSTIN} />);
    expect(html).not.toContain("network-map-overview");
    expect(html.match(/data-testid="network-map-panel"/g)).toHaveLength(1);
    expect(renderToStaticMarkup(<NetworkMap nodes={[]} />)).toBe("");
  });
});
