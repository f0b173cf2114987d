// A cart as one parcel: summed weight, summed unit volumes (the packer fills a box with the
// items, so the box is at least their total volume), and the longest item side (size limits).
import type { ProductProfile } from "../network/types";
import type { CartLine } from "./types";

export interface Parcel {
  weightGrams: number;
  volumeMm3: number;
  longestSideMm: number;
  units: number;
}

function unitVolumeMm3(p: ProductProfile): number {
  return p.lengthMm * p.widthMm * p.heightMm;
}

function longestSide(p: ProductProfile): number {
  return Math.max(p.lengthMm, p.widthMm, p.heightMm);
}

export function parcelOf(lines: readonly CartLine[]): Parcel {
  let weightGrams = 0;
  let volumeMm3 = 0;
  let longestSideMm = 0;
  let units = 0;
  for (const { product, quantity } of lines) {
    weightGrams += product.weightGrams * quantity;
    volumeMm3 += unitVolumeMm3(product) * quantity;
    longestSideMm = Math.max(longestSideMm, longestSide(product));
    units += quantity;
  }
  return { weightGrams, volumeMm3, longestSideMm, units };
}

/** The parcel of a single returned unit. */
export function unitParcel(p: ProductProfile): Parcel {
  return { weightGrams: p.weightGrams, volumeMm3: unitVolumeMm3(p), longestSideMm: longestSide(p), units: 1 };
}

/**
 * Dimensional weight in grams for a divisor in cm³ per kg (5000 is common):
 * cm³ / divisor kg = (mm³ / 1000) / divisor × 1000 g = mm³ / divisor g, rounded up.
 */
export function dimWeightGrams(volumeMm3: number, divisorCm3PerKg: number): number {
  return Math.ceil(volumeMm3 / divisorCm3PerKg);
}

/** The weight a carrier bills: the larger of actual and dimensional weight. */
export function billableGrams(parcel: Parcel, divisorCm3PerKg: number | null): number {
  if (divisorCm3PerKg == null) return parcel.weightGrams;
  return Math.max(parcel.weightGrams, dimWeightGrams(parcel.volumeMm3, divisorCm3PerKg));
}

export function subtotalMinor(lines: readonly CartLine[]): number {
  let sum = 0;
  for (const l of lines) sum += (l.unitPriceMinor ?? l.product.valueMinor) * l.quantity;
  return sum;
}
