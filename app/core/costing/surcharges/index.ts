// Carrier surcharges: one file per strategy, one line here per strategy.
import { createRegistry } from "../../rules/registry";
import { fuelPercent } from "./fuelPercent";
import { residentialFlat } from "./residentialFlat";
import type { Surcharge } from "./types";

export const surchargeRegistry = createRegistry<Surcharge>("surcharge", [fuelPercent, residentialFlat]);
