// City clusters on the H3 grid: cells with enough orders a day are dense; dense cells within
// `joinRings` rings of each other form one cluster (a metro and its busy neighbourhoods), and the
// cells next to them (one ring) join it, so a cluster covers the sparser streets between and around
// its busy ones. Everything else is the long tail.
import { gridDiskDistances } from "h3-js";

export interface CellClusters {
  /** Cluster index of every cell that belongs to one. */
  cellCluster: Map<string, number>;
  /** Per cluster: its dense cells, and all its cells. */
  clusters: { dense: string[]; cells: string[] }[];
}

export function clusterCells(ordersByCell: ReadonlyMap<string, number>, minOrders: number, joinRings: number): CellClusters {
  const dense = [...ordersByCell.entries()]
    .filter(([, n]) => n >= minOrders)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([cell]) => cell);
  const denseSet = new Set(dense);
  const component = new Map<string, number>();
  const clusters: { dense: string[]; cells: string[] }[] = [];
  for (const start of dense) {
    if (component.has(start)) continue;
    const index = clusters.length;
    const members: string[] = [];
    const queue = [start];
    component.set(start, index);
    while (queue.length > 0) {
      const cell = queue.pop()!;
      members.push(cell);
      for (const ring of gridDiskDistances(cell, joinRings)) {
        for (const near of ring) {
          if (denseSet.has(near) && !component.has(near)) {
            component.set(near, index);
            queue.push(near);
          }
        }
      }
    }
    clusters.push({ dense: members.sort(), cells: [] });
  }
  // Neighbours join the nearest cluster (grid distance), the larger one on a tie.
  const claim = new Map<string, { cluster: number; distance: number }>();
  clusters.forEach((c, index) => {
    for (const cell of c.dense) {
      gridDiskDistances(cell, 1).forEach((ring, distance) => {
        for (const near of ring) {
          const prior = claim.get(near);
          if (!prior || distance < prior.distance || (distance === prior.distance && index < prior.cluster)) {
            claim.set(near, { cluster: index, distance });
          }
        }
      });
    }
  });
  const cellCluster = new Map<string, number>();
  for (const [cell, { cluster }] of claim) {
    cellCluster.set(cell, cluster);
    clusters[cluster].cells.push(cell);
  }
  for (const c of clusters) c.cells.sort();
  return { cellCluster, clusters };
}
