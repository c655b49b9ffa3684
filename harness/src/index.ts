/**
 * @upgrade-guard/harness: Pulumi's own machinery, run without the Pulumi CLI, for tests (ours and
 * users'): the real plugin processes over gRPC, and the policy SDK's handlers in process. Public
 * surface listed by name.
 */
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
