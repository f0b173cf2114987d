// Public API of delivery rounds (ADR 0031).
//
//   const fleet = fleetSchema.parse(json); const hub = roundsHubSchema.parse(json);   // at the boundary
//   const waves = groupIntoWaves(hub, orders);                                        // by cut-off
//   const plan = planWave(hub, fleet, waves[0], { seed });                             // routes, costs, reasons
//   const day = planDay(hub, fleet, orders, { seed });                                 // every wave of the orders
//   const e = expectedCostPerStop(hub, fleet, { stopsPerHour, areaKm2 });             // costing, without routing
//   const sol = solveVrp(vrpProblem({ size, distance, demand, capacity }), { seed }); // the heuristic on a matrix
export { fleetSchema, vehicleSchema, subscriptionCourierSchema, VEHICLE_KINDS, fleetOptions, optionLabel, routeCostMinor, type Fleet, type FleetInput, type FleetOption, type Vehicle, type SubscriptionCourier, type VehicleKind } from "./fleet";
export { roundsHubSchema, groupIntoWaves, type RoundsHub, type RoundsHubInput, type RoundOrder, type Wave } from "./waves";
export { planWave, planDay, scheduleTrips, formatMinutes, type PlanOptions, type PlannedRoute, type PlannedStop, type WavePlan, type DayPlan, type OptionOutcome } from "./plan";
export { approximateRoundsM, meanDistanceFromCentreM, DAGANZO_K, type Approximation, type ApproximationInput } from "./approximation";
export { expectedCostPerStop, defaultWaveHours, type DensityInput, type ExpectedCost, type ExpectedOption } from "./expectedCost";
export { solveVrp, vrpProblem, twoOpt, routeDistance, euc2dMatrix, type VrpProblem, type VrpProblemInput, type VrpOptions, type VrpSolution } from "./vrp";
export { seededRng, type Rng } from "./random";
