// A CVRPLIB (TSPLIB-format) CVRP instance: NAME, COMMENT (Augerat's carry the optimum), CAPACITY,
// EUC_2D coordinates, demands and one depot. Shared by bench/rounds.ts and the rounds tests.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { euc2dMatrix, vrpProblem, type VrpProblem } from "../../../app/core/rounds/vrp";

export interface CvrpInstance {
  name: string;
  comment: string;
  /** From the comment, "Optimal value: 784". */
  optimum: number | null;
  /** From the comment, "No of trucks: 5". */
  trucks: number | null;
  capacity: number;
  problem: VrpProblem;
}

export const CVRPLIB_DIR = join(import.meta.dirname, "../../../bench/data/cvrplib");

export function parseCvrp(text: string): CvrpInstance {
  const header = new Map<string, string>();
  const coords = new Map<number, [number, number]>();
  const demands = new Map<number, number>();
  const depots: number[] = [];
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line === "EOF") continue;
    const kv = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (kv) {
      header.set(kv[1], kv[2].trim());
      continue;
    }
    if (/^[A-Z_]+$/.test(line)) {
      section = line;
      continue;
    }
    const f = line.split(/\s+/).map(Number);
    if (section === "NODE_COORD_SECTION") coords.set(f[0], [f[1], f[2]]);
    else if (section === "DEMAND_SECTION") demands.set(f[0], f[1]);
    else if (section === "DEPOT_SECTION" && f[0] > 0) depots.push(f[0]);
  }
  if (header.get("EDGE_WEIGHT_TYPE") !== "EUC_2D") throw new Error(`${header.get("NAME")}: only EUC_2D instances are supported`);
  const depot = depots[0] ?? 1;
  const ids = [depot, ...[...coords.keys()].filter((k) => k !== depot).sort((a, b) => a - b)];
  const xs = ids.map((id) => coords.get(id)![0]);
  const ys = ids.map((id) => coords.get(id)![1]);
  const comment = header.get("COMMENT") ?? "";
  const opt = /Optimal value:\s*(\d+)/i.exec(comment);
  const trucks = /No of trucks:\s*(\d+)/i.exec(comment);
  const capacity = Number(header.get("CAPACITY"));
  return {
    name: header.get("NAME") ?? "",
    comment,
    optimum: opt ? Number(opt[1]) : null,
    trucks: trucks ? Number(trucks[1]) : null,
    capacity,
    problem: vrpProblem({ size: ids.length, distance: euc2dMatrix(xs, ys), demand: ids.map((id) => demands.get(id) ?? 0), capacity }),
  };
}

export function loadCvrp(name: string): CvrpInstance {
  return parseCvrp(readFileSync(join(CVRPLIB_DIR, `${name}.vrp`), "utf8"));
}

export function cvrplibNames(): string[] {
  return readdirSync(CVRPLIB_DIR).filter((f) => f.endsWith(".vrp")).map((f) => f.slice(0, -4)).sort();
}
