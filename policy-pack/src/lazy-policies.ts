/**
 * The default pack's policies as the analyzer sees them: the same name, description, level,
 * severity, remediation and `configSchema` as the library's, from the metadata module and the
 * precomputed schemas. The implementation (./policies: zod, the provider, the cloud lookup) loads
 * at the first `validateResource`, so constructing the pack costs little more than `@pulumi/policy`
 * itself (issue 14). The analyzer reads each policy's level and configuration by its name at every
 * Analyze, so `--policy-pack-config` works as before.
 */
import { type ResourceValidation, type ResourceValidationPolicy } from "@pulumi/policy";
import { CONFIG_SCHEMAS } from "./generated/config-schemas";
import type * as Library from "./policies";
import { POLICY_METADATA, type PolicyKey, type PolicyName } from "./policies/metadata";

let library: typeof Library | undefined;

/** The default composition's own `validateResource` for a policy, loading the library once. */
function realValidation(name: PolicyName): ResourceValidation {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, see above
  library ??= require("./policies") as typeof Library;
  const validation = library.policies.find((policy) => policy.name === name)?.validateResource;
  if (typeof validation !== "function") throw new Error(`upgrade-guard: no policy ${name} in the library`);
  return validation;
}

function lazyPolicy(key: PolicyKey): ResourceValidationPolicy {
  const metadata = POLICY_METADATA[key];
  let validation: ResourceValidation | undefined;
  return {
    ...metadata,
    configSchema: CONFIG_SCHEMAS[metadata.name],
    validateResource: (args, report) => (validation ??= realValidation(metadata.name))(args, report),
  };
}

/** The three policies in the library's order (`upgradeGuardPolicies()`), each loading at first use. */
export function lazyPolicies(): ResourceValidationPolicy[] {
  return (Object.keys(POLICY_METADATA) as PolicyKey[]).map(lazyPolicy);
}
