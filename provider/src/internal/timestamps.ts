/**
 * The clouds send timestamps in at least four formats; everything upgrade-guard stores is ISO 8601
 * UTC with millisecond precision (`Date.prototype.toISOString`).
 *
 * Accepted (docs/wire-formats.md#timestamps):
 * - RFC 3339, any fraction length, `Z` or numeric offset: `2025-08-05T17:10:44.648388+08:00`,
 *   `2023-10-16T08:31:20.292030178Z`
 * - Go's `time.Time.String()`: `2023-11-25 06:32:34.923248 +0000 UTC`
 * - `YYYY-MM-DD HH:mm:ss` without a zone (ACK stage times): read as UTC+8, the zone of the ACK
 *   console that writes them, because the same responses carry `+08:00` on their RFC 3339 fields
 * - epoch milliseconds as a string or number: `"1669706229286"`
 *
 * Written by hand rather than with a date library: the formats are few and fixed, and a library
 * would still need the Go and zone-less cases spelled out.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;
const GO_STRING =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([+-]\d{4})(?: [A-Za-z]+)?$/;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const EPOCH_MS = /^\d{12,14}$/;

/** The zone assumed for zone-less ACK timestamps (minutes east of UTC). */
export const NAIVE_TIMESTAMP_OFFSET_MINUTES = 8 * 60;

/** Minutes east of UTC, or `undefined` for an offset no clock shows (hours > 23 or minutes > 59). */
function offsetMinutes(zone: string): number | undefined {
  if (zone === "Z" || zone === "z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/**
 * Epoch milliseconds of the fields, or `undefined` when they name no real instant: `Date.UTC`
 * would roll `2023-13-45 99:99:99` or `2023-02-30` over into another date, and a check "created"
 * on a date that does not exist is a shape error, not a time to compare. A leap second (`:60`) is
 * accepted and counts as the next second.
 */
function build(
  match: RegExpExecArray,
  fraction: string | undefined,
  offset: number | undefined,
): number | undefined {
  if (offset === undefined) return undefined;
  const y = Number(match[1]);
  const mo = Number(match[2]);
  const d = Number(match[3]);
  const h = Number(match[4]);
  const mi = Number(match[5]);
  const s = Number(match[6]);
  if (d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}

/** Days in month `mo` (1-12) of year `y` in the proleptic Gregorian calendar; 0 for no such month. */
function daysInMonth(y: number, mo: number): number {
  if (mo < 1 || mo > 12) return 0;
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** The largest distance from the epoch a JavaScript Date can hold (ECMAScript's time value range). */
const MAX_DATE_MS = 8.64e15;

/** A time a Date can represent: beyond ±8.64e15 ms `toISOString` throws, so it is not a timestamp. */
const representable = (ms: number | undefined): ms is number =>
  ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;

/** Parses any supported timestamp to epoch milliseconds, or `undefined` when it is not one. */
export function parseTimestamp(value: string | number): number | undefined {
  // Untyped callers (JSON, JavaScript) may hand anything: only strings and numbers can be times.
  if (typeof value === "number") return representable(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  let m: RegExpExecArray | null;
  let ms: number | undefined;
  if ((m = RFC3339.exec(text))) ms = build(m, m[7], offsetMinutes(m[8] ?? "Z"));
  else if ((m = GO_STRING.exec(text))) ms = build(m, m[7], offsetMinutes(m[8] ?? "Z"));
  else if ((m = NAIVE.exec(text))) ms = build(m, m[7], NAIVE_TIMESTAMP_OFFSET_MINUTES);
  else if (EPOCH_MS.test(text)) ms = Number(text);
  return representable(ms) ? ms : undefined;
}

/** Normalizes any supported timestamp to ISO 8601 UTC, or `undefined` when it is not one. */
export function normalizeTimestamp(value: string | number): string | undefined {
  const ms = parseTimestamp(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
