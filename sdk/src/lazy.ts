/**
 * The provider's implementation, loaded by the first resource constructor or data function that
 * needs it: `require("@upgrade-guard/sdk")` then costs little more than `@pulumi/pulumi` itself
 * (zod and the clients load only when used). Never called from inside a dynamic-provider shim
 * (providers.ts), which must capture nothing but strings.
 */
import type * as ProviderImpl from "@upgrade-guard/provider/impl";

let loaded: typeof ProviderImpl | undefined;

export function providerImpl(): typeof ProviderImpl {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, see above
  return (loaded ??= require("@upgrade-guard/provider/impl") as typeof ProviderImpl);
}
