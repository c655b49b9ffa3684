import * as pulumi from "@pulumi/pulumi";
import {
  type Finding,
  type FindingCounts,
  type ResolvedLocation,
  type WorstSeverity,
} from "@upgrade-guard/provider/impl";
import {
  hasPulumiType,
  type MemberDrift,
  type NoDrift,
  registration,
  type ResourceOptions,
  type SchemaDrift,
  type SchemaOutput,
  type SchemaInput,
} from "../resource-support";
import { TYPE_TOKENS } from "../tokens";

/** One add-on to check. */
export interface AddonCheckArgs {
  /** Add-on template, e.g. `coredns`. */
  addonTemplateName: pulumi.Input<string>;
  /** The installed add-on instance id (`metadata.uid` of the add-on instance). */
  addonInstanceId: pulumi.Input<string>;
  /** The add-on version to check an upgrade to; required for `addonUpgrade`. */
  targetVersion?: pulumi.Input<string>;
  /** `addonUpgrade` (default: pre-upgrade check) or `addonStatic` (inspection). */
  type?: pulumi.Input<"addonUpgrade" | "addonStatic">;
  /** Add-on values to check with, as CCE accepts them. */
  values?: pulumi.Input<Record<string, unknown>>;
}

/** Inputs of {@link AddonPrecheck}. */
export interface AddonPrecheckArgs {
  /** The CCE cluster id. Replaces. */
  clusterId: pulumi.Input<string>;
  /** The add-ons to check, one task each. Replaces. */
  addons: pulumi.Input<pulumi.Input<AddonCheckArgs>[]>;
  /** Huawei Cloud region (default from configuration). Replaces. */
  region?: pulumi.Input<string>;
  /** Project id (default from configuration). Replaces. */
  projectId?: pulumi.Input<string>;
  /** Give up waiting after this many minutes (default 30). Updates in place. */
  waitTimeoutMinutes?: pulumi.Input<number>;
}

/** One add-on's check result. */
export interface AddonCheckOutcome {
  /** The add-on check task id. */
  taskId: string;
  /** The add-on template, e.g. `coredns`. */
  addonTemplateName: string;
  /** The add-on instance checked. */
  addonInstanceId?: string;
  /** `addonUpgrade` or `addonStatic`. */
  type: string;
  /** The add-on version checked against (upgrade checks). */
  targetVersion?: string;
  /** `Success` (no risk) or `Failed` (finished WITH risks). */
  status: string;
  /** CCE's message on the task, if any. */
  message?: string;
  /** When CCE created the task (ISO 8601). */
  createdAt: string;
  /** When CCE stops accepting the result (ISO 8601). */
  expiresAt?: string;
  /** The risks found: name, level (`Warning` or `Fatal`), status and message. */
  risks: { riskName: string; level: string; status: string; message?: string }[];
}

/**
 * Checks add-ons before an upgrade in one batch (BatchCreateAddonPrecheck) and waits for every
 * task. Risks found are the result: `results[].risks`, `findings`, `worstSeverity`.
 *
 * - Preview: nothing runs; outputs are unknown until `up`.
 * - Running checks for the same add-on, type and target are adopted; an interrupted create is
 *   recorded with the task ids and resumed by the next `up`.
 * - Refresh re-reads the tasks (all vanished: the resource is removed).
 * - Delete: CCE keeps add-on checks (no delete API); the resource only leaves the state.
 *
 * ```typescript
 * const addons = new cce.AddonPrecheck("coredns", {
 *   clusterId,
 *   addons: [{ addonTemplateName: "coredns", addonInstanceId: "1f2e...", targetVersion: "1.30.1" }],
 * });
 * export const coreDnsRisk = addons.worstSeverity;
 * ```
 */
export class AddonPrecheck extends pulumi.dynamic.Resource {
  /** `pulumi-nodejs:dynamic/upgrade-guard/cce:AddonPrecheck`. */
  static readonly __pulumiType = TYPE_TOKENS.cce.AddonPrecheck;

  /** True when `obj` is an AddonPrecheck (also one created by another copy of this SDK). */
  static override isInstance(obj: unknown): obj is AddonPrecheck {
    return hasPulumiType(obj, AddonPrecheck.__pulumiType);
  }

  /** The CCE cluster id (input). */
  declare readonly clusterId: pulumi.Output<string>;
  /** The add-ons checked (input). */
  declare readonly addons: pulumi.Output<
    {
      addonTemplateName: string;
      addonInstanceId: string;
      targetVersion?: string;
      type: string;
      values?: Record<string, unknown>;
    }[]
  >;
  /** The region override (input); undefined means the configuration's. */
  declare readonly region: pulumi.Output<string | undefined>;
  /** The project id override (input); undefined means the configuration's. */
  declare readonly projectId: pulumi.Output<string | undefined>;
  /** The deadline of the wait in minutes (input); undefined means 30. */
  declare readonly waitTimeoutMinutes: pulumi.Output<number | undefined>;
  /** One task id per add-on, in input order (joined by commas they are the resource id). */
  declare readonly taskIds: pulumi.Output<string[]>;
  /** `Success`, or `Failed` when any add-on has risks. */
  declare readonly phase: pulumi.Output<string>;
  /** The outcome of each add-on's check, in input order. */
  declare readonly results: pulumi.Output<AddonCheckOutcome[]>;
  /** Every risk in the readiness model. */
  declare readonly findings: pulumi.Output<Finding[]>;
  /** The worst severity among the present findings. */
  declare readonly worstSeverity: pulumi.Output<WorstSeverity>;
  /** Present findings per severity. */
  declare readonly findingCounts: pulumi.Output<FindingCounts>;
  /** When the results were read (ISO 8601). */
  declare readonly observedAt: pulumi.Output<string>;

  /** Where the resource was created (region, and project on CCE): refresh and delete go there. */
  declare readonly location: pulumi.Output<ResolvedLocation | undefined>;

  constructor(name: string, args: AddonPrecheckArgs, opts?: ResourceOptions) {
    super(...registration("cceAddonPrecheck", name, args, opts));
  }
}

/**
 * Compile-time: {@link AddonPrecheckArgs}, the declared outputs and the documented member types are
 * exactly the provider's schemas (`NoDrift` in resource-support.ts names a property that drifted).
 */
export type AddonPrecheckMatchesSchemas = NoDrift<
  | SchemaDrift<AddonPrecheckArgs, AddonPrecheck, "cceAddonPrecheck">
  | MemberDrift<AddonCheckArgs, SchemaInput<"cceAddonPrecheck", "addons">, "addons">
  | MemberDrift<AddonCheckOutcome, SchemaOutput<"cceAddonPrecheck", "results">, "results">
>;
