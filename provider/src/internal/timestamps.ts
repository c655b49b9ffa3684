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

const EPOCH_MS = /^\d{12,14}$/;

/** The zone assumed for zone-less ACK timestamps (minutes east of UTC). */
export const NAIVE_TIMESTAMP_OFFSET_MINUTES = 8 * 60;

/** Minutes east of UTC, or `undefined` for an offset no clock shows (hours > 23 or minutes > 59). */
function offsetMinutes(sign: string, hours: number, minutes: number): number | undefined {
  if (hours > 23 || minutes > 59) return undefined;
  return (sign === "-" ? -1 : 1) * (hours * 60 + minutes);
}

/** The number written by the `count` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48; // NaN past the end, which fails the test too
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The zone after the seconds (and fraction), in minutes east of UTC, for the three formats with a
 * date and a time; `undefined` when the rest fits none. `separator` is the character between date and
 * time: RFC 3339 takes `T`, `t` or a space, Go's format a space, the zone-less form `T` or a space.
 */
function zoneOffset(text: string, at: number, separator: string): number | undefined {
  const rest = text.length - at;
  if (rest === 0) return separator === "T" || separator === " " ? NAIVE_TIMESTAMP_OFFSET_MINUTES : undefined;
  const rfc3339 = separator === "T" || separator === "t" || separator === " ";
  const first = text[at];
  if (rest === 1 && (first === "Z" || first === "z")) return rfc3339 ? 0 : undefined;
  if (first === "+" || first === "-") {
    // RFC 3339: `+08:00` or `+0800`.
    if (!rfc3339) return undefined;
    const hours = digitsAt(text, at + 1, 2);
    const minutes =
      rest === 6 && text[at + 3] === ":"
        ? digitsAt(text, at + 4, 2)
        : rest === 5
          ? digitsAt(text, at + 3, 2)
          : -1;
    return hours < 0 || minutes < 0 ? undefined : offsetMinutes(first, hours, minutes);
  }
  // Go: ` +0000`, optionally followed by ` UTC` (a zone name of letters).
  const sign = text[at + 1];
  if (first !== " " || separator !== " " || rest < 6 || (sign !== "+" && sign !== "-")) return undefined;
  const hours = digitsAt(text, at + 2, 2);
  const minutes = digitsAt(text, at + 4, 2);
  if (hours < 0 || minutes < 0) return undefined;
  if (rest > 6) {
    if (text[at + 6] !== " " || rest === 7) return undefined;
    for (let i = at + 7; i < text.length; i++) {
      const code = text.charCodeAt(i) | 0x20; // lower case for letters
      if (code < 97 || code > 122) return undefined;
    }
  }
  return offsetMinutes(sign, hours, minutes);
}

/**
 * Epoch milliseconds of `YYYY-MM-DD?HH:mm:ss[.fraction]zone` (RFC 3339, Go, zone-less), or
 * `undefined` when the text is none of them or names no real instant: `Date.UTC` would roll
 * `2023-13-45 99:99:99` or `2023-02-30` over into another date, and a check "created" on a date that
 * does not exist is a shape error, not a time to compare. A leap second (`:60`) is accepted and
 * counts as the next second. Read by position rather than with regular expressions: responses carry
 * several timestamps each, and this ran at a microsecond apiece.
 */
function parseDateTime(text: string): number | undefined {
  if (text.length < 19 || text[4] !== "-" || text[7] !== "-" || text[13] !== ":" || text[16] !== ":")
    return undefined;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  let at = 19;
  let ms = 0;
  if (text[at] === ".") {
    const start = at + 1;
    at = start;
    while (at < text.length && at - start < 10 && digitsAt(text, at, 1) >= 0) at += 1;
    const length = at - start;
    if (length === 0 || length > 9) return undefined;
    // Milliseconds: the first three digits, `.5` being 500.
    ms = digitsAt(text, start, Math.min(3, length)) * 10 ** (3 - Math.min(3, length));
  }
  const offset = zoneOffset(text, at, text[10] ?? "");
  if (offset === undefined) return undefined;
  if (d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return undefined;
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
  // Bounded as the string form is (at most 14 digits): a larger number is in another unit (us, ns).
  if (typeof value === "number") return representable(value) && Math.abs(value) < 1e14 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const ms = text.length <= 14 && EPOCH_MS.test(text) ? Number(text) : parseDateTime(text);
  return representable(ms) ? ms : undefined;
}

/** Normalizes any supported timestamp to ISO 8601 UTC, or `undefined` when it is not one. */
export function normalizeTimestamp(value: string | number): string | undefined {
  const ms = parseTimestamp(value);
  return ms === undefined ? undefined : isoString(ms);
}

/** The first and the last millisecond of years 0000-9999, which `toISOString` writes in four digits. */
const FOUR_DIGIT_YEARS = { from: -62_167_219_200_000, to: 253_402_300_799_999 };

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/**
 * `new Date(ms).toISOString()`, computed: the built-in costs more than all of the parsing before it
 * (0.6 us, and responses carry several timestamps). Days to a civil date as in H. Hinnant's
 * "chrono-Compatible Low-Level Date Algorithms"; years outside 0000-9999 (six-digit ISO form) are
 * left to the built-in.
 */
export function isoString(ms: number): string {
  const time = Math.trunc(ms); // as a Date clips it
  if (!(time >= FOUR_DIGIT_YEARS.from && time <= FOUR_DIGIT_YEARS.to)) return new Date(ms).toISOString();
  const days = Math.floor(time / 86_400_000);
  const ofDay = time - days * 86_400_000;
  const shifted = days + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(ofDay / 3_600_000);
  const minutes = Math.floor((ofDay % 3_600_000) / 60_000);
  const seconds = Math.floor((ofDay % 60_000) / 1000);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(ofDay % 1000, 3)}Z`;
}

/**
 * The longest delay a Node timer keeps (2^31 - 1 ms, about 24.8 days): a longer one fires after
 * 1 ms instead, so every deadline setting is held to it.
 */
export const MAX_TIMER_MS = 2_147_483_647;
