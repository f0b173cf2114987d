// Throughput of the quoting core on one core: a three-line cart, five candidate nodes (the New
// York fixture: warehouse, two hubs, micro-factory, studio), addresses spread over the city and
// beyond, order times spread over a day. Run: npx tsx bench/quote-core.ts
// The last line printed is one JSON object for machines.
import { prepareNetwork, quotePrepared } from "../app/core/quoting";
import type { Destination } from "../app/core/costing/types";
import { addresses, local, nycConfig, nycSnapshot, threeLineCart } from "../test/core/fixtures";

const TARGET = 20_000;
const WARMUP = 20_000;
const QUOTES = Number(process.env.QUOTES ?? 250_000);

// Deterministic pseudo-random spread (no Math.random: the run is reproducible).
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);

const named = Object.values(addresses) as Destination[];
const destinations: Destination[] = [];
for (let i = 0; i < 1000; i++) {
  const base = named[i % named.length];
  destinations.push(
    base.latitude == null
      ? base
      : { ...base, latitude: base.latitude + (rand() - 0.5) * 0.02, longitude: base.longitude! + (rand() - 0.5) * 0.02 },
  );
}
const dayStart = local("2025-06-10T07:00");
const nows = Array.from({ length: 997 }, () => dayStart + Math.floor(rand() * 15 * 3_600_000));

// Worst case: every node stocks the whole cart, so all five are costed for every service they have.
const snapshot = nycSnapshot();
for (const id of Object.keys(snapshot.stock)) Object.assign(snapshot.stock[id], { mug: 50, print: 50, hoodie: 50 });
const net = prepareNetwork(snapshot, nycConfig());
const cart = { lines: threeLineCart() };

let options = 0;
function run(n: number): void {
  for (let i = 0; i < n; i++) {
    const r = quotePrepared(net, { cart, destination: destinations[i % destinations.length], now: nows[i % nows.length] });
    options += r.options.length;
  }
}

run(WARMUP);
options = 0;
const start = performance.now();
run(QUOTES);
const seconds = (performance.now() - start) / 1000;
const quotesPerSecond = Math.round(QUOTES / seconds);

console.log(`${QUOTES} quotes in ${seconds.toFixed(2)} s: ${quotesPerSecond} quotes/s, ${((seconds / QUOTES) * 1e6).toFixed(1)} µs/quote, ${(options / QUOTES).toFixed(2)} options/quote`);
console.log(JSON.stringify({ quotesPerSecond, target: TARGET, ratio: Number((quotesPerSecond / TARGET).toFixed(2)) }));
