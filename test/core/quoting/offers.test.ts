// What checkout offers from a quote (core/quoting/offers): the backup rates' windows in business
// days that skip the holidays of the node they ship from; one live offer per service.
import { describe, expect, it } from "vitest";
import { clockFor } from "~/core/geo/localTime";
import { addBusinessDays, backupOffers, checkoutOffers, NodeCalendar, offeredOptions, type BackupRate, type QuoteOption } from "~/core/quoting";
import { openingHoursSchema } from "~/core/network/types";

const NY = "America/New_York";
const rates: BackupRate[] = [{ serviceName: "Standard", serviceCode: "S", description: "", priceMinor: 899, freeOverMinor: 5000, transitDaysMin: 3, transitDaysMax: 7 }];
const friday = Date.parse("2025-06-13T15:00:00Z");
const local = (ms: number) => new Intl.DateTimeFormat("sv-SE", { timeZone: NY, dateStyle: "short", timeStyle: "short" }).format(ms);
const warehouse = (holidays: string[]) => new NodeCalendar(clockFor(NY), openingHoursSchema.parse({}), holidays, null);
const quote = (subtotalMinor: number, backupCalendar: NodeCalendar | null) => ({
  timezone: NY,
  backupRates: rates,
  subtotalMinor,
  backupCalendar,
  result: { currency: "USD", quotedAt: friday, options: [], excluded: [], reasons: [] },
});

describe("backup offers", () => {
  it("count business days in the shop's zone, and are free over their threshold", () => {
    const [under] = backupOffers(quote(4999, null), friday);
    const [over] = backupOffers(quote(5000, null), friday);
    expect([under.priceMinor, over.priceMinor]).toEqual([899, 0]);
    expect(under.description).toBe("3–7 business days");
    // Friday + 3 business days = Wednesday; + 7 = the Tuesday after next.
    expect([local(under.earliestMs), local(under.latestMs)]).toEqual(["2025-06-18 09:00", "2025-06-24 20:00"]);
  });

  it("skip the holidays of the node they ship from", () => {
    // Juneteenth (Thursday 19 June) closes the warehouse: the last day moves to Wednesday 25 June.
    const [offer] = backupOffers(quote(0, warehouse(["2025-06-19"])), friday);
    expect([local(offer.earliestMs), local(offer.latestMs)]).toEqual(["2025-06-18 09:00", "2025-06-25 20:00"]);
    // A holiday on a weekend changes nothing; two in a row move the window by two.
    const day = clockFor(NY).local(friday).day;
    expect(addBusinessDays(day, 3, warehouse(["2025-06-14"]))).toBe(addBusinessDays(day, 3, null));
    expect(addBusinessDays(day, 3, warehouse(["2025-06-16", "2025-06-17"]))).toBe(addBusinessDays(day, 5, null));
  });

  it("are what checkoutOffers answers when live quoting did not", () => {
    const offers = checkoutOffers({ ...quote(0, warehouse(["2025-06-19"])), fallbackUsed: true });
    expect(offers.map((o) => [o.service, o.serviceCode, local(o.latestMs)])).toEqual([["BACKUP", "S", "2025-06-25 20:00"]]);
  });
});

describe("live offers", () => {
  const option = (service: QuoteOption["service"], nodeId: string, priceMinor: number) =>
    ({ service, nodeId, nodeName: nodeId, nodeHandle: nodeId, serviceCode: `NH:${nodeId}:${service}`, priceMinor, currency: "USD", description: "", window: { earliestMs: 1, latestMs: 2, timezone: NY } }) as unknown as QuoteOption;

  it("offer one rate per service, its first (cheapest) node, and pickup at every node", () => {
    const options = [option("SAME_DAY", "bk", 700), option("SAME_DAY", "qn", 800), option("PICKUP", "bk", 0), option("PICKUP", "qn", 0), option("STANDARD", "wh", 900)];
    expect(offeredOptions(options).map((o) => o.serviceCode)).toEqual(["NH:bk:SAME_DAY", "NH:bk:PICKUP", "NH:qn:PICKUP", "NH:wh:STANDARD"]);
    const offers = checkoutOffers({ ...quote(0, null), fallbackUsed: false, result: { currency: "USD", quotedAt: friday, options, excluded: [], reasons: [] } });
    expect(offers.map((o) => [o.serviceName, o.phoneRequired])).toEqual([
      ["Same-day delivery", true],
      ["Pickup at bk", false],
      ["Pickup at qn", false],
      ["Standard shipping", false],
    ]);
  });
});
