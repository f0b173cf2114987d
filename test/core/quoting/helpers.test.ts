import { describe, expect, it } from "vitest";
import { parseServiceCode, serviceCodeOf } from "../../../app/core/quoting/serviceCode";
import { describeOption, formatClock, formatDay } from "../../../app/core/quoting/describe";
import { chooseCheapest, sortOptions } from "../../../app/core/quoting/sort";
import type { QuoteOption } from "../../../app/core/quoting/types";
import { dayOfIsoDate } from "../../../app/core/geo/localTime";
import { local, NY } from "../fixtures";

describe("service codes", () => {
  it("round-trips node handle and service", () => {
    expect(serviceCodeOf("brooklyn", "SAME_DAY")).toBe("NH:brooklyn:SAME_DAY");
    expect(parseServiceCode("NH:brooklyn:SAME_DAY")).toEqual({ nodeHandle: "brooklyn", service: "SAME_DAY" });
    expect(parseServiceCode(serviceCodeOf("odd:handle", "PICKUP"))).toEqual({ nodeHandle: "odd:handle", service: "PICKUP" });
  });

  it("returns null for other rates", () => {
    for (const code of ["STANDARD", "NH:brooklyn", "NH::SAME_DAY", "NH:brooklyn:TELEPORT", "XX:brooklyn:SAME_DAY", ""]) {
      expect(parseServiceCode(code)).toBeNull();
    }
  });
});

describe("descriptions", () => {
  it("formats clock times", () => {
    expect(formatClock(0)).toBe("12 am");
    expect(formatClock(720)).toBe("12 pm");
    expect(formatClock(1230)).toBe("8:30 pm");
    expect(formatClock(20 * 60)).toBe("8 pm");
  });

  it("names days relative to today", () => {
    const today = dayOfIsoDate("2025-06-10");
    expect(formatDay(today, today)).toBe("Today");
    expect(formatDay(today + 1, today)).toBe("Tomorrow");
    expect(formatDay(today + 2, today)).toBe("Thu, Jun 12");
  });

  const now = local("2025-06-10T11:00");
  const window = (from: string, to: string) => ({ earliestMs: local(from), latestMs: local(to), timezone: NY });

  it("says when and from where", () => {
    expect(describeOption({ service: "SAME_DAY", nodeName: "Brooklyn hub", window: window("2025-06-10T18:50", "2025-06-10T20:00") }, now)).toBe(
      "Today by 8 pm from the Brooklyn hub",
    );
    expect(describeOption({ service: "NEXT_DAY", nodeName: "The Chelsea Hub", window: window("2025-06-11T08:20", "2025-06-11T09:30") }, now)).toBe(
      "Tomorrow by 9:30 am from The Chelsea Hub",
    );
    expect(describeOption({ service: "SAME_DAY", nodeName: "Brooklyn hub", window: window("2025-06-10T23:10", "2025-06-11T00:00") }, now)).toBe(
      "Today by midnight from the Brooklyn hub",
    );
    expect(describeOption({ service: "PICKUP", nodeName: "Brooklyn hub", window: window("2025-06-10T11:30", "2025-06-10T20:00") }, now)).toBe(
      "Pick up today from 11:30 am at the Brooklyn hub",
    );
  });

  it("reads the window in the node's zone, not the server's", () => {
    const o = { service: "SAME_DAY" as const, nodeName: "Soho hub", window: { earliestMs: Date.parse("2025-06-10T17:00:00Z"), latestMs: Date.parse("2025-06-10T19:00:00Z"), timezone: "Europe/London" } };
    expect(describeOption(o, Date.parse("2025-06-10T10:00:00Z"))).toBe("Today by 8 pm from the Soho hub");
  });
});

describe("sorting", () => {
  const opt = (serviceCode: string, priceMinor: number, totalMinor: number, latestMs: number) =>
    ({ serviceCode, priceMinor, cost: { totalMinor }, window: { latestMs } }) as unknown as QuoteOption;
  const a = opt("NH:a:SAME_DAY", 999, 900, 2);
  const b = opt("NH:b:NEXT_DAY", 999, 700, 1);
  const c = opt("NH:c:STANDARD", 0, 1500, 5);

  it("orders by price, then earliest promise, then code", () => {
    expect(sortOptions([a, b, c]).map((o) => o.serviceCode)).toEqual(["NH:c:STANDARD", "NH:b:NEXT_DAY", "NH:a:SAME_DAY"]);
  });

  it("chooses the cheapest for the shopper or for the merchant", () => {
    expect(chooseCheapest([a, b, c])).toBe(c);
    expect(chooseCheapest([a, b, c], "cost")).toBe(b);
    expect(chooseCheapest([])).toBeNull();
  });
});
