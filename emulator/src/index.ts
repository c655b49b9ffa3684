/**
 * @upgrade-guard/emulator: a local emulator of the Huawei Cloud CCE/IAM and Alibaba Cloud ACK upgrade
 * APIs. Public surface listed by name.
 */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./emulator";
export {
  type EmulatorControl,
  type ClusterSummary,
  type AccountSummary,
  type ClockState,
  type RequestQuery,
} from "./control/control-surface";
export {
  DEFAULT_HUAWEI_ACCOUNT,
  DEFAULT_ALIBABA_ACCOUNT,
  type HuaweiAccount,
  type AlibabaAccount,
} from "./auth/accounts";
export { clientEnvironment, type ClientEnvironmentOptions } from "./client-environment";
export { type FaultRuleInput, type FaultRule } from "./faults/faults";
export { type RequestLogEntry } from "./server/request-log";
export { type Service } from "./server/router";
export {
  type ScenarioInput,
  type Scenario,
  type HuaweiAccountInput,
  TWO_PROJECT_HUAWEI_ACCOUNT,
} from "./scenario/schema";
export { ScenarioError } from "./scenario/errors";
export { validateScenario, loadScenarioFile, builtinScenarioNames } from "./scenario/load";
export { StateFileError } from "./persistence/state-file";
