/**
 * Options both clients share, and the small helpers that turn them into a transport and a lazily
 * resolved configuration.
 */
import { z } from "zod";
import { InputError } from "../../errors";
import { hasMethods, toIssues, unknownKeyIssues } from "../../internal/validate";
import { transportOptionIssues } from "../../transport/options";
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

/**
 * The shape of the options both clients take, checked when a client is created so that a wrong
 * type fails at once with every bad field named, not later inside a request. Settings themselves
 * (keys, region, endpoint) are checked by the configuration resolver at the first call.
 */
const commonClientOptionsSchema = z.looseObject({
  // process.env is an exotic object that zod's record check rejects: accept any object.
  env: z
    .custom<unknown>((value) => typeof value === "object" && value !== null, "must be an environment object")
    .optional(),
  dispatcher: z
    .custom<unknown>((value) => hasMethods(value, ["dispatch"]), "must be an undici Dispatcher")
    .optional(),
  clock: z
    .custom<unknown>(
      (value) => hasMethods(value, ["now"]),
      "must have now() (and sleep() and random() to drive retries)",
    )
    .optional(),
  // Its contents are checked by the transport's own option check (transportOptionIssues).
  transport: z
    .custom<unknown>(
      (value) => typeof value === "object" && value !== null,
      "must be an object of transport options",
    )
    .optional(),
  pulumiConfig: z
    .custom<unknown>((value) => typeof value === "object" && value !== null, "must be an object of settings")
    .optional(),
});

const COMMON_OPTION_KEYS = ["env", "dispatcher", "transport", "clock", "pulumiConfig"] as const;

/**
 * Throws `InputError` listing every option of the wrong shape and every option the client does not
 * know (a misspelt `regoin` or an ACK `accessKeyId` given to CCE would otherwise be ignored, and the
 * environment silently used instead). Keys whose value is `undefined` are let through.
 */
export function validateClientOptions(options: unknown, where: string, settingKeys: readonly string[]): void {
  if (options === undefined) return;
  const shape = commonClientOptionsSchema.safeParse(options);
  const issues = shape.success ? [] : toIssues(shape.error);
  if (typeof options !== "object" || options === null) throw new InputError(where, issues);
  const { transport } = options as { transport?: unknown };
  if (typeof transport === "object" && transport !== null)
    issues.push(...transportOptionIssues(transport, "transport."));
  issues.push(...unknownKeyIssues(options, [...settingKeys, ...COMMON_OPTION_KEYS]));
  if (issues.length > 0) throw new InputError(where, issues);
}
