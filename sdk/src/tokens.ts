/**
 * Type tokens of the upgrade-guard dynamic resources.
 *
 * A dynamic resource's token is `pulumi-nodejs:dynamic/<module>:<Type>`. The module part is a Pulumi
 * `ModuleName`, which is a `QName`: `/`-separated names, each matching `[A-Za-z_.][A-Za-z0-9_.-]*`
 * (pulumi/pulumi `sdk/go/common/tokens/names.go`, `QNameRegexpPattern`). `upgrade-guard/cce` is
 * therefore valid and names both the product and the cloud, so a policy can select our resources by
 * token and never confuses them with another package's dynamic resources. The type part is a plain
 * `Name` (no `/`).
 *
 * Changing a token changes the URN of every existing resource: never edit these strings without
 * adding `aliases` for the old token.
 */

/** The Pulumi package of every dynamic resource. */
const DYNAMIC = "pulumi-nodejs:dynamic";

/** Module part of the token (the `<module>` in `pulumi-nodejs:dynamic/<module>:<Type>`), per cloud. */
export const TOKEN_MODULES = {
  cce: "upgrade-guard/cce",
  ack: "upgrade-guard/ack",
} as const;

/** Builds `pulumi-nodejs:dynamic/<module>:<type>`, the way `pulumi.dynamic.Resource` does. */
function token<M extends string, T extends string>(module: M, type: T): `${typeof DYNAMIC}/${M}:${T}` {
  return `${DYNAMIC}/${module}:${type}`;
}

/**
 * The type token of every resource, e.g. for a policy:
 *
 * ```typescript
 * import { TYPE_TOKENS } from "@upgrade-guard/sdk";
 * if (args.type === TYPE_TOKENS.cce.ClusterUpgrade) { ... }
 * ```
 */
export const TYPE_TOKENS = {
  cce: {
    ClusterPrecheck: token(TOKEN_MODULES.cce, "ClusterPrecheck"),
    AddonPrecheck: token(TOKEN_MODULES.cce, "AddonPrecheck"),
    UpgradeWorkflow: token(TOKEN_MODULES.cce, "UpgradeWorkflow"),
    ClusterUpgrade: token(TOKEN_MODULES.cce, "ClusterUpgrade"),
  },
  ack: {
    ClusterCheck: token(TOKEN_MODULES.ack, "ClusterCheck"),
    ClusterUpgrade: token(TOKEN_MODULES.ack, "ClusterUpgrade"),
  },
} as const;

/** Every token, for "is this one of ours?" checks. */
export const ALL_TYPE_TOKENS: readonly string[] = [
  ...Object.values(TYPE_TOKENS.cce),
  ...Object.values(TYPE_TOKENS.ack),
];

/** Tokens of the resources that change a cluster's version (what the policy pack guards). */
export const UPGRADE_TYPE_TOKENS: readonly string[] = [
  TYPE_TOKENS.cce.ClusterUpgrade,
  TYPE_TOKENS.ack.ClusterUpgrade,
];
