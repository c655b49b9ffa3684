/**
 * @upgrade-guard/provider: everything that talks to the clouds.
 * Each layer's barrel lists its public names one by one; this file only picks the layers.
 */
export {
  UpgradeGuardError,
  ConfigError,
  InputError,
  TransportError,
  ApiError,
  ResponseShapeError,
  WaitError,
  type ErrorCode,
  type Cloud,
  type ApiErrorCategory,
  type ApiErrorDetails,
  type AuthRefusal,
  type InputIssue,
  type TransportErrorCode,
  type WaitEndState,
} from "./errors";
export { redact, redactHeaders, registerSecret } from "./internal/redact";
export { MAX_TIMER_MS, normalizeTimestamp, parseTimestamp } from "./internal/timestamps";
export {
  createTransport,
  systemClock,
  type Dispatcher,
  type TransportOptions,
  type TransportClock,
  type TransportLogEntry,
} from "./transport";
export {
  resolveCceConfig,
  resolveAckConfig,
  PULUMI_CONFIG_NAMESPACE,
  type CceSettings,
  type AckSettings,
  type CceConfig,
  type AckConfig,
  type AlibabaCredentialPlan,
  type AlibabaAssumeRolePlan,
  type AlibabaEcsRamRolePlan,
  type HuaweiCredentialPlan,
  type HuaweiMetadataPlan,
  cceCredentialSourceSchema,
  ackCredentialSourceSchema,
  resolveCceCredentialSource,
  resolveAckCredentialSource,
  type CceCredentialSource,
  type AckCredentialSource,
  type CredentialSourceOptions,
} from "./auth";
export * from "./clients";
export * from "./readiness";
export {
  getUpgradePath,
  getUpgradeReadiness,
  upgradeReadinessPolicyArgs,
  primaryCheckOf,
  readinessSummarySchema,
  summarizeReadiness,
  type FunctionContext,
  type GetUpgradePathArgs,
  type GetUpgradeReadinessArgs,
  type UpgradePathResult,
  type UpgradeReadiness,
  type UpgradeReadinessPolicyArgs,
  type ReadinessSummary,
} from "./pulumi/functions";
