// Type tokens: valid by Pulumi's own grammar, one per resource, the same string on the class.
import {
  ack,
  ALL_TYPE_TOKENS,
  cce,
  TOKEN_MODULES,
  TYPE_TOKENS,
  UPGRADE_TYPE_TOKENS,
} from "@upgrade-guard/sdk";

// pulumi/pulumi sdk/go/common/tokens/names.go: NameRegexpPattern and QNameRegexpPattern.
const NAME = "[A-Za-z_.][A-Za-z0-9_.-]*";
const QNAME = `(?:${NAME}/)*${NAME}`;
// A type token is <package>:<module>:<member>; dynamic resources use package `pulumi-nodejs`.
const DYNAMIC_TOKEN = new RegExp(`^pulumi-nodejs:dynamic/(${QNAME}):(${NAME})$`);

it("every token is a valid Pulumi type token whose module names upgrade-guard and the cloud", () => {
  for (const token of ALL_TYPE_TOKENS) {
    const match = DYNAMIC_TOKEN.exec(token);
    expect(match).not.toBeNull();
    expect(match![1]).toMatch(/^upgrade-guard\/(cce|ack)$/);
  }
  expect(new Set(ALL_TYPE_TOKENS).size).toBe(ALL_TYPE_TOKENS.length);
  expect(TOKEN_MODULES).toEqual({ cce: "upgrade-guard/cce", ack: "upgrade-guard/ack" });
});

it("the grammar check itself rejects malformed modules", () => {
  for (const bad of [
    "pulumi-nodejs:dynamic/upgrade guard/cce:X",
    "pulumi-nodejs:dynamic/1cce:X",
    "pulumi-nodejs:dynamic/cce:X/Y",
  ]) {
    expect(DYNAMIC_TOKEN.test(bad)).toBe(false);
  }
});

it.each([
  [cce.ClusterPrecheck, TYPE_TOKENS.cce.ClusterPrecheck],
  [cce.AddonPrecheck, TYPE_TOKENS.cce.AddonPrecheck],
  [cce.UpgradeWorkflow, TYPE_TOKENS.cce.UpgradeWorkflow],
  [cce.ClusterUpgrade, TYPE_TOKENS.cce.ClusterUpgrade],
  [ack.ClusterCheck, TYPE_TOKENS.ack.ClusterCheck],
  [ack.ClusterUpgrade, TYPE_TOKENS.ack.ClusterUpgrade],
])("%p carries its token as static __pulumiType", (resourceClass, token) => {
  expect(resourceClass.__pulumiType).toBe(token);
  expect(resourceClass.isInstance({ __pulumiType: token })).toBe(true);
  expect(resourceClass.isInstance({ __pulumiType: `${token}x` })).toBe(false);
});

it("lists the upgrade tokens the policy pack guards", () => {
  expect([...UPGRADE_TYPE_TOKENS].sort()).toEqual(
    [
      "pulumi-nodejs:dynamic/upgrade-guard/ack:ClusterUpgrade",
      "pulumi-nodejs:dynamic/upgrade-guard/cce:ClusterUpgrade",
    ].sort(),
  );
});

it("exports the cce and ack namespaces by name", () => {
  expect(Object.keys(cce).sort()).toEqual(
    [
      "AddonPrecheck",
      "ClusterPrecheck",
      "ClusterUpgrade",
      "UpgradeWorkflow",
      "getAddonPrecheckTasks",
      "getAddonPrecheckTasksOutput",
      "getLatestPrecheck",
      "getLatestPrecheckOutput",
      "getPrecheck",
      "getPrecheckOutput",
      "getUpgradeWorkflow",
      "getUpgradeWorkflowOutput",
      "getUpgradeWorkflows",
      "getUpgradeWorkflowsOutput",
    ].sort(),
  );
  expect(Object.keys(ack).sort()).toEqual(
    [
      "ClusterCheck",
      "ClusterUpgrade",
      "getClusterCheck",
      "getClusterCheckOutput",
      "getClusterChecks",
      "getClusterChecksOutput",
      "getLatestClusterCheck",
      "getLatestClusterCheckOutput",
      "getTaskInfo",
      "getTaskInfoOutput",
      "getUpgradeStatus",
      "getUpgradeStatusOutput",
    ].sort(),
  );
});
