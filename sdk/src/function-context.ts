/** How the SDK's data functions call the implementations: stack config, environment, warnings. */
import * as pulumi from "@pulumi/pulumi";
import { type functions } from "@upgrade-guard/provider/impl";
import { readClientConfig } from "./config";
import { providerImpl } from "./lazy";

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

/** What replaces a secret argument's value in the error of a `getXOutput` twin. */
const SECRET_ARGUMENT_MASK = "[secret]";

/**
 * What every `getXOutput` twin returns: `fn` run once every argument is known, as an `Output` (an
 * unknown argument during preview makes the result unknown, without a cloud call). The result of a
 * secret argument stays secret through `apply`, but an error is printed in plain text, and the
 * cloud's "cluster X not found" quotes the id: the values of the secret arguments are masked in it.
 */
export function outputOf<Args, Result>(
  fn: (args: Args, opts?: DataFunctionOptions) => Promise<Result>,
  args: InputArgs<Args>,
  opts: DataFunctionOptions | undefined,
): pulumi.Output<Result> {
  const inputs = Object.entries(args as Record<string, pulumi.Input<unknown>>);
  const secretKeys = pulumi.output(
    Promise.all(
      inputs.map(async ([key, value]) => ((await pulumi.isSecret(pulumi.output(value))) ? [key] : [])),
    ).then((keys) => keys.flat()),
  );
  return pulumi.all([pulumi.output(args), secretKeys]).apply(async ([resolved, keys]) => {
    // `pulumi.output` unwraps every level of `Input`; the compiler cannot see that this gives `Args`.
    const known = resolved as Record<string, unknown>;
    try {
      return await fn(known as Args, opts);
    } catch (error) {
      throw maskValues(
        error,
        keys.flatMap((key) => stringsIn(known[key])),
      );
    }
  });
}

/** Every string in a resolved argument (arrays and objects walked). */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * `error` with every occurrence of `values` masked, in place (`rewriteErrorText`: its class, `code`
 * and fields stay, so callers still branch on them).
 */
function maskValues(error: unknown, values: readonly string[]): unknown {
  if (values.length === 0) return error;
  // Longest first: a secret that contains another is masked whole.
  const sorted = [...new Set(values)].sort((a, b) => b.length - a.length);
  // Loaded already: the failed call was the provider's.
  return providerImpl().rewriteErrorText(error, (text) =>
    sorted.reduce((out, value) => out.split(value).join(SECRET_ARGUMENT_MASK), text),
  );
}
