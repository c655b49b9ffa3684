/**
 * @upgrade-guard/sdk: the Pulumi surface of upgrade-guard. Dynamic resources that run CCE and ACK
 * upgrade checks and upgrades (under the `cce` and `ack` namespaces), data functions that read
 * check results during preview, and `getUpgradeReadiness`, the verdict the policy pack acts on.
 * The public surface is listed by name (no `export *`).
 */
import type * as Model from "@upgrade-guard/provider/impl";
import * as ack from "./ack/index";
import * as cce from "./cce/index";

export { ack, cce };
export {
  getUpgradeReadiness,
  getUpgradeReadinessOutput,
  type GetUpgradeReadinessArgs,
  type ReadinessSummary,
  type UpgradeReadiness,
} from "./readiness";
export { ALL_TYPE_TOKENS, TOKEN_MODULES, TYPE_TOKENS, UPGRADE_TYPE_TOKENS } from "./tokens";
export { CONFIG_KEY_NAMES, CONFIG_NAMESPACE, SECRET_CONFIG_KEYS, readStackConfig } from "./config";
export { type DataFunctionOptions, type InputArgs } from "./function-context";
export {
  ackClusterCheckProvider,
  ackClusterUpgradeProvider,
  cceAddonPrecheckProvider,
  cceClusterPrecheckProvider,
  cceClusterUpgradeProvider,
  cceUpgradeWorkflowProvider,
} from "./providers";
/** Present findings per severity (`{ fatal, warning, info, unknown }`). */
export type { FindingCounts } from "@upgrade-guard/provider/impl";

// The readiness model behind every output and data function result, documented here.
/** One check a snapshot was built from: id, kind, vendor status, state, times, target and message. */
export type CheckRef = Model.CheckRef;
/** A check's state: `pending`, `passed`, `failed` (problems found) or `error` (did not complete). */
export type CheckState = Model.CheckState;
/**
 * One normalized finding of a check: name, severity, whether it may be waived, its state
 * (`present`, `passed`, `pending`), message, what it affects and the vendor item as received.
 */
export type Finding = Model.Finding;
/**
 * The normalized readiness of one cluster for one target version: the checks and findings it was
 * built from, the worst severity, the verdict with its reasons, when it was observed and a digest
 * of the facts.
 */
export type ReadinessSnapshot = Model.ReadinessSnapshot;
/** A finding's severity: `fatal`, `warning`, `info` or `unknown` (the vendor's could not be read). */
export type Severity = Model.Severity;
/** `ready`, `blocked`, `pending` (a check still runs), `stale` (expired or old) or `unknown` (no check). */
export type Verdict = Model.Verdict;
/**
 * A waiver for one waivable finding of one cluster: `checkName`, `clusterId`, `reason`, `owner` and
 * `expires` (ISO 8601). Must-fix findings cannot be waived.
 */
export type Waiver = Model.Waiver;
/** The worst severity among the present findings, or `none`. */
export type WorstSeverity = Model.WorstSeverity;
/** upgrade-guard's CrossGuard policies as factories, for composing your own packs. */
export {
  upgradeGuardPolicies,
  clusterUpgradeRequiresCleanPrecheck,
  addonUpgradeRequiresCleanAddonPrecheck,
  upgradePrecheckFreshness,
  POLICY_NAMES,
  COVERED_RESOURCE_TYPES,
  coveredType,
  CloudReadinessLookup,
  DEFAULT_LOOKUP_DEADLINE_MS,
  parsePolicyConfig,
  toPolicyConfigSchema,
  clusterPolicyConfigSchema,
  addonPolicyConfigSchema,
  freshnessPolicyConfigSchema,
  type UpgradeGuardPoliciesOptions,
  type ClusterPolicyOptions,
  type AddonPolicyOptions,
  type FreshnessPolicyOptions,
  type ReadinessLookup,
  type CloudLookupOptions,
  type ClusterRef,
  type LiveCluster,
} from "./policies";
