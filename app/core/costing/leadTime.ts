// Minutes before an order can leave a node: picking and packing, plus production of the
// made-to-order units a micro-factory does not have on the shelf.
import type { StockByNode } from "../network/types";
import type { PreparedNode } from "./network";
import type { CartLine, LeadTime } from "./types";


export function unitsToMake(n: PreparedNode, line: CartLine, stock: StockByNode): number {
  if (n.node.kind !== "MICRO_FACTORY" || !line.product.madeToOrder) return 0;
  const onHand = stock[n.node.id]?.[line.product.id] ?? 0;
  return Math.max(0, line.quantity - onHand);
}

export function leadTimeAt(n: PreparedNode, lines: readonly CartLine[], stock: StockByNode): LeadTime {
  let units = 0;
  for (const line of lines) units += unitsToMake(n, line, stock);
  const prep = n.ops.prepMinutes;
  if (units === 0) return n.readyLead;
  const make = n.ops.makeSetupMinutes + Math.ceil(units * n.ops.makeMinutesPerUnit);
  return {
    minutes: prep + make,
    unitsToMake: units,
    detail: `${prep} min preparation + ${make} min to make ${units} unit${units === 1 ? "" : "s"} to order`,
  };
}
