// The registry of availability gates, in the order they are asked: the first gate a node fails
// gives its reasons. A new gate is one file here plus one line below; every path that
// asks core/network/availability (quoting, routing, returns, density, the courier prefetch, the
// location rule) then applies it.
import { createRegistry } from "../../rules/registry";
import { capacityGate } from "./capacity";
import { makerGate } from "./maker";
import { openTodayGate } from "./openingHours";
import { permitsGate } from "./permits";
import { acceptsReturnsGate, returnHubGate } from "./returns";
import { statusGate } from "./status";
import { stockGate } from "./stock";
import type { Gate } from "./types";

export const gateRegistry = createRegistry<Gate>("availability gate", [
  statusGate,
  makerGate,
  returnHubGate,
  acceptsReturnsGate,
  // After what the node is (a maker, a return hub), before what it has left today.
  permitsGate,
  capacityGate,
  stockGate,
  openTodayGate,
]);
