/**
 * `@upgrade-guard/provider/impl`: the implementations behind the Pulumi SDK. The SDK's dynamic
 * providers are thin shims that load this module BY NAME at call time (through
 * `@upgrade-guard/sdk/impl`) and call `dispatch`; its data functions call the functions here.
 *
 * This module never loads @pulumi/pulumi: the provider package does not depend on it. Its module
 * state (the stack configuration from `configure`) lives only in the process that runs it.
 */
import { ackClusterCheck } from "./pulumi/resources/ack-cluster-check";
import { ackClusterUpgrade } from "./pulumi/resources/ack-cluster-upgrade";
import { cceAddonPrecheck } from "./pulumi/resources/cce-addon-precheck";
import { cceClusterPrecheck } from "./pulumi/resources/cce-cluster-precheck";
import { cceClusterUpgrade } from "./pulumi/resources/cce-cluster-upgrade";
import { cceUpgradeWorkflow } from "./pulumi/resources/cce-upgrade-workflow";
import { type ConfigureRequestLike, configureFromRequest } from "./pulumi/shared/settings";
import { PartialCreateError } from "./pulumi/shared/errors";
import { type PropertyMap, PROVIDER_KEY, type ResourceLifecycle, UNKNOWN } from "./pulumi/shared/types";
import * as functions from "./pulumi/functions/index";

/** Every resource implementation, by the name the SDK shims use. */
export const resources = {
  cceClusterPrecheck,
  cceAddonPrecheck,
  cceUpgradeWorkflow,
  cceClusterUpgrade,
  ackClusterCheck,
  ackClusterUpgrade,
} as const satisfies Record<string, ResourceLifecycle>;

/** The name of a resource implementation (`cceClusterPrecheck`, ...). */
export type ResourceName = keyof typeof resources;

/**
 * `configure(req)` of every dynamic provider: keeps the `upgrade-guard:*` stack configuration for
 * the later calls of this process. Pulumi calls it once per serialized provider and process.
 */
export async function configure(req: ConfigureRequestLike): Promise<void> {
  configureFromRequest(req);
}

/**
 * The method groups of the SDK shims (see sdk/src/providers.ts for why they are grouped):
 * `setUp` = configure | check | create, `inspect` = diff | read, `change` = update | delete.
 */
export type ShimGroup = "setUp" | "inspect" | "change";

function isConfigureRequest(value: unknown): value is ConfigureRequestLike {
  const config = (value as { config?: { get?: unknown } } | null | undefined)?.config;
  return typeof config?.get === "function";
}

const asProps = (value: unknown): PropertyMap =>
  value !== null && typeof value === "object" ? (value as PropertyMap) : {};
const asId = (value: unknown): string => (typeof value === "string" ? value : String(value ?? ""));

const isSerializedProvider = (value: unknown): value is string =>
  typeof value === "string" && value !== UNKNOWN;

/**
 * Runs `create` or `update` and puts the serialized provider into a partial-create error's
 * properties: the engine stores those properties as the resource's outputs (on update too, when a
 * resumed wait fails again), and a later refresh or delete loads the provider from them (without
 * `__provider` it could not). `from`: where to take it, first match wins.
 */
async function keepingProvider<T>(from: readonly PropertyMap[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PartialCreateError) {
      const provider = from.map((props) => props[PROVIDER_KEY]).find(isSerializedProvider);
      if (provider !== undefined) Object.assign(error.properties, { [PROVIDER_KEY]: provider });
    }
    throw error;
  }
}

/**
 * Routes a shim call to the resource method it stands for, told apart by arity exactly as the
 * Pulumi dynamic-provider host calls them: `configure(req)`, `check(olds, news)`, `create(inputs)`,
 * `diff(id, olds, news)`, `read(id, props)`, `update(id, olds, news)`, `delete(id, props)`.
 */
export async function dispatch(
  resource: ResourceName,
  group: ShimGroup,
  args: readonly unknown[],
): Promise<unknown> {
  const target = resources[resource];
  if (target === undefined)
    throw new Error(`upgrade-guard: unknown resource implementation "${String(resource)}"`);
  switch (group) {
    case "setUp": {
      if (args.length >= 2) return target.check(asProps(args[0]), asProps(args[1]));
      if (isConfigureRequest(args[0])) return configure(args[0]);
      const inputs = asProps(args[0]);
      return keepingProvider([inputs], () => target.create(inputs));
    }
    case "inspect":
      if (args.length >= 3) return target.diff(asId(args[0]), asProps(args[1]), asProps(args[2]));
      return target.read(asId(args[0]), args[1] === undefined ? undefined : asProps(args[1]));
    case "change": {
      if (args.length < 3) return target.delete(asId(args[0]), asProps(args[1]));
      const [olds, news] = [asProps(args[1]), asProps(args[2])];
      // The new shim first: the engine records the update's outputs with it.
      return keepingProvider([news, olds], () => target.update(asId(args[0]), olds, news));
    }
    default:
      throw new Error(`upgrade-guard: unknown shim group "${String(group)}"`);
  }
}

/** Everything at once, for callers that prefer one object. */
export const impl = { ...resources, configure, dispatch, functions } as const;

export { functions };
export {
  CONFIG_KEYS,
  CONFIG_NAMESPACE,
  settingsFromConfig,
  type ConfigKey,
  type RawConfig,
} from "./pulumi/shared/settings";
export { setLogSink, type LogLevel, type LogSink } from "./pulumi/shared/log";
export { UNKNOWN, type PropertyMap, type ResourceLifecycle } from "./pulumi/shared/types";
export { PartialCreateError };
export { rewriteErrorText } from "./internal/error-text";
export { UpgradeBlockedError } from "./pulumi/resources/upgrade-gate";
export { POLL_INTERVAL_ENV, type FindingCounts, type ResolvedLocation } from "./pulumi/shared/common";
/**
 * Each resource's inputs and computed outputs as zod schemas, the one description of its shape: the
 * lifecycles check inputs and read the state back through them, and the SDK derives its input and
 * output lists from their keys and checks its `Args` and declared outputs against them.
 */
export {
  cceClusterPrecheckInputsSchema,
  cceClusterPrecheckOutputsSchema,
  type CceClusterPrecheckInputs,
  type CceClusterPrecheckOutputs,
} from "./pulumi/resources/cce-cluster-precheck";
export {
  cceAddonPrecheckInputsSchema,
  cceAddonPrecheckOutputsSchema,
  type CceAddonPrecheckInputs,
  type CceAddonPrecheckOutputs,
} from "./pulumi/resources/cce-addon-precheck";
export {
  cceUpgradeWorkflowInputsSchema,
  cceUpgradeWorkflowOutputsSchema,
  type CceUpgradeWorkflowInputs,
  type CceUpgradeWorkflowOutputs,
} from "./pulumi/resources/cce-upgrade-workflow";
export {
  cceClusterUpgradeInputsSchema,
  cceClusterUpgradeOutputsSchema,
  type CceClusterUpgradeInputs,
  type CceClusterUpgradeOutputs,
} from "./pulumi/resources/cce-cluster-upgrade";
export {
  ackClusterCheckInputsSchema,
  ackClusterCheckOutputsSchema,
  type AckClusterCheckInputs,
  type AckClusterCheckOutputs,
} from "./pulumi/resources/ack-cluster-check";
export {
  ackClusterUpgradeInputsSchema,
  ackClusterUpgradeOutputsSchema,
  type AckClusterUpgradeInputs,
  type AckClusterUpgradeOutputs,
} from "./pulumi/resources/ack-cluster-upgrade";
/** The readiness model, for the SDK's output types. */
export type {
  ReadinessSnapshot,
  Finding,
  Verdict,
  WorstSeverity,
  Severity,
  CheckRef,
  CheckState,
} from "./readiness/model";
/** Waivers as `evaluate` takes and reports them. */
export type { Waiver, WaiverApplied, WaiverRefused } from "./readiness/evaluate";
