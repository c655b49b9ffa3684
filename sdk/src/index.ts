/**
 * @upgrade-guard/sdk: the Pulumi surface of upgrade-guard. Dynamic resources that run CCE and ACK
 * upgrade checks and upgrades (under the `cce` and `ack` namespaces), data functions that read
 * check results during preview, and `getUpgradeReadiness`, the verdict the policy pack acts on.
 * The public surface is listed by name (no `export *`).
 */
import * as ack from "./ack/index";
import * as cce from "./cce/index";

export { ack, cce };
export {
  getUpgradePath,
  getUpgradePathOutput,
  getUpgradeReadiness,
  getUpgradeReadinessOutput,
  type GetUpgradePathArgs,
  type GetUpgradeReadinessArgs,
  type ReadinessSummary,
  type UpgradePathResult,
  type UpgradeReadiness,
} from "./readiness";
export {
  readinessFromStack,
  type AcceptedReadiness,
  type ReadinessFromStackOptions,
  type StackReadinessEntry,
} from "./stack-readiness";
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
/** The readiness model behind every output and data function result (documented where it is defined). */
export type {
  CheckRef,
  CheckState,
  Finding,
  FindingCounts,
  ResolvedLocation,
  ReadinessSnapshot,
  Severity,
  Verdict,
  Waiver,
  WorstSeverity,
} from "@upgrade-guard/provider/impl";
