// The plan's H3 demand cells with their boundaries for AreaMap, computed in the loader so h3-js
// stays on the server and the browser receives plain points.
import { cellToBoundary } from "h3-js";
import type { PlanCell } from "~/core/promotions/types";
import type { AreaCell } from "./AreaMap";

export function areaCells(cells: readonly PlanCell[]): AreaCell[] {
  return cells.flatMap((c) => {
    try {
      return [{ h3: c.h3, orders: c.orders, weight: c.weight, boundary: cellToBoundary(c.h3) as [number, number][] }];
    } catch {
      return []; // not a cell index: nothing to draw
    }
  });
}
