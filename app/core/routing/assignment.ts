// The batch decision in its bare form: each order picks one of its options (or stays unrouted at
// a penalty), options consume shared resources (stock units, node capacity, micro-factory making),
// and the total cost is minimised. Routing reduces a batch to this shape (only contended resources,
// only orders that touch them); the exact MIP and the heuristic both solve it, and `checkAssignment`
// verifies any answer independently.

export interface AssignmentOption {
  cost: number;
  /** Resource indexes into `AssignmentProblem.capacity`, and the amount used of each. */
  res: readonly number[];
  amt: readonly number[];
}

export interface AssignmentProblem {
  capacity: Float64Array;
  /** Options per order, cheapest first. */
  orders: { options: AssignmentOption[] }[];
  /** Cost of leaving an order unrouted. */
  unroutedCost: number;
}

export interface AssignmentSolution {
  /** Option index per order, -1 for unrouted. */
  choice: Int32Array;
  objective: number;
}

const EPS = 1e-9;

export function objectiveOf(p: AssignmentProblem, choice: Int32Array): number {
  let total = 0;
  for (let o = 0; o < p.orders.length; o++) total += choice[o] < 0 ? p.unroutedCost : p.orders[o].options[choice[o]].cost;
  return total;
}

/** Violations of an assignment: resources over capacity and bad option indexes. Empty when feasible. */
export function checkAssignment(p: AssignmentProblem, choice: Int32Array): string[] {
  const used = new Float64Array(p.capacity.length);
  const problems: string[] = [];
  if (choice.length !== p.orders.length) problems.push(`${choice.length} choices for ${p.orders.length} orders`);
  for (let o = 0; o < p.orders.length; o++) {
    const c = choice[o];
    if (c < -1 || c >= p.orders[o].options.length || !Number.isInteger(c)) {
      problems.push(`order ${o}: option ${c} does not exist`);
      continue;
    }
    if (c < 0) continue;
    const opt = p.orders[o].options[c];
    for (let k = 0; k < opt.res.length; k++) used[opt.res[k]] += opt.amt[k];
  }
  for (let r = 0; r < used.length; r++) {
    if (used[r] > p.capacity[r] + EPS) problems.push(`resource ${r}: ${used[r]} used of ${p.capacity[r]}`);
  }
  return problems;
}

/** What an option consumes. */
export type Usage = Pick<AssignmentOption, "res" | "amt">;

export function fits(residual: Float64Array, opt: Usage): boolean {
  for (let k = 0; k < opt.res.length; k++) if (residual[opt.res[k]] < opt.amt[k] - EPS) return false;
  return true;
}

export function take(residual: Float64Array, opt: Usage): void {
  for (let k = 0; k < opt.res.length; k++) residual[opt.res[k]] -= opt.amt[k];
}

export function give(residual: Float64Array, opt: Usage): void {
  for (let k = 0; k < opt.res.length; k++) residual[opt.res[k]] += opt.amt[k];
}

export function binaryVariables(p: AssignmentProblem): number {
  let n = 0;
  for (const o of p.orders) n += o.options.length;
  return n;
}
