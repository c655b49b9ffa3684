/**
 * The clouds send timestamps in at least four formats; everything upgrade-guard stores is ISO 8601
 * UTC with millisecond precision (`Date.prototype.toISOString`).
 *
 * Accepted (apis.md §5):
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

function offsetMinutes(zone: string): number {
  if (zone === "Z" || zone === "z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function build(parts: string[], fraction: string | undefined, offset: number): number {
  const [y, mo, d, h, mi, s] = parts.map(Number) as [number, number, number, number, number, number];
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}

/** Parses any supported timestamp to epoch milliseconds, or `undefined` when it is not one. */
export function parseTimestamp(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const text = value.trim();
  let m: RegExpExecArray | null;
  let ms: number | undefined;
  if ((m = RFC3339.exec(text))) ms = build(m.slice(1, 7), m[7], offsetMinutes(m[8] ?? "Z"));
  else if ((m = GO_STRING.exec(text))) ms = build(m.slice(1, 7), m[7], offsetMinutes(m[8] ?? "Z"));
  else if ((m = NAIVE.exec(text))) ms = build(m.slice(1, 7), m[7], NAIVE_TIMESTAMP_OFFSET_MINUTES);
  else if (EPOCH_MS.test(text)) ms = Number(text);
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
}

/** Normalizes any supported timestamp to ISO 8601 UTC, or `undefined` when it is not one. */
export function normalizeTimestamp(value: string | number): string | undefined {
  const ms = parseTimestamp(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
