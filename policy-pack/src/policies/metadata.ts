/**
 * What CrossGuard shows of the pack and each policy (names, descriptions, default levels, severity,
 * remediation), in ONE place that both the policy factories and the default pack's entry read. It
 * imports neither zod nor the provider, so the entry can construct the pack without loading them.
 */
import { type EnforcementLevel, type Severity } from "@pulumi/policy";

/** The policy names: stable, they are the keys of the `--policy-pack-config` file. */
export const POLICY_NAMES = {
  cluster: "cluster-upgrade-requires-clean-precheck",
  addon: "addon-upgrade-requires-clean-addon-precheck",
  freshness: "upgrade-precheck-freshness",
} as const;
export type PolicyName = (typeof POLICY_NAMES)[keyof typeof POLICY_NAMES];
export type PolicyKey = keyof typeof POLICY_NAMES;

/** The fixed part of a policy: everything but its `configSchema` and `validateResource`. */
export interface PolicyMetadata {
  readonly name: PolicyName;
  readonly description: string;
  /** The default level; a factory's `enforcementLevel` option or the config file may change it. */
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity;
  readonly remediationSteps: string;
}

export const POLICY_METADATA: {
  readonly [K in PolicyKey]: PolicyMetadata & { readonly name: (typeof POLICY_NAMES)[K] };
} = {
  cluster: {
    name: POLICY_NAMES.cluster,
    description:
      "A CCE or ACK cluster version change needs a fresh vendor pre-upgrade check for the target version " +
      "without blocking findings (upgrade-guard).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Run the vendor pre-upgrade check for the target version (CCE CreatePreCheck, ACK RunClusterCheck), fix " +
      "what it reports, and preview again; waive only findings the vendor allows to skip.",
  },
  addon: {
    name: POLICY_NAMES.addon,
    description:
      "A CCE add-on version change needs a current add-on check for that version without blocking risks " +
      "(upgrade-guard).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Run the CCE add-on check for the target version (BatchCreateAddonPrecheck, type addonUpgrade), fix the " +
      "Fatal risks it reports, and preview again.",
  },
  freshness: {
    name: POLICY_NAMES.freshness,
    description:
      "Warns when the pre-upgrade check a cluster version change rests on expires soon (upgrade-guard).",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
      "Run `pulumi up` before the check expires, or run the vendor check again for the target version.",
  },
};

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "upgrade-guard";

export const PACK_DESCRIPTION =
  "Blocks a Huawei Cloud CCE or Alibaba Cloud ACK cluster (or CCE add-on) version change when the latest " +
  "vendor pre-upgrade check has blocking findings, or an upgrade is already in flight, and fails closed " +
  "when the facts are missing, pending, stale, unreadable, unknown at preview or contradict the program.";

/** The pack's display name. */
export const PACK_DISPLAY_NAME = "upgrade-guard: safe CCE and ACK upgrades";
