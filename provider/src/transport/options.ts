/**
 * The one check of `TransportOptions`, used by `createTransport` (which is public) and by the
 * clients for their `transport` option: every unknown key (with a did-you-mean) and every setting
 * of the wrong type, as issues, so each caller throws one `InputError` naming them all.
 */
import { type InputIssue } from "../errors";
import { hasMethods, unknownKeyIssues } from "../internal/validate";
import { DEFAULT_LIMITS, DEFAULT_RETRY, DEFAULT_TIMEOUTS } from "./defaults";

const TRANSPORT_OPTION_KEYS = ["dispatcher", "timeouts", "retry", "limits", "clock", "log", "userAgent"];
const GROUP_KEYS = {
  timeouts: Object.keys(DEFAULT_TIMEOUTS),
  retry: Object.keys(DEFAULT_RETRY),
  limits: Object.keys(DEFAULT_LIMITS),
} as const;
const INTEGER_SETTINGS = new Set(["retry.maxAttempts", "limits.concurrency"]);

/** The issues of `options` (an object), each path prefixed with `prefix` (`transport.` for a client). */
export function transportOptionIssues(options: object, prefix = ""): InputIssue[] {
  const record = options as Record<string, unknown>;
  const issues: InputIssue[] = unknownKeyIssues(options, TRANSPORT_OPTION_KEYS, prefix);
  for (const [group, keys] of Object.entries(GROUP_KEYS)) {
    const value = record[group];
    if (value === undefined) continue;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      issues.push({ path: `${prefix}${group}`, message: `must be an object of ${keys.join(", ")}` });
      continue;
    }
    issues.push(...unknownKeyIssues(value, keys, `${prefix}${group}.`));
    for (const key of keys) {
      const setting = (value as Record<string, unknown>)[key];
      if (setting === undefined) continue;
      const integer = INTEGER_SETTINGS.has(`${group}.${key}`);
      if (
        typeof setting !== "number" ||
        !Number.isFinite(setting) ||
        setting <= 0 ||
        (integer && !Number.isInteger(setting))
      )
        issues.push({
          path: `${prefix}${group}.${key}`,
          message: `must be a positive ${integer ? "integer" : "number"}`,
        });
    }
  }
  const bad = (key: string, message: string): void => {
    issues.push({ path: `${prefix}${key}`, message });
  };
  if (record["dispatcher"] !== undefined && !hasMethods(record["dispatcher"], ["dispatch"]))
    bad("dispatcher", "must be an undici Dispatcher");
  if (record["clock"] !== undefined && !hasMethods(record["clock"], ["now", "sleep", "random"]))
    bad("clock", "must have now(), sleep() and random()");
  if (record["log"] !== undefined && typeof record["log"] !== "function") bad("log", "must be a function");
  if (
    record["userAgent"] !== undefined &&
    (typeof record["userAgent"] !== "string" || record["userAgent"] === "")
  )
    bad("userAgent", "must be a non-empty string");
  return issues;
}
