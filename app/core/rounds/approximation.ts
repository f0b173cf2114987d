// The continuous approximation of the length of a day's delivery rounds, for when there is no order
// history to route (or to price a cell and hour without routing).
//
// Daganzo, C. F. (1984), "The distance traveled to visit N points with a maximum of C stops per
// vehicle: an analytic model and an application", Transportation Science 18(4), 331–350:
//
//     L ≈ 2·r·⌈N / C⌉ + k·√(N·A)
//
// N stops scattered over an area A, routes of at most C stops, r the line-haul distance from the
// depot to the stops (the mean depot-to-stop distance), k a constant of the metric (Daganzo gives
// about 0.57 for straight-line distances when C is small against N). The first term is driving
// out to the area and back once per route, the second is the local tour among the stops. Here the
// formula is in straight-line metres; road metres are that × the vehicle's circuity factor.
// `npm run bench:rounds` compares it with the routes the heuristic finds on generated days.

/** Daganzo's constant for straight-line (Euclidean) distances. */
export const DAGANZO_K = 0.57;

export interface ApproximationInput {
  stops: number;
  areaM2: number;
  /** Mean straight-line distance from the depot to the stops. */
  lineHaulM: number;
  /** Stops a route may make (capacity in stops, or in grams ÷ the mean order weight). */
  stopsPerRoute: number;
  k?: number;
}

export interface Approximation {
  routes: number;
  lineHaulM: number;
  localM: number;
  totalM: number;
}

export function approximateRoundsM(a: ApproximationInput): Approximation {
  if (a.stops <= 0) return { routes: 0, lineHaulM: 0, localM: 0, totalM: 0 };
  const routes = Math.ceil(a.stops / Math.max(1, a.stopsPerRoute));
  const lineHaulM = 2 * a.lineHaulM * routes;
  const localM = (a.k ?? DAGANZO_K) * Math.sqrt(a.stops * a.areaM2);
  return { routes, lineHaulM, localM, totalM: lineHaulM + localM };
}

/** Mean distance from the centre of a disc of this area to a point spread evenly over it: 2R/3. */
export function meanDistanceFromCentreM(areaM2: number): number {
  return (2 / 3) * Math.sqrt(areaM2 / Math.PI);
}
