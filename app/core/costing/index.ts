// Public API of the landed-cost engine.
export { landedCost, landedPrice, type CostRequest, type LandedPrice } from "./landedCost";
export { prepareCosting, type CostingNetwork, type PreparedNode } from "./network";
export { expectedReverseCost, returnLegTo, type ReturnLeg, type ReverseEstimate, type ReverseLine } from "./reverse";
export { leadTimeAt, unitsToMake } from "./leadTime";
export { parcelOf, billableGrams, dimWeightGrams, subtotalMinor, type Parcel } from "./parcel";
export { costingConfigSchema, nodeOpsSchema, type CostingConfig, type CostingConfigInput, type NodeOps } from "./config";
export { rateCardSchema, type RateCard, type RateCardInput } from "./rateCard";
export { courierSchema, type CourierConfig, type CourierConfigInput } from "./courier";
export { corridorSchema, type Corridor, type CorridorInput } from "./corridor";
export { surchargeRegistry } from "./surcharges";
export { surgeRegistry } from "./surge";
export * from "./types";
