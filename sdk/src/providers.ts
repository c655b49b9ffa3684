/**
 * The dynamic providers: one module-level, serializable shim per resource type.
 *
 * Pulumi serializes each provider object into the `__provider` property of every resource (twice
 * per resource in state) and the dynamic-provider plugin rebuilds it from that text. A shim
 * therefore captures only two strings, the implementation's module name and the resource name,
 * and loads the implementation by package name at call time. Nothing else may be referenced from
 * inside these functions: a captured module object, zod schema, client or credential would be
 * serialized by value (docs/pulumi-mechanics.md#dynamic-provider-serialization).
 *
 * Why three functions for seven methods: every distinct function costs about 165 bytes of wrapper
 * in the serialized text, so seven methods serialize to 1,683 bytes even with empty bodies, over the
 * 1.5 KB budget. The methods are grouped by what tells them apart, and the implementation's
 * `dispatch` picks the method:
 * - `setUp`: `configure(req)` (one argument with `config.get`), `check(olds, news)` (two
 *   arguments), `create(inputs)` (one plain argument);
 * - `inspect`: `diff(id, olds, news)` (three arguments) and `read(id, props)`;
 * - `change`: `update(id, olds, news)` (three arguments) and `delete(id, props)`.
 * The Pulumi host always calls with those exact arities (`cmd/dynamic-provider/index.ts`).
 */
import type * as pulumi from "@pulumi/pulumi";
// Type-only: erased from the output, so no shim can capture the module object.
import type * as ImplModule from "./impl";

type Impl = typeof ImplModule;
/** The implementation a shim stands for. */
export type ResourceName = Parameters<Impl["dispatch"]>[0];

/** The subpath the shims load, resolved from the Pulumi project directory (the plugin's cwd). */
const IMPL = "@upgrade-guard/sdk/impl";

function thinShim(resource: ResourceName): pulumi.dynamic.ResourceProvider {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded by name at call time, see above */
  const setUp = (...args: unknown[]) => (require(IMPL) as Impl).dispatch(resource, "setUp", args);
  const inspect = (...args: unknown[]) => (require(IMPL) as Impl).dispatch(resource, "inspect", args);
  const change = (...args: unknown[]) => (require(IMPL) as Impl).dispatch(resource, "change", args);
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    configure: setUp,
    check: setUp,
    create: setUp,
    diff: inspect,
    read: inspect,
    update: change,
    delete: change,
  } as pulumi.dynamic.ResourceProvider;
}

/** Provider of `cce.ClusterPrecheck`. */
export const cceClusterPrecheckProvider = thinShim("cceClusterPrecheck");
/** Provider of `cce.AddonPrecheck`. */
export const cceAddonPrecheckProvider = thinShim("cceAddonPrecheck");
/** Provider of `cce.UpgradeWorkflow`. */
export const cceUpgradeWorkflowProvider = thinShim("cceUpgradeWorkflow");
/** Provider of `cce.ClusterUpgrade`. */
export const cceClusterUpgradeProvider = thinShim("cceClusterUpgrade");
/** Provider of `ack.ClusterCheck`. */
export const ackClusterCheckProvider = thinShim("ackClusterCheck");
/** Provider of `ack.ClusterUpgrade`. */
export const ackClusterUpgradeProvider = thinShim("ackClusterUpgrade");
