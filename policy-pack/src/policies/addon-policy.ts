/**
 * `addon-upgrade-requires-clean-addon-precheck` (mandatory by default): a CCE add-on version change is
 * blocked unless an add-on check for that version says it is safe: no check, a check still running
 * or expired, or a blocking risk (default: Fatal, or a level upgrade-guard cannot read) blocks.
 *
 * Facts from the cloud: the installed version (ListAddonInstances) says whether the program's version
 * is a change at all; the add-on check is found through ListAddonPrecheckTasks (type `addonUpgrade`):
 * the newest task of that add-on template whose target matches the requested version. Those tasks
 * are the same ones upgrade-guard's `cce.AddonPrecheck` resources create, so their results count
 * wherever they came from.
 *
 * - Not installed yet (the resource installs it), or already on that version: nothing to judge.
 * - A version change with no add-on check for it blocks (fail closed; `missingCheckBlocks: false`
 *   relaxes it, see the pack's README for when that is reasonable).
 * - A change with a check: `evaluate` judges it like a cluster check (still running, expired and
 *   blocking risks block; add-on Fatal risks are not waivable, Warning risks are).
 * - Facts that cannot be read (either list) block, whatever the program says.
 */
import {
  type EnforcementLevel,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import {
  buildCceAddonSnapshot,
  type CceAddonCheckTask,
  type CceAddonInstance,
  evaluate,
  isVersionChange,
  PRIMARY_CHECK_KIND,
  latestAddonCheck,
} from "@upgrade-guard/provider";
import { type AddonPolicyConfig, type AddonPolicyConfigInput, addonPolicyConfigSchema } from "./config";
import { defaultLookup } from "./cloud-lookup";
import { readString, readVersion } from "./inputs";
import { type ReadinessLookup } from "./lookup";
import { type Framing } from "./messages";
import { coveredType, typesOf } from "./resource-types";
import {
  chooseAccount,
  configuredPolicy,
  judgeCovered,
  evaluateOptions,
  lookupFailedMessage,
  regionOfLookup,
  type PolicyFactoryOptions,
  readRegion,
  reportEvaluation,
  reportUnknown,
  type ResourceContext,
} from "./shared";

export interface AddonPolicyOptions extends PolicyFactoryOptions {
  /** Default `mandatory`. The `--policy-pack-config` file can still change it. */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Configuration defaults for this policy, also published as the defaults of its `configSchema` (the
   * CLI fills those in); values in the `--policy-pack-config` file win.
   */
  readonly config?: AddonPolicyConfigInput;
}

const NOT_APPLICABLE = `applies only to add-on version changes of: ${typesOf("addon")
  .filter((entry) => entry.facts === "lookup")
  .map((entry) => entry.type)
  .join(", ")}`;

/** The policy factory; see `clusterUpgradeRequiresCleanPrecheck` for composing packs. */
export function addonUpgradeRequiresCleanAddonPrecheck(
  options: AddonPolicyOptions = {},
): ResourceValidationPolicy {
  return configuredPolicy("addon", addonPolicyConfigSchema, options, (args, report) =>
    validateAddonUpgrade(args, report, options),
  );
}

async function validateAddonUpgrade(
  args: ResourceValidationArgs,
  report: ReportViolation,
  options: AddonPolicyOptions,
): Promise<void> {
  const entry = coveredType(args.type);
  if (entry === undefined || entry.policy !== "addon" || entry.facts !== "lookup") {
    return args.notApplicable(NOT_APPLICABLE);
  }
  return judgeCovered(args, report, entry, "addon", addonPolicyConfigSchema, options, (context, config) =>
    judgeAddon(context, config, options.lookup ?? defaultLookup()),
  );
}

async function judgeAddon(
  context: ResourceContext,
  config: AddonPolicyConfig,
  lookup: ReadinessLookup,
): Promise<void> {
  const { args, entry } = context;
  const version = readVersion(args.props, [entry.targetVersion]);
  if (version.state === "absent") return;
  const clusterId = readString(args.props, [entry.clusterId ?? "clusterId"]);
  const template = readString(args.props, [entry.addonName ?? "templateName"]);
  const reads = {
    [entry.targetVersion]: version,
    [entry.clusterId ?? "clusterId"]: clusterId,
    [entry.addonName ?? "templateName"]: template,
  };
  const unknown = Object.values(reads).flatMap((r) => (r.state === "unknown" ? [r.path] : []));
  const regionRead = readRegion(args, entry);
  if (regionRead.state === "unknown") unknown.push(regionRead.path);
  if (unknown.length > 0)
    return reportUnknown(context, unknown, config.allowUnknownInPreview, "the add-on version");
  const missing = Object.entries(reads).flatMap(([name, r]) =>
    r.state === "known"
      ? []
      : r.state === "invalid"
        ? [`${name} (${r.problem}; it must be a string)`]
        : [name],
  );
  if (
    missing.length > 0 ||
    version.state !== "known" ||
    clusterId.state !== "known" ||
    template.state !== "known"
  ) {
    return context.report(
      `${context.resource}: cannot verify the add-on version: missing or invalid ${missing.join(", ")}. upgrade-guard blocks what it cannot verify.`,
    );
  }
  const region = regionRead.state === "known" ? regionRead.value : undefined;
  const { account } = chooseAccount(args, "cce", config.accounts, region, lookup);
  const cluster = {
    clusterId: clusterId.value,
    ...(region === undefined ? {} : { region }),
    ...(account === undefined ? {} : { account }),
  };
  let tasks: readonly CceAddonCheckTask[];
  let installed: CceAddonInstance | undefined;
  try {
    const [instances, checks] = await Promise.all([
      lookup.addonInstances(cluster),
      lookup.addonChecks(cluster),
    ]);
    installed = instances.find((instance) => instance.spec.addonTemplateName === template.value);
    tasks = checks;
  } catch (error) {
    return context.report(
      lookupFailedMessage(
        context,
        { cloud: "cce", ...cluster },
        `${template.value} ${version.value}`,
        error,
        lookup,
      ),
    );
  }
  // Not installed: the resource installs it, nothing is upgraded. Already on it: nothing changes.
  if (installed === undefined || !isVersionChange(installed.spec.version, version.value)) return;
  const latest = latestAddonCheck(tasks, template.value, version.value, context.now);
  const subject = `${template.value} add-on on CCE cluster ${clusterId.value}`;
  const from = installed.spec.version;
  if (latest === undefined) {
    if (!config.missingCheckBlocks) return;
    return context.report(
      `${context.resource}: the ${subject} moves from ${from} to ${version.value}, and no add-on check ` +
        `(addonUpgrade) of ${template.value} for ${version.value} was found, so upgrade-guard cannot tell whether ` +
        `the change is safe and blocks it. To fix: run the add-on check (BatchCreateAddonPrecheck, type ` +
        `addonUpgrade, targetVersion ${version.value}; or an upgrade-guard cce.AddonPrecheck) and preview again. ` +
        `Set "missingCheckBlocks": false for ${context.policyName} only if you accept add-on changes without ` +
        `the vendor's check (see the pack's README).`,
    );
  }
  // A real change: the check counts with its state and age, like a cluster check.
  const snapshot = buildCceAddonSnapshot({
    clusterId: clusterId.value,
    region: region ?? regionOfLookup(lookup, "cce", undefined, account) ?? "(environment)",
    addonTemplateName: template.value,
    installedVersion: from,
    targetVersion: version.value,
    check: latest,
    now: context.now,
  });
  const evaluation = evaluate(snapshot, {
    ...evaluateOptions({ ...config, missingCheckBlocks: false }, context.now),
  });
  const framing: Framing = {
    resource: context.resource,
    source: `the latest add-on check of ${subject}`,
    policyName: context.policyName,
    now: context.now,
    // The cluster-precheck sentence evaluate adds does not apply to an add-on.
    omitReason: (reason) => reason.includes(PRIMARY_CHECK_KIND.cce),
  };
  reportEvaluation(context, snapshot, evaluation, framing, config.waivers, { what: "add-on upgrade" });
}
