// Courier fees quoted ahead by an on-demand provider (DoorDash Drive and the like), and the keys
// they are cached under: the node, the provider, an area cell around the address, a parcel size
// class and a 15-minute dispatch window. Pure: the services layer fetches and stores the quotes
// (app/services/courier-quotes.server.ts) and hands a read-only lookup to the cost engine, which
// uses a fresh quote instead of its base + per-km estimate.
//
// The area cell is computed by the lookup itself (`cellOf`, an H3 cell in the services layer), so
// the engine does not carry an H3 build (~550 KB) into anything that bundles it.
import type { Parcel } from "./parcel";

export const SIZE_CLASSES = ["SMALL", "MEDIUM", "LARGE"] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

/**
 * Upper bounds of each class (a parcel must fit all three): SMALL fits a courier's insulated bag
 * (a shoebox-sized 12 L, 2 kg), MEDIUM a bike or scooter rack box (50 L, 10 kg); LARGE is anything
 * bigger, up to the courier's own limits.
 */
export const SIZE_CLASS_LIMITS: Record<Exclude<SizeClass, "LARGE">, { maxWeightGrams: number; maxVolumeMm3: number; maxSideMm: number }> = {
  SMALL: { maxWeightGrams: 2_000, maxVolumeMm3: 12_000_000, maxSideMm: 450 },
  MEDIUM: { maxWeightGrams: 10_000, maxVolumeMm3: 50_000_000, maxSideMm: 800 },
};

export function sizeClassOf(parcel: Pick<Parcel, "weightGrams" | "volumeMm3" | "longestSideMm">): SizeClass {
  for (const size of ["SMALL", "MEDIUM"] as const) {
    const l = SIZE_CLASS_LIMITS[size];
    if (parcel.weightGrams <= l.maxWeightGrams && parcel.volumeMm3 <= l.maxVolumeMm3 && parcel.longestSideMm <= l.maxSideMm) {
      return size;
    }
  }
  return "LARGE";
}

export const QUOTE_WINDOW_MS = 15 * 60_000;

/**
 * Start (UTC ms) of the 15-minute window an instant falls in. Windows are aligned on UTC quarter
 * hours, which are also local quarter hours in every zone in use (offsets are whole quarter hours).
 */
export function windowStartOf(ms: number): number {
  return Math.floor(ms / QUOTE_WINDOW_MS) * QUOTE_WINDOW_MS;
}

export interface QuotedFeeKey {
  nodeId: string;
  /** The provider's registry code, e.g. "DOORDASH_DRIVE" (CourierConfig.quoteProvider.code). */
  provider: string;
  cell: string;
  sizeClass: SizeClass;
  /** windowStartOf(dispatch instant). */
  windowStart: number;
}

export interface QuotedCourierFee {
  feeMinor: number;
  currency: string;
  /** Shown in the breakdown, e.g. "DoorDash Drive". */
  providerLabel: string;
  /** UTC ms. */
  fetchedAt: number;
  /** UTC ms: the provider honours the fee until then. */
  expiresAt: number;
  externalId: string | null;
}

/** Read-only, in-memory: the quote path must not wait on I/O. */
export interface QuotedCourierFees {
  /** The cell the fees were cached under for this point. */
  cellOf(latitude: number, longitude: number): string;
  get(key: QuotedFeeKey): QuotedCourierFee | undefined;
}
