/**
 * `addon-upgrade-requires-clean-addon-precheck` (mandatory by default): a CCE add-on version change is
 * blocked while the add-on check for that version reports a blocking risk (default: Fatal, or a
 * level upgrade-guard cannot read).
 *
 * The add-on check is found through ListAddonPrecheckTasks (type `addonUpgrade`): the newest task of
 * that add-on template whose target matches the requested version. Those tasks are the same ones
 * upgrade-guard's `cce.AddonPrecheck` resources create, so their results count wherever they came
 * from.
 *
 * What differs from the cluster policy, and why:
 * - The APIs upgrade-guard reads do not report an add-on's INSTALLED version, so the policy cannot
 *   tell "changing to X" from "already on X". It therefore blocks only on evidence (a present
 *   blocking risk in the latest check for X, or that check still running), never on absence
 *   (`missingCheckBlocks` defaults to false) and never on age (an add-on already on X would otherwise
 *   be blocked forever once its old check expired). The check's age is still printed.
 * - The verdict is still `evaluate`'s: the check's findings are judged with the policy's blocking
 *   severities and waivers (add-on Fatal risks are not waivable; Warning risks are).
 */
import {
  type EnforcementLevel,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import {
  type CceAddonCheckTask,
  cceAddonCheckRef,
  cceAddonFindings,
  evaluate,
  type EvaluableSnapshot,
  PRIMARY_CHECK_KIND,
  selectLatestCheck,
  worstSeverityOf,
} from "@upgrade-guard/provider";
import {
  type AddonPolicyConfig,
  type AddonPolicyConfigInput,
  addonPolicyConfigSchema,
  parsePolicyConfig,
  toPolicyConfigSchema,
} from "./config";
import { defaultLookup } from "./cloud-lookup";
import { readString, readVersion } from "./inputs";
import { type ReadinessLookup } from "./lookup";
import { type Framing } from "./messages";
import { describeError, POLICY_NAMES } from "./report";
import { coveredType, typesOf } from "./resource-types";
import {
  configErrorMessage,
  evaluateOptions,
  lookupFailedMessage,
  regionOfLookup,
  type PolicyFactoryOptions,
  readRegion,
  reportEvaluation,
  reportUnknown,
  resourceLabel,
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
  return {
    name: POLICY_NAMES.addon,
    description:
      "A CCE add-on version change is blocked while the add-on check for that version reports a blocking " +
      "risk (upgrade-guard).",
    enforcementLevel: options.enforcementLevel ?? "mandatory",
    severity: "high",
    remediationSteps:
      "Run the CCE add-on check for the target version (BatchCreateAddonPrecheck, type addonUpgrade), fix the " +
      "Fatal risks it reports, and preview again.",
    configSchema: toPolicyConfigSchema(addonPolicyConfigSchema, options.config),
    validateResource: (args, report) => validateAddonUpgrade(args, report, options),
  };
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
  const context: ResourceContext = {
    args,
    report,
    entry,
    policyName: POLICY_NAMES.addon,
    resource: resourceLabel(entry, args.name),
    now: (options.now ?? Date.now)(),
  };
  const read = parsePolicyConfig(addonPolicyConfigSchema, args.getConfig(), options.config);
  if (!read.ok) return report(configErrorMessage(POLICY_NAMES.addon, read.problems));
  try {
    await judgeAddon(context, read.config, options.lookup ?? defaultLookup());
  } catch (error) {
    report(
      `${context.resource}: upgrade-guard could not evaluate this resource, so it blocks it: ${describeError(error)}`,
    );
  }
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
  let tasks: readonly CceAddonCheckTask[];
  try {
    tasks = await lookup.addonChecks({
      clusterId: clusterId.value,
      ...(region === undefined ? {} : { region }),
    });
  } catch (error) {
    return context.report(
      lookupFailedMessage(
        context,
        { cloud: "cce", clusterId: clusterId.value, ...(region === undefined ? {} : { region }) },
        `${template.value} ${version.value}`,
        error,
        lookup,
      ),
    );
  }
  const latest = selectLatestCheck(
    tasks.filter(
      (task) => task.metadata.type === "addonUpgrade" && task.metadata.addonTemplateName === template.value,
    ),
    {
      targetVersion: version.value,
      createdAt: (task) => task.metadata.createTimeStamp,
      targetOf: (task) => task.spec?.addonTargetVersion,
    },
  );
  const subject = `${template.value} add-on on CCE cluster ${clusterId.value}`;
  if (latest === undefined) {
    if (!config.missingCheckBlocks) return;
    return context.report(
      `${context.resource}: no add-on check (addonUpgrade) of ${template.value} for version ${version.value} was found ` +
        `on CCE cluster ${clusterId.value}, and missingCheckBlocks is true. To fix: run the add-on check ` +
        `(BatchCreateAddonPrecheck, type addonUpgrade, targetVersion ${version.value}) and preview again.`,
    );
  }
  const check = cceAddonCheckRef(latest);
  const findings = cceAddonFindings(latest);
  // The add-on check is judged on its findings (and on still running); see the module comment for
  // why its age does not block, which is why a finished check is not passed in `checks`.
  const snapshot: EvaluableSnapshot = {
    cloud: "cce",
    clusterId: clusterId.value,
    region: region ?? regionOfLookup(lookup, "cce") ?? "(environment)",
    currentVersion: `${template.value} (installed version not reported)`,
    targetVersion: `${template.value} ${version.value}`,
    checks: check.state === "pending" ? [check] : [],
    findings,
    worstSeverity: worstSeverityOf(findings),
    observedAt: new Date(context.now).toISOString(),
  };
  const evaluation = evaluate(snapshot, {
    ...evaluateOptions({ ...config, missingCheckBlocks: false }, context.now),
  });
  const framing: Framing = {
    resource: context.resource,
    source: `the latest add-on check of ${subject}`,
    policyName: context.policyName,
    now: context.now,
    check,
    // The cluster-precheck sentence evaluate adds does not apply to an add-on.
    omitReason: (reason) => reason.includes(PRIMARY_CHECK_KIND.cce),
  };
  reportEvaluation(context, snapshot, evaluation, framing, config.waivers, { what: "add-on upgrade" });
}
