/**
 * `@upgrade-guard/policy-pack/policies`: upgrade-guard's CrossGuard policies as a library (the
 * factories, their configuration schemas, the cloud lookup) plus the default composition this pack
 * runs, WITHOUT constructing the `PolicyPack` (whose constructor starts a gRPC server and may run only
 * once per process), so tests and other packs can import them. Public names are listed one by one.
 *
 * ```typescript
 * import { PolicyPack } from "@pulumi/policy";
 * import { upgradeGuardPolicies } from "@upgrade-guard/policy-pack/policies";
 * new PolicyPack("platform-guards", { policies: [...upgradeGuardPolicies(), ...myOtherPolicies] });
 * ```
 */
import { type ResourceValidationPolicy } from "@pulumi/policy";
import { type AddonPolicyOptions, addonUpgradeRequiresCleanAddonPrecheck } from "./addon-policy";
import { type ClusterPolicyOptions, clusterUpgradeRequiresCleanPrecheck } from "./cluster-policy";
import { type FreshnessPolicyOptions, upgradePrecheckFreshness } from "./freshness-policy";
import { type PolicyFactoryOptions } from "./shared";

export { addonUpgradeRequiresCleanAddonPrecheck, type AddonPolicyOptions } from "./addon-policy";
export { clusterUpgradeRequiresCleanPrecheck, type ClusterPolicyOptions } from "./cluster-policy";
export { upgradePrecheckFreshness, type FreshnessPolicyOptions } from "./freshness-policy";
export {
  addonPolicyConfigSchema,
  clusterPolicyConfigSchema,
  freshnessPolicyConfigSchema,
  parsePolicyConfig,
  toPolicyConfigSchema,
  type AddonPolicyConfig,
  type AddonPolicyConfigInput,
  type ClusterPolicyConfig,
  type ClusterPolicyConfigInput,
  type ConfigRead,
  type FreshnessPolicyConfig,
  type FreshnessPolicyConfigInput,
} from "./config";
export {
  COVERED_RESOURCE_TYPES,
  coveredType,
  typesOf,
  type CloudName,
  type CoveredResourceType,
  type FactsSource,
  type PolicyKind,
} from "./resource-types";
export {
  CloudReadinessLookup,
  DEFAULT_LOOKUP_DEADLINE_MS,
  defaultLookup,
  resetDefaultLookup,
  type CloudLookupOptions,
} from "./cloud-lookup";
export {
  DEFAULT_ERROR_TTL_MS,
  DEFAULT_MAX_CACHE_ENTRIES,
  LookupCache,
  type LookupCacheOptions,
} from "./lookup-cache";
export { type ClusterRef, type LiveCluster, type ReadinessLookup } from "./lookup";
export { PACK_DESCRIPTION, PACK_NAME, POLICY_NAMES, type PolicyName } from "./metadata";
export { type PolicyFactoryOptions } from "./shared";

/** Options for {@link upgradeGuardPolicies}: shared `lookup` and `now`, then each policy's own. */
export interface UpgradeGuardPoliciesOptions extends PolicyFactoryOptions {
  /** Options of `cluster-upgrade-requires-clean-precheck` (level, evaluate defaults, waivers). */
  readonly cluster?: ClusterPolicyOptions;
  /** Options of `addon-upgrade-requires-clean-addon-precheck`. */
  readonly addon?: AddonPolicyOptions;
  /** Options of `upgrade-precheck-freshness` (the advisory expiry warning). */
  readonly freshness?: FreshnessPolicyOptions;
}

/**
 * All three policies with their default levels: `cluster-upgrade-requires-clean-precheck` and
 * `addon-upgrade-requires-clean-addon-precheck` mandatory, `upgrade-precheck-freshness` advisory.
 * `lookup` and `now` apply to all three (so they share one cache) unless a policy's own options say
 * otherwise.
 */
export function upgradeGuardPolicies(options: UpgradeGuardPoliciesOptions = {}): ResourceValidationPolicy[] {
  const shared: PolicyFactoryOptions = {
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  return [
    clusterUpgradeRequiresCleanPrecheck({ ...shared, ...options.cluster }),
    addonUpgradeRequiresCleanAddonPrecheck({ ...shared, ...options.addon }),
    upgradePrecheckFreshness({ ...shared, ...options.freshness }),
  ];
}

/** The default composition: the three policies with their default levels (two mandatory, one advisory). */
export const policies: ResourceValidationPolicy[] = upgradeGuardPolicies();
