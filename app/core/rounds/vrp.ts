// The capacitated vehicle-routing heuristic behind delivery rounds, on a distance matrix.
//
// 1. Clarke–Wright savings (parallel version), started from a few shape parameters λ (savings
//    d(0,i) + d(0,j) − λ·d(i,j)), each followed by local search;
// 2. local search until no move improves: inside a route 2-opt and or-opt (moving a run of 1–3
//    stops, possibly reversed), between routes relocate (one stop), swap (two stops) and 2-opt*
//    (exchanging route tails);
// 3. an iterated local search from the best start: ruin (a random or a neighbourhood group of
//    stops) and recreate (cheapest feasible insertion), local search again, accepted by a
//    record-to-record rule that tightens to "only better" by the last iteration.
// Everything is deterministic for a seed (random.ts): no clock, no Math.random. The matrix must be
// symmetric (great-circle × circuity and CVRPLIB's EUC_2D both are). Depot is node 0.
import { intBetween, seededRng, shuffleInPlace, type Rng } from "./random";

export interface VrpProblem {
  /** Nodes including the depot at index 0. */
  size: number;
  /** Row-major size × size distances (metres for rounds, CVRPLIB units for benchmarks). */
  distance: Float64Array;
  /** Load of each node (grams, or CVRPLIB demand); demand[0] = 0. */
  demand: ArrayLike<number>;
  /** Load a route may carry; Infinity for none. */
  capacity: number;
  /** Stops a route may make; Infinity for none. */
  maxStops: number;
  /** Route minutes = distance × minutesPerUnit + stops × serviceMinutes + fixedMinutes, at most maxMinutes. */
  minutesPerUnit: number;
  serviceMinutes: number;
  fixedMinutes: number;
  maxMinutes: number;
  /** Routes available (vehicles); Infinity for none. More routes than this are reported, never hidden. */
  maxRoutes: number;
}

export type VrpProblemInput = Pick<VrpProblem, "size" | "distance" | "demand"> & Partial<VrpProblem>;

export function vrpProblem(p: VrpProblemInput): VrpProblem {
  return {
    capacity: Infinity,
    maxStops: Infinity,
    minutesPerUnit: 0,
    serviceMinutes: 0,
    fixedMinutes: 0,
    maxMinutes: Infinity,
    maxRoutes: Infinity,
    ...p,
  };
}

export interface VrpOptions {
  seed?: number;
  /** Ruin-and-recreate iterations after the savings starts (0: savings + local search only). */
  iterations?: number;
}

export interface VrpSolution {
  /** Each route's stops in visiting order, depot excluded. */
  routes: number[][];
  /** Distance of each route, depot to depot. */
  routeDistances: number[];
  distance: number;
  /** Stops no route can take on its own (over capacity or over the time limit even alone). */
  unserved: number[];
  /** Whether the routes fit the number of vehicles. */
  withinFleet: boolean;
}

const EPS = 1e-9;
const OVER_FLEET = 1e12;
const LAMBDAS = [1, 1.4, 0.8, 1.8, 0.6, 1.2];

/** Distance of one route, depot to depot. */
export function routeDistance(D: Float64Array, n: number, route: readonly number[]): number {
  let prev = 0;
  let len = 0;
  for (const v of route) {
    len += D[prev * n + v];
    prev = v;
  }
  return len + D[prev * n];
}

/** 2-opt inside one route until no reversal shortens it; returns a route never longer than the input. */
export function twoOpt(D: Float64Array, n: number, route: readonly number[]): number[] {
  const s = [0, ...route, 0];
  let improved = true;
  while (improved) {
    improved = false;
    for (let i = 0; i < s.length - 3; i++) {
      for (let j = i + 2; j < s.length - 1; j++) {
        const a = s[i], b = s[i + 1], c = s[j], d = s[j + 1];
        const delta = D[a * n + c] + D[b * n + d] - D[a * n + b] - D[c * n + d];
        if (delta < -EPS) {
          for (let l = i + 1, r = j; l < r; l++, r--) {
            const t = s[l];
            s[l] = s[r];
            s[r] = t;
          }
          improved = true;
        }
      }
    }
  }
  return s.slice(1, -1);
}

class Search {
  readonly n: number;
  readonly D: Float64Array;
  routes: number[][] = [];
  loads: number[] = [];
  lens: number[] = [];
  private readonly neighbours: Int32Array[];

  constructor(readonly p: VrpProblem, readonly customers: number[]) {
    this.n = p.size;
    this.D = p.distance;
    this.neighbours = [];
    for (const c of customers) {
      const others = customers.filter((o) => o !== c).sort((x, y) => this.d(c, x) - this.d(c, y));
      this.neighbours[c] = Int32Array.from(others);
    }
  }

  d(i: number, j: number): number {
    return this.D[i * this.n + j];
  }

  fits(load: number, stops: number, len: number): boolean {
    const p = this.p;
    return load <= p.capacity + EPS && stops <= p.maxStops && len * p.minutesPerUnit + stops * p.serviceMinutes + p.fixedMinutes <= p.maxMinutes + EPS;
  }

  objective(): number {
    let total = 0;
    for (const l of this.lens) total += l;
    return total + OVER_FLEET * Math.max(0, this.routes.length - this.p.maxRoutes);
  }

  setRoutes(routes: number[][]): void {
    this.routes = routes.filter((r) => r.length > 0).map((r) => r.slice());
    this.loads = this.routes.map((r) => this.loadOf(r));
    this.lens = this.routes.map((r) => routeDistance(this.D, this.n, r));
  }

  loadOf(r: readonly number[]): number {
    let l = 0;
    for (const v of r) l += this.p.demand[v];
    return l;
  }

  private refresh(k: number): void {
    this.loads[k] = this.loadOf(this.routes[k]);
    this.lens[k] = routeDistance(this.D, this.n, this.routes[k]);
  }

  private dropEmpty(): void {
    for (let k = this.routes.length - 1; k >= 0; k--) {
      if (this.routes[k].length === 0) {
        this.routes.splice(k, 1);
        this.loads.splice(k, 1);
        this.lens.splice(k, 1);
      }
    }
  }

  /** Parallel Clarke–Wright savings with shape λ and optional noise on the savings. */
  savings(lambda: number, rng: Rng | null, noise: number): void {
    const cs = this.customers;
    const routeOf = new Map<number, number[]>();
    const meta = new Map<number[], { load: number; len: number }>();
    for (const c of cs) {
      const r = [c];
      routeOf.set(c, r);
      meta.set(r, { load: this.p.demand[c], len: 2 * this.d(0, c) });
    }
    const pairs: { i: number; j: number; s: number }[] = [];
    for (let a = 0; a < cs.length; a++) {
      for (let b = a + 1; b < cs.length; b++) {
        const i = cs[a], j = cs[b];
        let s = this.d(0, i) + this.d(0, j) - lambda * this.d(i, j);
        if (rng && noise > 0) s *= 1 + noise * (rng() - 0.5);
        if (s > EPS) pairs.push({ i, j, s });
      }
    }
    pairs.sort((x, y) => y.s - x.s || x.i - y.i || x.j - y.j);
    for (const { i, j } of pairs) {
      let ri = routeOf.get(i)!;
      let rj = routeOf.get(j)!;
      if (ri === rj) continue;
      const iEnd = ri[ri.length - 1] === i, iStart = ri[0] === i;
      const jEnd = rj[rj.length - 1] === j, jStart = rj[0] === j;
      if (!(iEnd || iStart) || !(jEnd || jStart)) continue;
      const mi = meta.get(ri)!, mj = meta.get(rj)!;
      const len = mi.len + mj.len - this.d(i, 0) - this.d(0, j) + this.d(i, j);
      if (!this.fits(mi.load + mj.load, ri.length + rj.length, len)) continue;
      if (!iEnd) ri = ri.reverse();
      if (!jStart) rj = rj.reverse();
      const merged = ri.concat(rj);
      meta.delete(ri);
      meta.delete(rj);
      meta.set(merged, { load: mi.load + mj.load, len });
      for (const v of merged) routeOf.set(v, merged);
    }
    this.setRoutes([...meta.keys()]);
  }

  localSearch(): void {
    let improved = true;
    while (improved) {
      improved = false;
      for (let k = 0; k < this.routes.length; k++) {
        const before = this.lens[k];
        this.routes[k] = twoOpt(this.D, this.n, this.routes[k]);
        this.orOpt(k);
        this.refresh(k);
        if (this.lens[k] < before - EPS) improved = true;
      }
      if (this.relocate()) improved = true;
      if (this.swap()) improved = true;
      if (this.twoOptStar()) improved = true;
      this.dropEmpty();
    }
  }

  /** Move runs of 1–3 stops elsewhere in the same route (possibly reversed) while it shortens the route. */
  private orOpt(k: number): void {
    let improved = true;
    while (improved) {
      improved = false;
      const r = this.routes[k];
      for (let len = 1; len <= 3 && !improved; len++) {
        for (let i = 0; i + len <= r.length && !improved; i++) {
          const first = r[i], last = r[i + len - 1];
          const prev = i === 0 ? 0 : r[i - 1];
          const next = i + len === r.length ? 0 : r[i + len];
          const gain = this.d(prev, first) + this.d(last, next) - this.d(prev, next);
          const rest = r.slice(0, i).concat(r.slice(i + len));
          for (let q = 0; q <= rest.length; q++) {
            const x = q === 0 ? 0 : rest[q - 1], y = q === rest.length ? 0 : rest[q];
            const fwd = this.d(x, first) + this.d(last, y) - this.d(x, y);
            const rev = this.d(x, last) + this.d(first, y) - this.d(x, y);
            if (Math.min(fwd, rev) - gain < -EPS) {
              const seg = r.slice(i, i + len);
              if (rev < fwd) seg.reverse();
              this.routes[k] = rest.slice(0, q).concat(seg, rest.slice(q));
              improved = true;
              break;
            }
          }
        }
      }
    }
  }

  /** Best position for each stop in another route, applied when it shortens the total. */
  private relocate(): boolean {
    let any = false;
    for (let a = 0; a < this.routes.length; a++) {
      for (let i = 0; i < this.routes[a].length; i++) {
        const A = this.routes[a];
        const u = A[i];
        const prev = i === 0 ? 0 : A[i - 1];
        const next = i === A.length - 1 ? 0 : A[i + 1];
        const gain = this.d(prev, u) + this.d(u, next) - this.d(prev, next);
        const du = this.p.demand[u];
        let best = -EPS, bestB = -1, bestQ = -1;
        for (let b = 0; b < this.routes.length; b++) {
          if (b === a) continue;
          const B = this.routes[b];
          if (this.loads[b] + du > this.p.capacity + EPS || B.length + 1 > this.p.maxStops) continue;
          for (let q = 0; q <= B.length; q++) {
            const x = q === 0 ? 0 : B[q - 1], y = q === B.length ? 0 : B[q];
            const add = this.d(x, u) + this.d(u, y) - this.d(x, y);
            const delta = add - gain;
            if (delta < best && this.fits(this.loads[b] + du, B.length + 1, this.lens[b] + add)) {
              best = delta;
              bestB = b;
              bestQ = q;
            }
          }
        }
        if (bestB >= 0) {
          A.splice(i, 1);
          this.routes[bestB].splice(bestQ, 0, u);
          this.refresh(a);
          this.refresh(bestB);
          any = true;
          i--;
        }
      }
    }
    return any;
  }

  /** Exchange two stops of different routes when it shortens the total. */
  private swap(): boolean {
    let any = false;
    for (let a = 0; a < this.routes.length; a++) {
      for (let b = a + 1; b < this.routes.length; b++) {
        const A = this.routes[a], B = this.routes[b];
        for (let i = 0; i < A.length; i++) {
          for (let j = 0; j < B.length; j++) {
            const u = A[i], v = B[j];
            const pa = i === 0 ? 0 : A[i - 1], na = i === A.length - 1 ? 0 : A[i + 1];
            const pb = j === 0 ? 0 : B[j - 1], nb = j === B.length - 1 ? 0 : B[j + 1];
            const dA = this.d(pa, v) + this.d(v, na) - this.d(pa, u) - this.d(u, na);
            const dB = this.d(pb, u) + this.d(u, nb) - this.d(pb, v) - this.d(v, nb);
            if (dA + dB >= -EPS) continue;
            const du = this.p.demand[u], dv = this.p.demand[v];
            if (!this.fits(this.loads[a] - du + dv, A.length, this.lens[a] + dA)) continue;
            if (!this.fits(this.loads[b] - dv + du, B.length, this.lens[b] + dB)) continue;
            A[i] = v;
            B[j] = u;
            this.refresh(a);
            this.refresh(b);
            any = true;
          }
        }
      }
    }
    return any;
  }

  /** 2-opt* between two routes: A's head with B's tail and B's head with A's tail. */
  private twoOptStar(): boolean {
    let any = false;
    for (let a = 0; a < this.routes.length; a++) {
      for (let b = a + 1; b < this.routes.length; b++) {
        if (this.tailExchange(a, b)) any = true;
      }
    }
    return any;
  }

  private tailExchange(a: number, b: number): boolean {
    const A = this.routes[a], B = this.routes[b];
    const dem = this.p.demand;
    const prefix = (r: number[]) => {
      const load = [0], len = [0];
      let prev = 0;
      for (const v of r) {
        load.push(load[load.length - 1] + dem[v]);
        len.push(len[len.length - 1] + this.d(prev, v));
        prev = v;
      }
      return { load, len };
    };
    const pA = prefix(A), pB = prefix(B);
    const LA = this.lens[a], LB = this.lens[b];
    for (let i = 0; i <= A.length; i++) {
      const al = i === 0 ? 0 : A[i - 1], an = i === A.length ? 0 : A[i];
      const tailA = LA - pA.len[i] - this.d(al, an);
      for (let j = 0; j <= B.length; j++) {
        if ((i === 0 && j === 0) || (i === A.length && j === B.length)) continue;
        const bl = j === 0 ? 0 : B[j - 1], bn = j === B.length ? 0 : B[j];
        const delta = this.d(al, bn) + this.d(bl, an) - this.d(al, an) - this.d(bl, bn);
        if (delta >= -EPS) continue;
        const tailB = LB - pB.len[j] - this.d(bl, bn);
        const loadA = pA.load[i] + (this.loads[b] - pB.load[j]);
        const loadB = pB.load[j] + (this.loads[a] - pA.load[i]);
        const stopsA = i + (B.length - j), stopsB = j + (A.length - i);
        if (!this.fits(loadA, stopsA, pA.len[i] + this.d(al, bn) + tailB)) continue;
        if (!this.fits(loadB, stopsB, pB.len[j] + this.d(bl, an) + tailA)) continue;
        this.routes[a] = A.slice(0, i).concat(B.slice(j));
        this.routes[b] = B.slice(0, j).concat(A.slice(i));
        this.refresh(a);
        this.refresh(b);
        return true;
      }
    }
    return false;
  }

  /** Remove a group of stops: random ones, or one stop and its nearest neighbours. */
  ruin(rng: Rng): number[] {
    const cs = this.customers;
    const q = intBetween(rng, Math.min(2, cs.length), Math.max(2, Math.min(cs.length, Math.ceil(cs.length * 0.3))));
    let removed: number[];
    if (rng() < 0.5) {
      removed = shuffleInPlace(rng, cs.slice()).slice(0, q);
    } else {
      const seed = cs[Math.floor(rng() * cs.length)];
      removed = [seed, ...Array.from(this.neighbours[seed].subarray(0, q - 1))];
    }
    const gone = new Set(removed);
    this.routes = this.routes.map((r) => r.filter((v) => !gone.has(v)));
    for (let k = 0; k < this.routes.length; k++) this.refresh(k);
    this.dropEmpty();
    return removed;
  }

  /** Cheapest feasible insertion of each stop, in the given order; a new route when none fits. */
  recreate(stops: number[]): void {
    for (const u of stops) {
      const du = this.p.demand[u];
      let best = Infinity, bestK = -1, bestQ = -1;
      for (let k = 0; k < this.routes.length; k++) {
        const R = this.routes[k];
        if (this.loads[k] + du > this.p.capacity + EPS || R.length + 1 > this.p.maxStops) continue;
        for (let q = 0; q <= R.length; q++) {
          const x = q === 0 ? 0 : R[q - 1], y = q === R.length ? 0 : R[q];
          const add = this.d(x, u) + this.d(u, y) - this.d(x, y);
          if (add < best && this.fits(this.loads[k] + du, R.length + 1, this.lens[k] + add)) {
            best = add;
            bestK = k;
            bestQ = q;
          }
        }
      }
      // A new route costs its out-and-back; past the fleet it also costs the over-fleet penalty.
      const fresh = 2 * this.d(0, u) + (this.routes.length + 1 > this.p.maxRoutes ? OVER_FLEET : 0);
      if (bestK >= 0 && best <= fresh) {
        this.routes[bestK].splice(bestQ, 0, u);
        this.refresh(bestK);
      } else {
        this.routes.push([u]);
        this.loads.push(du);
        this.lens.push(2 * this.d(0, u));
      }
    }
  }

  snapshot(): number[][] {
    return this.routes.map((r) => r.slice());
  }
}

/** Routes for every stop of the problem: see the header for the method. */
export function solveVrp(problem: VrpProblem, options: VrpOptions = {}): VrpSolution {
  const p = problem;
  const rng = seededRng(options.seed ?? 1);
  const iterations = options.iterations ?? 1000;
  const unserved: number[] = [];
  const customers: number[] = [];
  for (let v = 1; v < p.size; v++) {
    const alone = 2 * p.distance[v];
    const ok = p.demand[v] <= p.capacity + EPS && p.maxStops >= 1 && alone * p.minutesPerUnit + p.serviceMinutes + p.fixedMinutes <= p.maxMinutes + EPS;
    (ok ? customers : unserved).push(v);
  }
  const search = new Search(p, customers);
  if (customers.length === 0) return finish(search, unserved);

  let best: number[][] = [];
  let bestObj = Infinity;
  for (let s = 0; s < LAMBDAS.length; s++) {
    search.savings(LAMBDAS[s], s === 0 ? null : rng, s === 0 ? 0 : 0.1);
    search.localSearch();
    const obj = search.objective();
    if (obj < bestObj - EPS) {
      bestObj = obj;
      best = search.snapshot();
    }
  }

  search.setRoutes(best);
  let current = best;
  let currentObj = bestObj;
  for (let it = 0; it < iterations; it++) {
    const removed = search.ruin(rng);
    const order = rng() < 0.5 ? shuffleInPlace(rng, removed) : removed.sort((x, y) => p.demand[y] - p.demand[x] || x - y);
    search.recreate(order);
    search.localSearch();
    const obj = search.objective();
    const threshold = bestObj * (1 + 0.01 * (1 - it / iterations));
    if (obj < bestObj - EPS) {
      bestObj = obj;
      best = search.snapshot();
    }
    if (obj < currentObj - EPS || obj <= threshold) {
      current = search.snapshot();
      currentObj = obj;
    } else {
      search.setRoutes(current);
    }
  }
  search.setRoutes(best);
  return finish(search, unserved);
}

function finish(search: Search, unserved: number[]): VrpSolution {
  const routeDistances = search.lens.slice();
  let distance = 0;
  for (const l of routeDistances) distance += l;
  return { routes: search.snapshot(), routeDistances, distance, unserved, withinFleet: search.routes.length <= search.p.maxRoutes };
}

/** The CVRPLIB way: Euclidean distance rounded to the nearest integer (TSPLIB EUC_2D, nint). */
export function euc2dMatrix(xs: readonly number[], ys: readonly number[]): Float64Array {
  const n = xs.length;
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) D[i * n + j] = Math.round(Math.hypot(xs[i] - xs[j], ys[i] - ys[j]));
  }
  return D;
}
