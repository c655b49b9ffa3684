/**
 * What every data function takes besides its arguments: the stack configuration the SDK read
 * (`upgrade-guard:*`), the environment, and where to send warnings. Data functions run in the
 * program process, during preview too, and make read-only calls only.
 */
import { type z } from "zod";
import { type ClientPool } from "../../clients/pool";
import { parseArgs } from "../../internal/validate";
import { checkFreshness } from "../../readiness/latest";
import { type CheckRef } from "../../readiness/model";
import { type CceLocation, nowMs, type VendorClients, withVendor } from "../shared/common";
import { log } from "../shared/log";
import { redactingResult } from "../shared/redaction";
import { type PulumiSettings, type RawConfig, settingsFromConfig } from "../shared/settings";

/** What a data function takes besides its arguments. */
export interface FunctionContext {
  /** `upgrade-guard:*` values keyed without the namespace (`{ region: "cn-north-4" }`). */
  readonly config?: RawConfig;
  /** Environment to read; `process.env` at call time by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives warnings (e.g. a vendor-deprecated operation); the provider log by default. */
  readonly warn?: (message: string) => void;
  /**
   * A run's client pool (`createClientPool`): calls share its clients, hence their connections,
   * instead of each opening its own. The caller closes it when the run is over.
   */
  readonly clients?: ClientPool;
  /**
   * What the reasons tell the reader to do once a problem is fixed: `preview again` by default
   * (the words of a Pulumi program); the CLI says `run upgrade-guard check again`.
   */
  readonly rerun?: string;
}

/** A `FunctionContext` with its defaults applied. */
export interface ResolvedContext {
  readonly settings: PulumiSettings;
  readonly env: NodeJS.ProcessEnv;
  readonly warn: (message: string) => void;
  readonly clients?: ClientPool;
  readonly rerun?: string;
}

/** Applies the defaults: no configuration, `process.env`, the provider log. */
export function resolveContext(context: FunctionContext | undefined): ResolvedContext {
  return {
    settings: settingsFromConfig(context?.config ?? {}),
    env: context?.env ?? process.env,
    warn: context?.warn ?? ((message) => log("warn", message)),
    ...(context?.clients === undefined ? {} : { clients: context.clients }),
    ...(context?.rerun === undefined ? {} : { rerun: context.rerun }),
  };
}

/** A data function: its arguments and a context in, its normalized result out. */
export type DataFunction<Args, Result> = (args: Args, context?: FunctionContext) => Promise<Result>;

/**
 * A data function from its name, arguments schema and body: the arguments are validated first
 * (`InputError` naming the function and every bad field), then the context's defaults applied.
 * The result and any error are redacted: a result becomes stack outputs, and it quotes vendor text.
 */
export function dataFunction<S extends z.ZodType, R>(
  name: string,
  schema: S,
  body: (args: z.output<S>, context: ResolvedContext) => Promise<R>,
): DataFunction<z.input<S>, R> {
  return async (args, context) =>
    redactingResult(() => body(parseArgs(schema, args, name), resolveContext(context)));
}

/** A data function of one vendor: `dataFunction` whose body gets a client the context configures. */
export function cloudFunction<V extends keyof VendorClients, S extends z.ZodType<CceLocation>, R>(
  vendor: V,
  name: string,
  schema: S,
  body: (client: VendorClients[V], args: z.output<S>) => Promise<R>,
): DataFunction<z.input<S>, R> {
  return dataFunction(name, schema, (a, ctx) => withVendor(vendor, a, (client) => body(client, a), ctx));
}

/** Finished, and still usable now: not expired, not older than the default maximum age. */
export function freshNow(ref: CheckRef): boolean {
  return ref.state !== "pending" && checkFreshness(ref, { now: nowMs() }).fresh;
}
