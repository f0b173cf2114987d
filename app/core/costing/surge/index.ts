// Courier surge rules: one file per strategy, one line here per strategy.
import { createRegistry } from "../../rules/registry";
import { hourWeekday } from "./hourWeekday";
import { loadRatio } from "./loadRatio";
import type { SurgeRule } from "./types";

export const surgeRegistry = createRegistry<SurgeRule>("surge rule", [hourWeekday, loadRatio]);
