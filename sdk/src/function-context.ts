/** How the SDK's data functions call the implementations: stack config, environment, warnings. */
import * as pulumi from "@pulumi/pulumi";
import { type functions } from "@upgrade-guard/provider/impl";
import { readClientConfig } from "./config";

/** Options of every `getX` / `getXOutput` data function. */
export interface DataFunctionOptions {
  /**
   * Environment to read credentials and endpoints from instead of `process.env` (tests, or a
   * program that manages several accounts).
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** `{ [K]: Input<T[K]> }`: the arguments of a `getXOutput` twin. */
export type InputArgs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Reads the `upgrade-guard:*` configuration and routes warnings to `pulumi.log.warn`. */
export function functionContext(opts: DataFunctionOptions | undefined): functions.FunctionContext {
  return {
    config: readClientConfig(),
    warn: (message) => void pulumi.log.warn(message),
    ...(opts?.env === undefined ? {} : { env: opts.env }),
  };
}

/**
 * What every `getXOutput` twin returns: `fn` run once every argument is known, as an `Output` (an
 * unknown argument during preview makes the result unknown, without a cloud call).
 */
export function outputOf<Args, Result>(
  fn: (args: Args, opts?: DataFunctionOptions) => Promise<Result>,
  args: InputArgs<Args>,
  opts: DataFunctionOptions | undefined,
): pulumi.Output<Result> {
  // `pulumi.output` unwraps every level of `Input`; the compiler cannot see that this gives `Args`.
  return pulumi.output(args).apply((resolved) => fn(resolved as Args, opts));
}
