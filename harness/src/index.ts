/**
 * @upgrade-guard/harness: Pulumi's own machinery, run without the Pulumi CLI, for tests (ours and
 * users') and the CLI: `preview` and `up` of a program through the real language host and plugins,
 * the plugin processes over gRPC, and the policy SDK's handlers in process. Public surface listed
 * by name.
 */
export { preview, up, type RunOptions } from "./run";
export { renderDeployment } from "./render";
export {
  type DeploymentResult,
  type EngineDiagnostic,
  type EnforcementLevel,
  type Operation,
  type PolicyViolation,
  type Step,
} from "./engine";
export { ProjectError } from "./errors";
export { backendFolder } from "./backend";
export { PassphraseCrypter } from "./crypter";
export {
  startDynamicProvider,
  startPolicyPack,
  toStruct,
  UNKNOWN,
  structPb,
  emptyPb,
  providerPb,
  analyzerPb,
  pluginPb,
  type PluginProcess,
  type SpawnOptions,
} from "./plugins";
export {
  validateDirect,
  cliPolicyConfig,
  InProcessAnalyzer,
  analyzeRequest,
  analyzeStackRequest,
  readAnalyzeResponse,
  urnOf,
  type Violation,
  type DirectResult,
  type ResourceUnderTest,
  type Diagnostic,
  type AnalyzeResult,
  type ProviderUnderTest,
  type StackResourceUnderTest,
} from "./policy";
