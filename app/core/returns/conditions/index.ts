// Return rule conditions: one file per strategy, one line here per strategy.
import { createRegistry } from "../../rules/registry";
import { customerRegion } from "./customerRegion";
import { daysSinceDelivery } from "./daysSinceDelivery";
import { itemValue } from "./itemValue";
import { productTagged } from "./productTag";
import { productTypeIs } from "./productType";
import { reasonIs } from "./reason";
import { reportedCondition } from "./reportedCondition";
import type { ReturnCondition } from "./types";

export const conditionRegistry = createRegistry<ReturnCondition>("return condition", [
  reasonIs,
  productTypeIs,
  productTagged,
  itemValue,
  daysSinceDelivery,
  customerRegion,
  reportedCondition,
]);
