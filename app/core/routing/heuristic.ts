// The batch decision when the exact model is too large to solve within the routing budget.
//
// 1. Greedy by regret: the order that would lose the most if it did not get its best option
//    (second-best feasible cost − best feasible cost; an order with a single feasible option has
//    the unrouted penalty as its second best) chooses first. Regrets are compared by order of
//    magnitude, and within one (orders that each stand to lose, say, a broken promise) the order
//    asking least of scarce resources goes first, so scarce units serve as many orders as possible.
//    Regrets only grow as resources drain; whenever a resource falls below what some option needs,
//    the orders holding such options are re-evaluated at once (an index from resource to options,
//    walked once per entry), so the heap always holds every unassigned order's current regret.
// 2. Local improvement (improve), repeated until a pass changes nothing or the pass limit:
//    moves to cheaper options that fit, ejections (a holder of a blocking resource moves aside) and
//    swaps that let unrouted orders in.
// Deterministic: ties go to the lower order index, then the cheaper option.
import { fits, give, objectiveOf, take, type AssignmentOption, type AssignmentProblem, type AssignmentSolution } from "./assignment";

export interface HeuristicResult {
  solution: AssignmentSolution;
  moves: number;
}

const EPS = 1e-9;

function swapAt(a: number[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Max-heap on (key, then second key), ties to the lower id. */
class MaxHeap {
  private keys: number[] = [];
  private keys2: number[] = [];
  private ids: number[] = [];
  private tags: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  private before(i: number, j: number): boolean {
    const a = this.keys[i];
    const b = this.keys[j];
    if (a !== b) return a > b;
    const a2 = this.keys2[i];
    const b2 = this.keys2[j];
    if (a2 !== b2) return a2 > b2;
    return this.ids[i] < this.ids[j];
  }
  private swap(i: number, j: number): void {
    swapAt(this.keys, i, j);
    swapAt(this.keys2, i, j);
    swapAt(this.ids, i, j);
    swapAt(this.tags, i, j);
  }
  push(key: number, key2: number, id: number, tag: number): void {
    this.keys.push(key);
    this.keys2.push(key2);
    this.ids.push(id);
    this.tags.push(tag);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): { key: number; id: number; tag: number } {
    const top = { key: this.keys[0], id: this.ids[0], tag: this.tags[0] };
    const k = this.keys.pop()!;
    const k2 = this.keys2.pop()!;
    const id = this.ids.pop()!;
    const tag = this.tags.pop()!;
    if (this.keys.length > 0) {
      this.keys[0] = k;
      this.keys2[0] = k2;
      this.ids[0] = id;
      this.tags[0] = tag;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && this.before(l, m)) m = l;
        if (r < this.keys.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

export function solveHeuristic(p: AssignmentProblem, opts: { improvementPasses: number }): HeuristicResult {
  const O = p.orders.length;
  const residual = Float64Array.from(p.capacity);
  const choice = new Int32Array(O).fill(-1);
  const done = new Uint8Array(O);
  const version = new Int32Array(O);

  // Resource → (order, amount) of every option using it, largest amount first: as the resource
  // drains, the entries it can no longer serve form a prefix, each visited once.
  const users: { o: number; amt: number }[][] = Array.from({ length: p.capacity.length }, () => []);
  p.orders.forEach((order, o) => {
    for (const opt of order.options) for (let k = 0; k < opt.res.length; k++) users[opt.res[k]].push({ o, amt: opt.amt[k] });
  });
  for (const list of users) list.sort((a, b) => b.amt - a.amt);
  const cursor = new Int32Array(p.capacity.length);
  // Scarcity of each resource: the share of what the orders could ask of it that cannot be had.
  const demand = new Float64Array(p.capacity.length);
  for (let r = 0; r < users.length; r++) {
    const seen = new Set<number>();
    for (const u of users[r]) {
      if (seen.has(u.o)) continue; // largest amount first: the most this order could ask
      seen.add(u.o);
      demand[r] += u.amt;
    }
  }
  const scarcity = Float64Array.from(demand, (d, r) => (d > p.capacity[r] ? 1 - p.capacity[r] / d : 0));

  const regretOf = (o: number): { best: number; regret: number } => {
    const options = p.orders[o].options;
    let best = -1;
    for (let a = 0; a < options.length; a++) {
      if (!fits(residual, options[a])) continue;
      if (best < 0) {
        best = a;
        continue;
      }
      return { best, regret: options[a].cost - options[best].cost };
    }
    return { best, regret: best < 0 ? -Infinity : p.unroutedCost - options[best].cost };
  };

  const heap = new MaxHeap();
  // Orders choose by regret, compared by order of magnitude: among orders that stand to lose about
  // as much (say, a broken promise each), those asking least of scarce resources go first, so the
  // scarce units serve as many of them as possible; the exact regret breaks the remaining ties.
  const schedule = (o: number) => {
    const r = regretOf(o);
    version[o]++;
    if (r.best < 0) {
      done[o] = 1; // nothing fits now, and resources only drain during the greedy
      return;
    }
    const opt = p.orders[o].options[r.best];
    let weight = 0;
    for (let k = 0; k < opt.res.length; k++) weight += opt.amt[k] * scarcity[opt.res[k]];
    heap.push(Math.floor(Math.log10(Math.max(1, r.regret))), -weight * 1e9 + Math.min(r.regret, 1e9 - 1) / 1e9, o, version[o]);
  };
  for (let o = 0; o < O; o++) schedule(o);
  const dirty: number[] = [];
  while (heap.size > 0) {
    const { id: o, tag } = heap.pop();
    if (done[o] || tag !== version[o]) continue;
    const r = regretOf(o);
    if (r.best < 0) {
      done[o] = 1;
      continue;
    }
    const opt = p.orders[o].options[r.best];
    choice[o] = r.best;
    done[o] = 1;
    take(residual, opt);
    for (const res of opt.res) {
      const list = users[res];
      let c = cursor[res];
      while (c < list.length && list[c].amt > residual[res] + EPS) {
        if (!done[list[c].o]) dirty.push(list[c].o);
        c++;
      }
      cursor[res] = c;
    }
    for (const q of dirty) if (!done[q]) schedule(q);
    dirty.length = 0;
  }

  const moves = improve(p, residual, choice, opts.improvementPasses);
  return { solution: { choice, objective: objectiveOf(p, choice) }, moves };
}

/** Options of an order tried per improvement attempt (the cheapest ones below its current cost). */
const TRIED_OPTIONS = 4;
/** Blocked resources an ejection may free at once. */
const MAX_BLOCKED = 3;
/** Chains for unrouted orders: how deep, and how many holders of one resource are tried per step. */
const CHAIN_DEPTH = 3;
const CHAIN_HOLDERS = 24;

/**
 * Local improvement in place; returns the number of orders moved. Three moves, each kept only when
 * the objective falls:
 * - move: an order takes a cheaper option that fits what is left;
 * - eject: an order takes a cheaper option whose blocked resources (up to three) are freed by moving,
 *   for each, the holder whose move to another option that fits costs least;
 * - swap in: an order holding a resource that unrouted orders lack is released; unrouted orders that
 *   can use what it held take it, and the released order takes its best option that still fits (an
 *   order of three scarce units may so make way for three orders of one).
 */
export function improve(p: AssignmentProblem, residual: Float64Array, choice: Int32Array, passes: number): number {
  const O = p.orders.length;
  const R = p.capacity.length;
  const costOf = (o: number, a: number) => (a < 0 ? p.unroutedCost : p.orders[o].options[a].cost);
  // Holders of each resource, as arrays with O(1) add and remove: each order remembers where it
  // sits in the holder list of every resource of its current option (same order as option.res).
  const holders: number[][] = Array.from({ length: R }, () => []);
  const seat: number[][] = Array.from({ length: O }, () => []);
  const addHolders = (o: number, a: number) => {
    const res = p.orders[o].options[a].res;
    const seats = seat[o];
    seats.length = res.length;
    for (let k = 0; k < res.length; k++) {
      seats[k] = holders[res[k]].length;
      holders[res[k]].push(o);
    }
  };
  const removeHolders = (o: number, a: number) => {
    const res = p.orders[o].options[a].res;
    for (let k = 0; k < res.length; k++) {
      const list = holders[res[k]];
      const i = seat[o][k];
      const last = list.pop()!;
      if (last !== o) {
        list[i] = last;
        const lastRes = p.orders[last].options[choice[last]].res;
        seat[last][lastRes.indexOf(res[k])] = i;
      }
    }
  };
  // Resources whose holders or room changed in this pass: only orders wanting them are revisited.
  const touched = new Uint8Array(R);
  const touch = (a: AssignmentOption) => {
    for (const r of a.res) touched[r] = 1;
  };
  // The least an order's cost can grow if it is moved off its option (ignoring feasibility).
  const leastIncrease = new Float64Array(O);
  const refresh = (q: number) => {
    const options = p.orders[q].options;
    let best = p.unroutedCost;
    for (let a = 0; a < options.length; a++) if (a !== choice[q] && options[a].cost < best) best = options[a].cost;
    leastIncrease[q] = best - costOf(q, choice[q]);
  };
  const undo: number[] = []; // pairs: order, previous choice
  const set = (o: number, a: number) => {
    const cur = choice[o];
    if (cur === a) return;
    undo.push(o, cur);
    if (cur >= 0) {
      const opt = p.orders[o].options[cur];
      give(residual, opt);
      removeHolders(o, cur);
      touch(opt);
    }
    choice[o] = a;
    if (a >= 0) {
      const opt = p.orders[o].options[a];
      take(residual, opt);
      addHolders(o, a);
      touch(opt);
    }
    refresh(o);
  };
  const rollback = (to = 0) => {
    while (undo.length > to) {
      const prev = undo.pop()!;
      const o = undo.pop()!;
      set(o, prev);
      undo.length -= 2;
    }
  };
  for (let o = 0; o < O; o++) {
    if (choice[o] >= 0) addHolders(o, choice[o]);
    refresh(o);
  }

  const stamp = new Int32Array(O);
  let epoch = 0;

  // Whether anything an order's cheaper options use changed in the last pass (else trying again is futile).
  const worthRetrying = (o: number, changedLastPass: Uint8Array): boolean => {
    const cur = choice[o];
    const curCost = costOf(o, cur);
    for (const opt of p.orders[o].options) {
      if (opt.cost >= curCost) return false;
      for (const r of opt.res) if (changedLastPass[r]) return true;
    }
    return false;
  };
  let moved = 0;
  let lastPass: Uint8Array | null = null;
  const blocked = new Int32Array(MAX_BLOCKED); // positions in option.res of the resources an ejection frees
  for (let pass = 0; pass < passes; pass++) {
    let changed = false;
    for (let o = 0; o < O; o++) {
      const cur = choice[o];
      if (cur === 0 || (lastPass && !worthRetrying(o, lastPass))) continue;
      const n = moveOrEject(o);
      if (n > 0) {
        moved += n;
        changed = true;
      }
    }
    const n = swapIn();
    if (n > 0) {
      moved += n;
      changed = true;
    }
    if (!changed) break;
    lastPass = Uint8Array.from(touched);
    touched.fill(0);
  }
  return moved;

  function moveOrEject(o: number): number {
    const options = p.orders[o].options;
    const cur = choice[o];
    const curCost = costOf(o, cur);
    if (cur >= 0) give(residual, options[cur]);
    let direct = -1;
    for (let a = 0; a < options.length && options[a].cost < curCost; a++) {
      if (fits(residual, options[a])) {
        direct = a;
        break;
      }
    }
    if (cur >= 0) take(residual, options[cur]);
    if (direct >= 0) {
      set(o, direct);
      undo.length = 0;
      return 1;
    }
    let tried = 0;
    for (let a = 0; a < options.length && options[a].cost < curCost && tried < TRIED_OPTIONS; a++, tried++) {
      const want = options[a];
      undo.length = 0;
      set(o, -1);
      let nBlocked = 0;
      for (let k = 0; k < want.res.length; k++) {
        if (residual[want.res[k]] < want.amt[k] - EPS && nBlocked++ < MAX_BLOCKED) blocked[nBlocked - 1] = k;
      }
      let budget = curCost - want.cost;
      let ok = nBlocked > 0 && nBlocked <= MAX_BLOCKED;
      for (let b = 0; ok && b < nBlocked; b++) {
        const k = blocked[b];
        const r = want.res[k];
        while (ok && residual[r] < want.amt[k] - EPS) {
          let bestQ = -1;
          let bestB = -1;
          let bestInc = budget;
          const hold = holders[r];
          for (let h = 0; h < hold.length; h++) {
            const q = hold[h];
            if (leastIncrease[q] >= bestInc) continue;
            const qCur = choice[q];
            const qOptions = p.orders[q].options;
            give(residual, qOptions[qCur]);
            for (let b = 0; b < qOptions.length; b++) {
              if (b === qCur) continue;
              const inc = qOptions[b].cost - qOptions[qCur].cost;
              if (inc >= bestInc) break; // sorted: nothing cheaper further on
              if (qOptions[b].res.includes(r) || !fits(residual, qOptions[b])) continue;
              bestQ = q;
              bestB = b;
              bestInc = inc;
              break;
            }
            take(residual, qOptions[qCur]);
          }
          if (bestQ < 0) ok = false;
          else {
            set(bestQ, bestB);
            budget -= bestInc;
          }
        }
      }
      if (ok && fits(residual, want) && budget > 0) {
        set(o, a);
        const n = undo.length / 2 - 1;
        undo.length = 0;
        return n;
      }
      rollback();
    }
    // An unrouted order has the most to gain: try chains of displaced orders, a few deep.
    if (cur < 0) {
      tried = 0;
      for (let a = 0; a < options.length && tried < TRIED_OPTIONS; a++, tried++) {
        undo.length = 0;
        epoch++;
        stamp[o] = epoch;
        const gain = p.unroutedCost - options[a].cost;
        const spent = place(o, a, CHAIN_DEPTH, gain);
        if (spent >= 0 && spent < gain) {
          const n = undo.length / 2;
          undo.length = 0;
          return n;
        }
        rollback();
      }
      undo.length = 0;
    }
    return 0;
  }

  /**
   * Puts (released) order `o` on option `a`, first freeing what the option lacks by moving holders
   * of each blocked resource to their next option, recursively down to `depth` (each order once per
   * attempt, as in Kuhn's matching algorithm). Returns what the moves cost, or -1; the caller rolls
   * back on failure.
   */
  function place(o: number, a: number, depth: number, budget: number): number {
    const want = p.orders[o].options[a];
    let spent = 0;
    for (let k = 0; k < want.res.length; k++) {
      const r = want.res[k];
      let examined = 0;
      while (residual[r] < want.amt[k] - EPS) {
        let found = false;
        for (const q of holders[r].slice()) {
          if (stamp[q] === epoch || leastIncrease[q] >= budget - spent) continue;
          if (++examined > CHAIN_HOLDERS) break;
          stamp[q] = epoch;
          const qCur = choice[q];
          const qOptions = p.orders[q].options;
          const mark = undo.length;
          set(q, -1);
          for (let b = 0; b < qOptions.length && !found; b++) {
            if (b === qCur || qOptions[b].res.includes(r)) continue;
            const inc = qOptions[b].cost - qOptions[qCur].cost;
            if (inc >= budget - spent) break; // sorted: nothing cheaper further on
            if (fits(residual, qOptions[b])) {
              set(q, b);
              spent += inc;
              found = true;
            } else if (depth > 1) {
              const inner = undo.length;
              const sub = place(q, b, depth - 1, budget - spent - inc);
              if (sub >= 0 && inc + sub < budget - spent) {
                spent += inc + sub;
                found = true;
              } else rollback(inner);
            }
          }
          if (found) break;
          rollback(mark);
        }
        if (!found) return -1;
      }
    }
    if (!fits(residual, want)) return -1;
    set(o, a);
    return spent;
  }

  function swapIn(): number {
    // Unrouted orders by the resources their options lack.
    const waiting: number[][] = Array.from({ length: R }, () => []);
    let any = false;
    for (let u = 0; u < O; u++) {
      if (choice[u] >= 0) continue;
      for (const opt of p.orders[u].options) {
        for (let k = 0; k < opt.res.length; k++) {
          const r = opt.res[k];
          if (residual[r] < opt.amt[k] - EPS && waiting[r][waiting[r].length - 1] !== u) {
            waiting[r].push(u);
            any = true;
          }
        }
      }
    }
    if (!any) return 0;
    let made = 0;
    for (let r = 0; r < R; r++) {
      if (waiting[r].length === 0) continue;
      for (const q of [...holders[r]]) {
        if (choice[q] < 0 || !holders[r].includes(q)) continue;
        epoch++;
        undo.length = 0;
        let delta = p.unroutedCost - costOf(q, choice[q]); // objective change
        set(q, -1);
        stamp[q] = epoch;
        for (const u of waiting[r]) {
          if (stamp[u] === epoch) continue;
          stamp[u] = epoch;
          const cur = choice[u];
          const curCost = costOf(u, cur);
          const options = p.orders[u].options;
          if (cur >= 0) give(residual, options[cur]);
          let to = -1;
          for (let a = 0; a < options.length && options[a].cost < curCost; a++) {
            if (fits(residual, options[a])) {
              to = a;
              break;
            }
          }
          if (cur >= 0) take(residual, options[cur]);
          if (to >= 0) {
            set(u, to);
            delta += options[to].cost - curCost;
          }
        }
        const qOptions = p.orders[q].options;
        for (let b = 0; b < qOptions.length; b++) {
          if (fits(residual, qOptions[b])) {
            set(q, b);
            delta += qOptions[b].cost - p.unroutedCost;
            break;
          }
        }
        if (delta < 0) made += undo.length / 2;
        else rollback();
        undo.length = 0;
      }
    }
    return made;
  }
}
