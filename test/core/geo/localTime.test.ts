import { describe, expect, it } from "vitest";
import {
  clockFor,
  dayOfIsoDate,
  formatLocalTime,
  parseLocalTime,
  weekdayOfDay,
  ZoneClock,
} from "../../../app/core/geo/localTime";
import { NY } from "../fixtures";

const utc = (iso: string) => Date.parse(iso);

describe("local time helpers", () => {
  it("parses and formats HH:MM", () => {
    expect(parseLocalTime("16:05")).toBe(965);
    expect(parseLocalTime("24:00")).toBe(1440);
    expect(formatLocalTime(965)).toBe("16:05");
    expect(formatLocalTime(5)).toBe("00:05");
  });

  it("numbers days from 1970-01-01, a Thursday", () => {
    expect(weekdayOfDay(0)).toBe("thu");
    expect(weekdayOfDay(-1)).toBe("wed");
    expect(weekdayOfDay(dayOfIsoDate("2025-06-10"))).toBe("tue");
    expect(weekdayOfDay(dayOfIsoDate("2025-12-25"))).toBe("thu");
  });
});

describe("ZoneClock", () => {
  const clock = new ZoneClock(NY);

  it("reads summer and winter offsets", () => {
    expect(clock.offsetMinutesAt(utc("2025-06-10T15:00:00Z"))).toBe(-240);
    expect(clock.offsetMinutesAt(utc("2025-01-10T15:00:00Z"))).toBe(-300);
  });

  it("gives the local day, weekday and minute", () => {
    // 2025-06-11T03:30Z is still Tuesday 23:30 in New York
    const m = clock.local(utc("2025-06-11T03:30:00Z"));
    expect(m.weekday).toBe("tue");
    expect(m.weekdayIndex).toBe(1);
    expect(m.minuteOfDay).toBe(23 * 60 + 30);
    expect(m.day).toBe(dayOfIsoDate("2025-06-10"));
  });

  it("switches offset exactly at the spring-forward instant (2025-03-09 07:00Z)", () => {
    expect(clock.local(utc("2025-03-09T06:59:00Z")).minuteOfDay).toBe(60 + 59); // 01:59 EST
    expect(clock.local(utc("2025-03-09T07:00:00Z")).minuteOfDay).toBe(3 * 60); // 03:00 EDT
  });

  it("reads both 01:30s of the fall-back night", () => {
    expect(clock.local(utc("2025-11-02T05:30:00Z")).minuteOfDay).toBe(90); // 01:30 EDT
    expect(clock.local(utc("2025-11-02T06:30:00Z")).minuteOfDay).toBe(90); // 01:30 EST
  });

  it("turns a local day and minute into a UTC instant on either side of DST", () => {
    expect(clock.instant(dayOfIsoDate("2025-03-08"), 16 * 60)).toBe(utc("2025-03-08T21:00:00Z"));
    expect(clock.instant(dayOfIsoDate("2025-03-09"), 16 * 60)).toBe(utc("2025-03-09T20:00:00Z"));
    expect(clock.instant(dayOfIsoDate("2025-11-02"), 16 * 60)).toBe(utc("2025-11-02T21:00:00Z"));
  });

  it("moves a time in the spring-forward gap forward and takes the later fall-back instant", () => {
    expect(clock.instant(dayOfIsoDate("2025-03-09"), 150)).toBe(utc("2025-03-09T07:30:00Z")); // 02:30 → 03:30 EDT
    expect(clock.instant(dayOfIsoDate("2025-11-02"), 90)).toBe(utc("2025-11-02T06:30:00Z")); // 01:30 EST
  });

  it("treats 24:00 as the next midnight", () => {
    expect(clock.instant(dayOfIsoDate("2025-06-10"), 1440)).toBe(utc("2025-06-11T04:00:00Z"));
  });

  it("works for zones with quarter-hour offsets", () => {
    const kathmandu = clockFor("Asia/Kathmandu");
    expect(kathmandu.local(utc("2025-06-10T00:00:00Z")).minuteOfDay).toBe(5 * 60 + 45);
  });

  it("refuses an unknown zone", () => {
    expect(() => new ZoneClock("Mars/Olympus_Mons")).toThrow(/unknown time zone/);
  });
});
