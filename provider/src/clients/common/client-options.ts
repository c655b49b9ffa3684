/**
 * Options both clients share, and the small helpers that turn them into a transport and a lazily
 * resolved configuration.
 */
import { z } from "zod";
import { hasMethods, notAnObject, parseOptions } from "../../internal/validate";
import { transportOptionsSchema } from "../../transport/options";
import { type Dispatcher, type TransportClock, type TransportOptions } from "../../transport/types";

/** The time source of a client: request dates and the recovery window read it. */
export interface ClientClock {
  now(): number;
}

export interface CommonClientOptions {
  /** Environment to read settings from; `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** HTTP dispatcher, e.g. an undici `MockAgent` in tests; a keep-alive Agent by default. */
  readonly dispatcher?: Dispatcher;
  /** Timeouts, retries, rate limits and logging of the transport. */
  readonly transport?: TransportOptions;
  /**
   * Time source. A full `TransportClock` (with `sleep` and `random`) also drives the transport's
   * backoff, unless `transport.clock` is given.
   */
  readonly clock?: ClientClock | TransportClock;
}

function isTransportClock(clock: ClientClock | TransportClock): clock is TransportClock {
  return (
    typeof (clock as Partial<TransportClock>).sleep === "function" &&
    typeof (clock as Partial<TransportClock>).random === "function"
  );
}

export function transportOptionsOf(options: CommonClientOptions): TransportOptions {
  const base = options.transport ?? {};
  const clock =
    base.clock ??
    (options.clock !== undefined && isTransportClock(options.clock) ? options.clock : undefined);
  return {
    ...base,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(clock === undefined ? {} : { clock }),
  };
}

export function nowOf(options: CommonClientOptions): () => number {
  const clock = options.clock;
  return clock === undefined ? () => Date.now() : () => clock.now();
}

/** Copies the keys of `settings` whose values are defined (exactOptionalPropertyTypes-safe). */
export function definedSettings<T extends object>(source: object, keys: readonly (keyof T & string)[]): T {
  const out: Record<string, unknown> = {};
  const record = source as Record<string, unknown>;
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out as T;
}

/**
 * Memoizes a successful result only: a configuration error is thrown again on the next call, so
 * fixing the environment and retrying works without a new client.
 */
export function memoizeSuccess<T>(produce: () => T): () => T {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = produce();
      done = true;
    }
    return value as T;
  };
}

const anObject = (value: unknown): boolean => typeof value === "object" && value !== null;

/**
 * The schema of a client's options: its settings (`settingKeys`, checked by the configuration
 * resolver at the first call, so any value here) and the options both clients share, checked when
 * the client is created so that a wrong type fails at once with every bad field named, not later
 * inside a request. Strict: a misspelt `regoin` or an ACK `accessKeyId` given to CCE would
 * otherwise be ignored, and the environment silently used instead.
 */
export function clientOptionsSchema(settingKeys: readonly string[]) {
  return z.strictObject(
    {
      ...Object.fromEntries(settingKeys.map((key) => [key, z.unknown().optional()])),
      // process.env is an exotic object that zod's record check rejects: accept any object.
      env: z.custom<unknown>(anObject, "must be an environment object").optional(),
      dispatcher: z
        .custom<unknown>((value) => hasMethods(value, ["dispatch"]), "must be an undici Dispatcher")
        .optional(),
      transport: transportOptionsSchema.optional(),
      clock: z
        .custom<unknown>(
          (value) => hasMethods(value, ["now"]),
          "must have now() (and sleep() and random() to drive retries)",
        )
        .optional(),
      pulumiConfig: z.custom<unknown>(anObject, "must be an object of settings").optional(),
    },
    { error: notAnObject },
  );
}

/**
 * Throws `InputError` listing every option of the wrong shape and every option the client does not
 * know (see `parseOptions`; keys whose value is `undefined` are let through).
 */
export function validateClientOptions(options: unknown, where: string, schema: z.ZodType): void {
  if (options !== undefined) parseOptions(schema, options, where);
}
