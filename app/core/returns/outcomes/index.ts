// Return rule outcomes: one file per strategy, one line here per strategy.
import { createRegistry } from "../../rules/registry";
import { decline } from "./decline";
import { donate } from "./donate";
import { exchange } from "./exchange";
import { keepItem } from "./keepItem";
import { recycle } from "./recycle";
import { refund } from "./refund";
import { storeCredit } from "./storeCredit";
import type { ReturnOutcome } from "./types";

export const outcomeRegistry = createRegistry<ReturnOutcome>("return outcome", [
  refund,
  exchange,
  storeCredit,
  keepItem,
  donate,
  recycle,
  decline,
]);
