// Where a V8 CPU profile (node --cpu-prof, e.g. BENCH_CPU_PROFILE_DIR=<dir> npm run bench:quote) spent its
// time: self time per function and per file, the top N of each. Run:
//   node bench/cpu-profile-top.mjs <file.cpuprofile> [N=25]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/cpu-profile-top.mjs <file.cpuprofile> [N]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
// timeDeltas[i] is the time before samples[i] was taken.
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url) => (url ? url.replace(/^file:\/\//, "").replace(/^.*node_modules\//, "nm:").replace(/^.*\/build\//, "build/") : "(native)");
const fnTotals = new Map();
const fileTotals = new Map();
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  const fn = `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  fnTotals.set(fn, (fnTotals.get(fn) ?? 0) + us);
  const where = f.url ? shortUrl(f.url).replace(/^nm:((@[^/]+\/)?[^/]+).*/, "nm:$1") : f.functionName || "(native)";
  fileTotals.set(where, (fileTotals.get(where) ?? 0) + us);
}
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print("Self time by function", fnTotals);
print("Self time by file or package", fileTotals);
