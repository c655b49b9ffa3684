/**
 * What every data function takes besides its arguments: the stack configuration the SDK read
 * (`upgrade-guard:*`), the environment, and where to send warnings. Data functions run in the
 * program process, during preview too, and make read-only calls only.
 */
import { type z } from "zod";
import { parseArgs } from "../../internal/validate";
import { log } from "../shared/log";
import { type PulumiSettings, type RawConfig, settingsFromConfig } from "../shared/settings";

/** What a data function takes besides its arguments. */
export interface FunctionContext {
  /** `upgrade-guard:*` values keyed without the namespace (`{ region: "cn-north-4" }`). */
  readonly config?: RawConfig;
  /** Environment to read; `process.env` at call time by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives warnings (e.g. a vendor-deprecated operation); the provider log by default. */
  readonly warn?: (message: string) => void;
}

/** A `FunctionContext` with its defaults applied. */
export interface ResolvedContext {
  readonly settings: PulumiSettings;
  readonly env: NodeJS.ProcessEnv;
  readonly warn: (message: string) => void;
}

/** Applies the defaults: no configuration, `process.env`, the provider log. */
export function resolveContext(context: FunctionContext | undefined): ResolvedContext {
  return {
    settings: settingsFromConfig(context?.config ?? {}),
    env: context?.env ?? process.env,
    warn: context?.warn ?? ((message) => log("warn", message)),
  };
}

/** Validates a data function's arguments; throws `InputError` naming the function and every bad field. */
export function parseFunctionArgs<S extends z.ZodType>(schema: S, args: unknown, where: string): z.output<S> {
  return parseArgs(schema, args, where);
}
