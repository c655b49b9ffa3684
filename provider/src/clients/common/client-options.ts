/**
 * Options both clients share, and the small helpers that turn them into a transport and a lazily
 * resolved configuration.
 */
import { z } from "zod";
import { definedMembers, hasMethods, notAnObject, parseOptions } from "../../internal/validate";
import { transportOptionsSchema } from "../../transport/options";
import { createTransport } from "../../transport/transport";
import {
  type Dispatcher,
  type Transport,
  type TransportClock,
  type TransportOptions,
} from "../../transport/types";

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

/**
 * What both clients build from their options: the options checked (`InputError` listing every
 * option of the wrong shape and every option the client does not know, see `parseOptions`; keys
 * whose value is `undefined` are let through), then the transport, the time source and the
 * settings given with a defined value (exactOptionalPropertyTypes-safe).
 */
export function clientBasics<Settings extends object>(
  options: CommonClientOptions,
  where: string,
  schema: z.ZodType,
  settingKeys: readonly (keyof Settings & string)[],
): { readonly transport: Transport; readonly now: () => number; readonly explicit: Settings } {
  parseOptions(schema, options, where);
  const base = options.transport ?? {};
  const { clock } = options;
  const transportClock = base.clock ?? (clock !== undefined && isTransportClock(clock) ? clock : undefined);
  const transport = createTransport({
    ...base,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(transportClock === undefined ? {} : { clock: transportClock }),
  });
  return {
    transport,
    now: clock === undefined ? () => Date.now() : () => clock.now(),
    explicit: definedMembers<Settings>(options, settingKeys),
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
