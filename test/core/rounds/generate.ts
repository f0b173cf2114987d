// Generated days of local orders around a hub, from a seed: addresses spread evenly over a disc
// around the hub, order weights 300 g – 4 kg, placed through the day. Shared by bench/rounds.ts and
// the rounds tests.
import { seededRng } from "../../../app/core/rounds/random";
import type { RoundOrder } from "../../../app/core/rounds/waves";

export const BROOKLYN = { latitude: 40.6782, longitude: -73.9442 };

export interface GeneratedDay {
  orders: RoundOrder[];
  radiusM: number;
  areaM2: number;
}

/** `count` orders within `radiusM` of the centre, placed between `fromMs` and `fromMs + spanMs`. */
export function generateDay(seed: number, count: number, radiusM: number, fromMs: number, spanMs: number, centre = BROOKLYN): GeneratedDay {
  const rng = seededRng(seed);
  const mPerDegLat = 111_320;
  const mPerDegLng = 111_320 * Math.cos((centre.latitude * Math.PI) / 180);
  const orders: RoundOrder[] = [];
  for (let i = 0; i < count; i++) {
    const r = radiusM * Math.sqrt(rng());
    const t = 2 * Math.PI * rng();
    orders.push({
      id: `o${seed}-${i}`,
      placedAt: fromMs + Math.floor(rng() * spanMs),
      latitude: centre.latitude + (r * Math.sin(t)) / mPerDegLat,
      longitude: centre.longitude + (r * Math.cos(t)) / mPerDegLng,
      weightGrams: 300 + Math.floor(rng() * 3700),
    });
  }
  return { orders, radiusM, areaM2: Math.PI * radiusM * radiusM };
}
