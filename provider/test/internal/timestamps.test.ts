import fc from "fast-check";
import { isoString, normalizeTimestamp, parseTimestamp } from "../../src/internal/timestamps";

describe("normalizeTimestamp: every format the clouds send becomes ISO 8601 UTC", () => {
  it.each([
    // RFC 3339, any fraction length, Z or an offset
    ["2025-08-05T17:10:44.648388+08:00", "2025-08-05T09:10:44.648Z"],
    ["2023-10-16T08:31:20.292030178Z", "2023-10-16T08:31:20.292Z"],
    ["2023-10-16T08:31:20Z", "2023-10-16T08:31:20.000Z"],
    ["2023-10-16t08:31:20z", "2023-10-16T08:31:20.000Z"],
    ["2023-10-16T08:31:20-0130", "2023-10-16T10:01:20.000Z"],
    ["  2023-10-16T08:31:20Z  ", "2023-10-16T08:31:20.000Z"],
    // Go's time.Time.String()
    ["2023-11-25 06:32:34.923248 +0000 UTC", "2023-11-25T06:32:34.923Z"],
    ["2023-11-25 14:32:34 +0800 CST", "2023-11-25T06:32:34.000Z"],
    // zone-less ACK stage times: UTC+8
    ["2024-01-02 08:00:00", "2024-01-02T00:00:00.000Z"],
    // epoch milliseconds, as a string or a number
    ["1669706229286", "2022-11-29T07:17:09.286Z"],
    [1669706229286, "2022-11-29T07:17:09.286Z"],
    // a leap day exists in leap years, and a leap second counts as the next second
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["2016-12-31T23:59:60Z", "2017-01-01T00:00:00.000Z"],
  ])("%s -> %s", (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
  });

  it.each([
    // dates and times that do not exist are refused, not rolled over into another date
    "2023-13-45 99:99:99",
    "2023-02-30 10:00:00",
    "2023-02-29T00:00:00Z",
    "2023-04-31T00:00:00Z",
    "2023-00-10T00:00:00Z",
    "2023-01-00T00:00:00Z",
    "2023-01-01T24:00:00Z",
    "2023-01-01T23:60:00Z",
    "2023-01-01T23:59:61Z",
    "2023-01-01T00:00:00+24:00",
    "2023-01-01T00:00:00+01:60",
    // a number bounded as its string form is: epoch microseconds are not milliseconds of year 56564
    1722850244000000 as never,
    "1722850244000000",
    // not timestamps at all
    "",
    "yesterday",
    "2023-01-01",
    "12345",
  ])("%j is not a timestamp", (input) => {
    expect(normalizeTimestamp(input)).toBeUndefined();
    expect(parseTimestamp(input)).toBeUndefined();
  });

  it.each([null, undefined, {}, [], true, Number.NaN, Number.POSITIVE_INFINITY])(
    "%p from an untyped caller is not a timestamp (no TypeError)",
    (input) => {
      expect(normalizeTimestamp(input as never)).toBeUndefined();
    },
  );

  // Found by the reliability suite's fuzzing: finite, but beyond what a Date holds, so toISOString threw
  // a RangeError out of the response schemas instead of a shape error.
  it.each([-8640000000000001, 8.64e15 + 1, 1e17, "99999999999999999", "-8640000000000001"])(
    "%p is outside the Date range: not a timestamp (no RangeError)",
    (input) => {
      expect(normalizeTimestamp(input)).toBeUndefined();
      expect(parseTimestamp(input)).toBeUndefined();
    },
  );

  it("a number is bounded as its 14-digit string form is, well inside the Date range", () => {
    expect(normalizeTimestamp(99_999_999_999_999)).toBe(normalizeTimestamp("99999999999999"));
    expect(normalizeTimestamp(8.64e15)).toBeUndefined();
    expect(normalizeTimestamp(-8.64e15)).toBeUndefined();
  });
});

/**
 * The reader scans by position; the formats are easier to read as the regular expressions it
 * replaced (docs/wire-formats.md#timestamps), so those stay here as the reference it must agree with.
 */
describe("parseTimestamp agrees with the reference regular expressions", () => {
  const RFC3339 =
    /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;
  const GO_STRING =
    /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([+-]\d{4})(?: [A-Za-z]+)?$/;
  const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
  const EPOCH_MS = /^\d{12,14}$/;
  const daysIn = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();

  function reference(value: string): number | undefined {
    const text = value.trim();
    const zone = (z: string): number | undefined => {
      if (z === "Z" || z === "z") return 0;
      const digits = z.slice(1).replace(":", "");
      const [h, m] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4))];
      return h > 23 || m > 59 ? undefined : (z.startsWith("-") ? -1 : 1) * (h * 60 + m);
    };
    const build = (m: RegExpExecArray, offset: number | undefined) => {
      const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      if (
        offset === undefined ||
        mo < 1 ||
        mo > 12 ||
        d < 1 ||
        d > daysIn(y, mo) ||
        h > 23 ||
        mi > 59 ||
        s > 60
      )
        return undefined;
      const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
      return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
    };
    let m: RegExpExecArray | null;
    let ms: number | undefined;
    if ((m = RFC3339.exec(text))) ms = build(m, zone(m[8] ?? "Z"));
    else if ((m = GO_STRING.exec(text))) ms = build(m, zone(m[8] ?? "Z"));
    else if ((m = NAIVE.exec(text))) ms = build(m, 8 * 60);
    else if (EPOCH_MS.test(text)) ms = Number(text);
    return ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
  }

  // Pieces near each format, so most generated strings are almost timestamps.
  const digits = (min: number, max: number) =>
    fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((d) => d.join(""));
  const piece = fc.oneof(
    digits(1, 5),
    fc.constantFrom("-", ":", ".", "T", "t", " ", "Z", "z", "+", "UTC", " CST", "x", "", "\u00c5"),
  );
  // Fields mostly in range (a random two-digit month is rarely a month), sometimes just past it.
  const field = (max: number) => fc.integer({ min: 0, max: max + 1 }).map((n) => String(n).padStart(2, "0"));
  const nearTimestamp = fc.oneof(
    fc
      .tuple(
        fc.oneof(digits(4, 4), fc.constantFrom("2024", "2023", "1999")),
        fc.constantFrom("-"),
        field(12),
        fc.constantFrom("-", "-", "-", "/"),
        field(31),
        fc.constantFrom("T", "t", " ", "_"),
        field(23),
        fc.constantFrom(":"),
        field(59),
        fc.constantFrom(":", ":", ":", "-"),
        field(60),
        fc.oneof(
          fc.constant(""),
          digits(0, 11).map((d) => `.${d}`),
        ),
        fc.oneof(
          fc.constantFrom("", "Z", "z", " UTC", "+", " +"),
          fc
            .tuple(
              fc.constantFrom("+", "-", " +", " -"),
              digits(2, 2),
              fc.constantFrom("", ":"),
              digits(0, 3),
            )
            .map((z) => z.join("")),
          fc
            .tuple(
              fc.constantFrom(" +", " -"),
              digits(4, 4),
              fc.constantFrom("", " UTC", " C5T", " ", " cst", " U`C", " U[C", " U@C", " Z{"),
            )
            .map((z) => z.join("")),
        ),
      )
      .map((p) => p.join("")),
    fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
    digits(10, 16),
    fc.string({ maxLength: 40 }),
  );

  it("on strings near every format and on any string", () => {
    let accepted = 0;
    fc.assert(
      fc.property(nearTimestamp, (text) => {
        const expected = reference(text);
        if (expected !== undefined) accepted += 1;
        expect(parseTimestamp(text)).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
    // The generator must reach real timestamps, or agreeing on "not one" would prove little.
    expect(accepted).toBeGreaterThan(1_000);
  });
});

describe("isoString writes what Date.prototype.toISOString writes", () => {
  const check = (ms: number) => expect(isoString(ms)).toBe(new Date(ms).toISOString());

  it.each([
    0, -1, 1, 951_782_400_000, 951_868_799_999, -62_167_219_200_000, 253_402_300_799_999, -0.5, 1.9, -1.5,
  ])("%p (the epoch, around it, 2000-02-29, the first and last four-digit years, fractions)", check);

  it("on any millisecond of the Date range", () => {
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), check), { numRuns: 20_000 });
    fc.assert(fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), check), {
      numRuns: 20_000,
    });
    fc.assert(fc.property(fc.double({ min: -1e13, max: 1e13, noNaN: true }), check), { numRuns: 5_000 });
  });
});
