/**
 * The timestamp dialects of the two clouds. Each API family answers in its own format (docs/wire-formats.md#timestamps),
 * and clients must cope, so the emulator reproduces every one of them rather than one tidy ISO form.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

function shifted(ms: number, offsetMinutes: number): Date {
  return new Date(ms + offsetMinutes * 60_000);
}

function datePart(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function timePart(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function offsetText(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Go `time.Time.String()`: `2023-11-25 06:32:34.923248 +0000 UTC` (fraction trimmed like Go's .999999999). */
export function goTimeString(ms: number): string {
  const d = new Date(ms);
  const millis = d.getUTCMilliseconds();
  const fraction = millis === 0 ? "" : `.${pad(millis, 3).replace(/0+$/, "")}`;
  return `${datePart(d)} ${timePart(d)}${fraction} +0000 UTC`;
}

/** RFC 3339 with microseconds and a fixed offset: `2025-08-05T17:10:44.648388+08:00` (CCE add-on checks). */
export function rfc3339Micro(ms: number, offsetMinutes = 480): string {
  const d = shifted(ms, offsetMinutes);
  return `${datePart(d)}T${timePart(d)}.${pad(d.getUTCMilliseconds(), 3)}000${offsetText(offsetMinutes)}`;
}

/** Go RFC3339Nano in UTC: `2023-10-16T08:31:20.292Z` (ACK cluster checks; trailing zeros trimmed). */
export function rfc3339NanoUtc(ms: number): string {
  const d = new Date(ms);
  const millis = d.getUTCMilliseconds();
  const fraction = millis === 0 ? "" : `.${pad(millis, 3).replace(/0+$/, "")}`;
  return `${datePart(d)}T${timePart(d)}${fraction}Z`;
}

/** RFC 3339 seconds with an offset: `2020-11-10T16:02:04+08:00` (ACK clusters and tasks). */
export function rfc3339Seconds(ms: number, offsetMinutes = 480): string {
  const d = shifted(ms, offsetMinutes);
  return `${datePart(d)}T${timePart(d)}${offsetText(offsetMinutes)}`;
}

/**
 * `2022-12-15 23:00:00`, no zone (ACK task stages). The vendor does not document the zone; it is
 * written in UTC+8, the offset of the RFC 3339 fields beside it (`created`, `updated`), which is also
 * how the provider reads zone-less ACK times (inferred: LIMITATIONS.md).
 */
export function plainDateTime(ms: number, offsetMinutes = 480): string {
  const d = shifted(ms, offsetMinutes);
  return `${datePart(d)} ${timePart(d)}`;
}

/** Epoch milliseconds as a string (ACK task events). */
export function epochMillisString(ms: number): string {
  return String(Math.trunc(ms));
}

/** Keystone `2025-08-06T09:10:44.123000Z` (IAM tokens). */
export function keystoneTime(ms: number): string {
  const d = new Date(ms);
  return `${datePart(d)}T${timePart(d)}.${pad(d.getUTCMilliseconds(), 3)}000Z`;
}

/** Parses "90s", "5m", "2h", "1d", "250ms" or a number of milliseconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? "ms";
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    unit as "ms" | "s" | "m" | "h" | "d"
  ];
  return amount * factor;
}
