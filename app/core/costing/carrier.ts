// Carrier leg from a rate card: zone, billable weight (actual vs dimensional), band price,
// then the card's surcharges.
import { formatDistance } from "../geo/distance";
import { parseLocalTime, weekdayIndexOfDay, type ZoneClock } from "../geo/localTime";
import { WEEKDAYS } from "../network/types";
import { billableGrams, type Parcel } from "./parcel";
import { bandDetail, freightMinor, postalZone, zoneByDistance, zoneByPostalCode, type RateCard } from "./rateCard";
import type { CompiledRule } from "../rules/registry";
import { surchargeRegistry } from "./surcharges";
import type { Surcharge } from "./surcharges/types";
import type { CostComponent, Destination } from "./types";

export interface CompiledRateCard {
  card: RateCard;
  surcharges: CompiledRule<Surcharge>[];
  /** Weekday indexes (mon = 0) the carrier delivers on. */
  deliversOn: Set<number>;
  deliveryFromMinute: number;
  deliveryToMinute: number;
}

export function compileRateCard(card: RateCard, where: string): CompiledRateCard {
  return {
    card,
    surcharges: card.surcharges.map((ref, j) => surchargeRegistry.compile(ref, `${where}.surcharges[${j}]`)),
    deliversOn: new Set(card.deliversOn.map((d) => WEEKDAYS.indexOf(d))),
    deliveryFromMinute: parseLocalTime(card.deliveryHours[0]),
    deliveryToMinute: parseLocalTime(card.deliveryHours[1]),
  };
}

/** The local day a parcel shipped on `shipDay` arrives after `transitDays` delivery days. */
export function deliveryDay(c: CompiledRateCard, shipDay: number, transitDays: number): number {
  let day = shipDay;
  for (let counted = 0; counted < transitDays; ) {
    day++;
    if (c.deliversOn.has(weekdayIndexOfDay(day))) counted++;
  }
  return day;
}

/** Arrival window of a parcel dispatched at `dispatchAt`, in the node's zone (the address's zone is unknown). */
export function carrierArrival(
  c: CompiledRateCard,
  clock: ZoneClock,
  dispatchAt: number,
  days: { min: number; max: number },
): { earliestMs: number; latestMs: number } {
  const shipDay = clock.local(dispatchAt).day;
  return {
    earliestMs: Math.max(dispatchAt, clock.instant(deliveryDay(c, shipDay, days.min), c.deliveryFromMinute)),
    latestMs: Math.max(dispatchAt, clock.instant(deliveryDay(c, shipDay, days.max), c.deliveryToMinute)),
  };
}

/** What the zone depends on: the distance between the ends, or the receiving end's postal code. */
export interface ZoneInput {
  distanceM: number | null;
  postalCode: string | null;
  country: string;
}

export type ZoneResult = { ok: true; zone: string; detail: string } | { ok: false; reason: string };

/**
 * The zone alone, or null where zoneFor would give a reason: the same lookup without building
 * any text, for prices computed by the thousand (routing, expected returns).
 */
export function zoneOf(card: RateCard, input: ZoneInput): string | null {
  if (!card.destinationCountries.includes(input.country)) return null;
  if (card.zoning.by === "distance") return input.distanceM == null ? null : zoneByDistance(card.zoning.bands, input.distanceM);
  if (input.postalCode == null) return null;
  return postalZone(card.zoning.prefixes, card.zoning.otherwise, input.postalCode);
}

export function zoneFor(card: RateCard, input: ZoneInput): ZoneResult {
  const name = `${card.carrier} ${card.service}`;
  if (!card.destinationCountries.includes(input.country)) {
    return { ok: false, reason: `${name} does not deliver to ${input.country}` };
  }
  if (card.zoning.by === "distance") {
    if (input.distanceM == null) return { ok: false, reason: `${name} zones by distance and the address has no coordinates` };
    const zone = zoneByDistance(card.zoning.bands, input.distanceM);
    return zone
      ? { ok: true, zone, detail: `${formatDistance(input.distanceM)} from the node` }
      : { ok: false, reason: `${name} does not reach ${formatDistance(input.distanceM)}` };
  }
  if (input.postalCode == null) return { ok: false, reason: `${name} zones by postal code and the address has none` };
  const found = zoneByPostalCode(card.zoning.prefixes, card.zoning.otherwise, input.postalCode);
  return found.zone ? { ok: true, zone: found.zone, detail: found.detail } : { ok: false, reason: `${name}: ${found.detail}` };
}

export interface CarrierLeg {
  amountMinor: number;
  components: CostComponent[];
  billableGrams: number;
  reasons: string[];
}

export type CarrierLegResult = { ok: true; leg: CarrierLeg } | { ok: false; reason: string };

export function carrierLeg(
  c: CompiledRateCard,
  zone: string,
  parcel: Parcel,
  destination: Destination,
  toResidence: boolean,
): CarrierLegResult {
  const card = c.card;
  const grams = billableGrams(parcel, card.dimDivisor);
  const freight = freightMinor(card, zone, grams);
  const name = `${card.carrier} ${card.service}`;
  if (freight === null) return { ok: false, reason: `${name} has no price for ${grams} g in zone ${zone}` };
  const reasons: string[] = [];
  if (grams > parcel.weightGrams) {
    reasons.push(`billed on dimensional weight ${grams} g (actual ${parcel.weightGrams} g, divisor ${card.dimDivisor} cm³/kg)`);
  }
  const components: CostComponent[] = [
    { code: "carrier_freight", label: `${name} freight`, amountMinor: freight, detail: `${bandDetail(card, zone, grams)}, billed ${grams} g` },
  ];
  let amountMinor = freight;
  for (const s of c.surcharges) {
    const hit = s.run({ freightMinor: freight, billableGrams: grams, destination, toResidence });
    if (hit) {
      components.push({ code: `surcharge:${s.code}`, label: s.label, amountMinor: hit.amountMinor, detail: hit.detail });
      amountMinor += hit.amountMinor;
    }
  }
  return { ok: true, leg: { amountMinor, components, billableGrams: grams, reasons } };
}

/** The same total as carrierLeg without building the breakdown (return legs are priced by the dozen). */
export function carrierPriceMinor(
  c: CompiledRateCard,
  zone: string,
  parcel: Parcel,
  destination: Destination,
  toResidence: boolean,
): number | null {
  const grams = billableGrams(parcel, c.card.dimDivisor);
  const freight = freightMinor(c.card, zone, grams);
  if (freight === null) return null;
  let amountMinor = freight;
  for (const s of c.surcharges) {
    amountMinor += s.run({ freightMinor: freight, billableGrams: grams, destination, toResidence })?.amountMinor ?? 0;
  }
  return amountMinor;
}
