/**
 * The schema of `TransportOptions`, used by `createTransport` (which is public) and by the clients
 * for their `transport` option. It is strict at every level, so `parseOptions` names every unknown
 * key (with a did-you-mean) and every setting of the wrong type in one `InputError`.
 */
import { z } from "zod";
import { MAX_TIMER_MS } from "../internal/timestamps";
import { hasMethods, notAnObject } from "../internal/validate";
import { type LimitOptions, type RetryOptions, type TransportOptions, type TransportTimeouts } from "./types";

/** A positive number (an integer where `integer`), with the one message for any bad value. */
function positive(what: "number" | "integer") {
  const message = `must be a positive ${what}`;
  const number = z.number({ error: message });
  return (what === "integer" ? number.int({ error: message }) : number).positive({ error: message });
}

/**
 * An optional positive duration that a timer can wait out. A larger one would not wait longer, it
 * would time out at once (every send failing with DEADLINE_EXCEEDED), so it is refused here.
 */
function milliseconds() {
  return positive("number")
    .max(MAX_TIMER_MS, {
      error: `must be at most ${MAX_TIMER_MS} ms (about 24.8 days): Node fires a longer timer at once`,
    })
    .optional();
}

/** A strict group of settings (`timeouts`, `retry`, `limits`); a value that is no object names its keys. */
function group<const Shape extends Record<string, z.ZodType>>(shape: Shape) {
  const keys = Object.keys(shape).join(", ");
  return z
    .strictObject(shape, {
      error: (issue) => (issue.code === "invalid_type" ? `must be an object of ${keys}` : undefined),
    })
    .optional();
}

const timeoutsSchema = group({
  connectMs: milliseconds(),
  headersMs: milliseconds(),
  bodyMs: milliseconds(),
});
const retrySchema = group({
  maxAttempts: positive("integer").optional(),
  baseDelayMs: milliseconds(),
  maxDelayMs: milliseconds(),
  deadlineMs: milliseconds(),
});
const limitsSchema = group({
  concurrency: positive("integer").optional(),
  ratePerSecond: positive("number").optional(),
  burst: positive("number").optional(),
});

/** `TransportOptions` as a strict schema (the documented types are in types.ts). */
export const transportOptionsSchema = z.strictObject(
  {
    dispatcher: z
      .custom<NonNullable<TransportOptions["dispatcher"]>>(
        (value) => hasMethods(value, ["dispatch"]),
        "must be an undici Dispatcher",
      )
      .optional(),
    timeouts: timeoutsSchema,
    retry: retrySchema,
    limits: limitsSchema,
    clock: z
      .custom<NonNullable<TransportOptions["clock"]>>(
        (value) => hasMethods(value, ["now", "sleep", "random"]),
        "must have now(), sleep() and random()",
      )
      .optional(),
    log: z
      .custom<NonNullable<TransportOptions["log"]>>(
        (value) => typeof value === "function",
        "must be a function",
      )
      .optional(),
    userAgent: z
      .string({ error: "must be a non-empty string" })
      .min(1, { error: "must be a non-empty string" })
      .optional(),
    shareReads: z.boolean({ error: "must be true or false" }).optional(),
  },
  { error: notAnObject },
);

// The schema and the documented option types name the same keys (a compile error otherwise).
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
const sameKeys: [
  SameKeys<z.input<typeof transportOptionsSchema>, TransportOptions>,
  SameKeys<NonNullable<z.input<typeof timeoutsSchema>>, TransportTimeouts>,
  SameKeys<NonNullable<z.input<typeof retrySchema>>, RetryOptions>,
  SameKeys<NonNullable<z.input<typeof limitsSchema>>, LimitOptions>,
] = [true, true, true, true];
void sameKeys;
