import { normalizeTimestamp, parseTimestamp } from "../../src/internal/timestamps";

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

  it("the edges of the Date range are timestamps", () => {
    expect(normalizeTimestamp(8.64e15)).toBe("+275760-09-13T00:00:00.000Z");
    expect(normalizeTimestamp(-8.64e15)).toBe("-271821-04-20T00:00:00.000Z");
  });
});
