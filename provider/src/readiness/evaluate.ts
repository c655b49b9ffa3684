/**
 * `evaluate`: the ONE place where upgrade-guard decides whether an upgrade may go ahead. Builders,
 * data sources, resources and the policy pack all call it; none of them decides on its own.
 *
 * It is pure: same snapshot and options, same answer. "Now" is an option (default: the snapshot's
 * `observedAt`), never the wall clock.
 *
 * Order of the verdicts (the first condition that blocks names the verdict; when nothing blocks,
 * the first condition that holds without blocking does, else `ready`):
 *
 * | condition                                                   | verdict   | blocks                     |
 * |-------------------------------------------------------------|-----------|----------------------------|
 * | current version already satisfies the target                | `ready`   | never (nothing to check)   |
 * | the target is older than the current version (a downgrade)  | `blocked` | always                     |
 * | the target is not a readable version (with `upgradePath`)   | `blocked` | always                     |
 * | the target is not one the cloud offers (`upgradePath`)      | `blocked` | always                     |
 * | node pool: the target breaks the version skew policy (skew.ts) | `blocked` | always                 |
 * | an upgrade is already in flight (task, open workflow, state) | `upgrading` | always                  |
 * | no primary check for the target (CCE precheck, ACK check)   | `unknown` | when `missingCheckBlocks`  |
 * | a relevant check or finding is still pending                | `pending` | when `pendingBlocks`       |
 * | a finished check expired or is older than the maximum age  | `stale`   | always                     |
 * | a check ended in error, or failed with no non-info finding  | `blocked` | always                     |
 * | a present finding of a blocking severity, not waived        | `blocked` | always                     |
 * | otherwise                                                   | `ready`   | no                         |
 *
 * Beside the verdict, a notice (never a block, and not a finding) says when the current version is
 * past its end of support or within `endOfSupportNoticeDays` of it (`versionSupport`, ACK only).
 *
 * "Relevant" checks are those whose target (when known) matches the snapshot's target; others are
 * ignored with a note. Waivers apply to findings only (never to a missing, pending, stale or broken
 * check), match on `checkName` and `clusterId`, and are refused when expired or when the finding is
 * not waivable (CCE `Fatal` level or `Exception` kind: the vendor says it must be fixed).
 */
import { z } from "zod";
import { InputError } from "../errors";
import { parseTimestamp } from "../internal/timestamps";
import { mustBe, parseArgs } from "../internal/validate";
import { compareVersions, isVersionChange, parseVersion, targetMatches } from "../internal/versions";
import { formatDuration } from "./format";
import { KUBELET_VERSION_SKEW, kubeletSkewProblem, type SkewProblem } from "./skew";
import { checkFreshness, type Freshness, MAX_CHECK_AGE_MS } from "./latest";
import {
  isoTimestamp,
  isoTimestampField,
  type CheckKind,
  type CheckRef,
  type Finding,
  type ReadinessSnapshot,
  readinessSnapshotSchema,
  severitySchema,
  type UpgradeInFlight,
  UNKNOWN_CREATION_TIME,
  type UpgradePath,
  type Verdict,
} from "./model";

/**
 * A recorded decision to accept one waivable finding on one cluster until a date, so that a known,
 * understood risk does not block every upgrade. Who accepted it and why are required, so the
 * decision can be audited; the expiry makes it come back for review.
 */
export const waiverSchema = z.strictObject({
  /** The finding's `checkName`, exactly. */
  checkName: z
    .string(mustBe('the finding\'s check name, e.g. "NodeOSVersion"'))
    .min(1, mustBe("a non-empty check name")),
  /** The cluster it applies to; a waiver never spreads to other clusters. */
  clusterId: z
    .string(mustBe("the id of the cluster the waiver is for"))
    .min(1, mustBe("a non-empty cluster id")),
  /** Why the risk is accepted, shown in the evaluation's reasons. */
  reason: z.string(mustBe("why the finding is accepted")).min(1, mustBe("a non-empty reason")),
  /** Who accepted it (a person or team), shown in the evaluation's reasons. */
  owner: z.string(mustBe("who accepted the finding")).min(1, mustBe("a non-empty owner")),
  /** ISO 8601; the waiver stops applying at this instant. */
  expires: isoTimestampField('must be an ISO 8601 timestamp with a time zone, e.g. "2030-01-31T00:00:00Z"'),
});
/** One waiver; see `waiverSchema`. */
export type Waiver = z.output<typeof waiverSchema>;

/**
 * What blocks: at least one severity. Shared by every surface that takes it (the data function,
 * the upgrade resources' gate, the policy pack), so none accepts what another refuses.
 */
export const blockingSeveritiesSchema = z
  .array(severitySchema)
  .min(1, { error: "name at least one severity: an empty list would let every finding through" });

/** A maximum check age in milliseconds, at most `MAX_CHECK_AGE_MS` (30 days). */
const maxCheckAgeMsSchema = z
  .number()
  .int()
  .positive()
  .max(MAX_CHECK_AGE_MS, { error: `must be at most ${MAX_CHECK_AGE_MS} ms (30 days)` });

/** Days before the end of support from which a passing upgrade gets a notice (0: once it has passed). */
export const endOfSupportNoticeDaysSchema = z.number().int().min(0).max(3650);

/** The knobs of `evaluate`: what blocks, how old a check may be, which waivers apply, and when "now" is. */
export const evaluateOptionsSchema = z.strictObject({
  /** Severities of present findings that block. */
  blockingSeverities: blockingSeveritiesSchema.default(["fatal", "unknown"]),
  /** Maximum check age, at most 30 days; without it, vendor expiry or 1 h applies (see latest.ts). */
  maxAgeMs: maxCheckAgeMsSchema.optional(),
  /** Whether having no primary check for the target blocks (verdict `unknown`); default true. */
  missingCheckBlocks: z.boolean().default(true),
  /** Whether a check or item still running blocks (verdict `pending`); default true. */
  pendingBlocks: z.boolean().default(true),
  /** Waivers to apply to present findings; default none. */
  waivers: z.array(waiverSchema).default([]),
  /** ISO 8601 or epoch milliseconds; default the snapshot's `observedAt`. */
  now: z.union([isoTimestamp, z.number().finite()]).optional(),
  /** Notice a current version whose end of support is this many days away or fewer; default 90. */
  endOfSupportNoticeDays: endOfSupportNoticeDaysSchema.default(90),
});
/** Options of `evaluate` as a caller writes them (every field optional); see `evaluateOptionsSchema`. */
export type EvaluateOptions = z.input<typeof evaluateOptionsSchema>;

/** What `evaluate` needs: a snapshot, with or without a previous verdict. */
const evaluableSnapshotSchema = readinessSnapshotSchema.omit({ verdict: true, reasons: true, digest: true });
/**
 * A readiness snapshot without (or with) its previous verdict, reasons and digest: `evaluate`
 * decides from the facts alone, so a snapshot can be judged again under other options.
 */
export type EvaluableSnapshot = z.input<typeof evaluableSnapshotSchema>;

/** A waiver that took effect: the finding it covered no longer blocks. */
export interface WaiverApplied {
  /** The waiver as given. */
  readonly waiver: Waiver;
  /** The finding it covered. */
  readonly finding: Finding;
}

/** A waiver that named a blocking finding but was not applied, so the user learns why it still blocks. */
export interface WaiverRefused {
  /** The waiver as given. */
  readonly waiver: Waiver;
  /** Why it did not apply (another cluster, expired, or the finding is must-fix). */
  readonly reason: string;
}

/** The decision `evaluate` makes about one snapshot, with everything needed to explain it. */
export interface Evaluation {
  /** True when the upgrade may go ahead: nothing blocks. */
  readonly allowed: boolean;
  /** The verdict of the first condition that blocks, else of the first that holds; see the module comment. */
  readonly verdict: Verdict;
  /** Present findings that block (waivers already taken into account). */
  readonly blocking: Finding[];
  /** Present findings that do not block, info excluded. */
  readonly warnings: Finding[];
  /** Waivers that took effect. */
  readonly waiversApplied: WaiverApplied[];
  /** Waivers that named a blocking finding but were refused, with the reason. */
  readonly waiversRefused: WaiverRefused[];
  /** Plain-language sentences: what was checked, what blocks, how to fix or waive it. */
  readonly reasons: string[];
  /**
   * Advisory sentences that never block (today: the current version is past or near its end of
   * support); each is also among `reasons`.
   */
  readonly notices: string[];
  /**
   * True when the target itself is refused whatever the checks say (a downgrade, a target the cloud
   * does not offer, a node pool target that breaks the version skew): the fix is another target,
   * not a check for this one.
   */
  readonly targetRefused: boolean;
}

/** The first sentence of a verdict that does not allow the upgrade: what kind of "no" it is. */
const NOT_ALLOWED_BECAUSE: Readonly<Record<Verdict, string>> = {
  blocked: "it is blocked",
  upgrading: "another upgrade of the cluster is in flight",
  pending: "a check for the target has not finished",
  stale: "the check for the target is too old to trust",
  unknown: "its readiness is unknown, since no check was found for the target",
  // Not reached (a ready verdict allows), but every verdict has its words.
  ready: "it is ready, but a condition blocks",
};

/** Severities of a present finding that can explain a failed check (an info item cannot). */
const EXPLAINS_FAILURE: ReadonlySet<Finding["severity"]> = new Set(["fatal", "warning", "unknown"]);

/** The headline of a `stale` verdict by why the check is not fresh: "too old" is wrong for a future date. */
const STALE_BECAUSE: Readonly<Record<NonNullable<Freshness["staleBecause"]>, string>> = {
  expired: NOT_ALLOWED_BECAUSE.stale,
  "too-old": NOT_ALLOWED_BECAUSE.stale,
  "in-future":
    "the check for the target is dated in the future; check the clocks of this machine and the cloud",
  undated: "the check for the target has no creation time, so its age is unknown",
};

/** The check whose absence means "we know nothing": per cloud, the cluster-level pre-upgrade check. */
export const PRIMARY_CHECK_KIND: Readonly<Record<ReadinessSnapshot["cloud"], CheckKind>> = {
  cce: "cce-cluster-precheck",
  ack: "ack-cluster-check",
};

const HOW_TO_CHECK: Readonly<Record<ReadinessSnapshot["cloud"], string>> = {
  cce: "run a CCE pre-upgrade check (CreatePreCheck)",
  ack: "run an ACK cluster check (RunClusterCheck, type ClusterUpgrade)",
};

function howToCheck(snapshot: EvaluableSnapshot): string {
  return snapshot.nodePool === undefined
    ? HOW_TO_CHECK[snapshot.cloud]
    : `run an ACK node pool check (RunClusterCheck, type NodePoolUpgrade, target ${snapshot.nodePool.id})`;
}

const named = (what: string, id: string, name: string | undefined): string =>
  name === undefined ? `${what} ${id}` : `${what} ${name} (${id})`;

function clusterLabel(snapshot: EvaluableSnapshot): string {
  const cluster = named("cluster", snapshot.clusterId, snapshot.clusterName);
  const pool = snapshot.nodePool;
  return pool === undefined ? cluster : `${named("node pool", pool.id, pool.name)} of the ${cluster}`;
}

const SKEW_POLICY = "https://kubernetes.io/releases/version-skew-policy/#kubelet";

/** Why a node pool target breaks the version skew policy, and what to choose instead. */
function skewReason(problem: SkewProblem): string {
  const { controlPlane, pool } = problem;
  if (problem.kind === "newer")
    return (
      `Target ${pool} is newer than the control plane (${controlPlane}): a kubelet must not be newer than ` +
      `kube-apiserver (${SKEW_POLICY}). Upgrade the cluster's control plane first, or choose a pool version ` +
      `at or below ${controlPlane}.`
    );
  if (problem.kind === "too-old")
    return (
      `Target ${pool} is ${problem.behind} minor versions behind the control plane (${controlPlane}); a kubelet may ` +
      `lag kube-apiserver by at most ${problem.allowed} (${KUBELET_VERSION_SKEW.minorsBehind} from Kubernetes ` +
      `1.${KUBELET_VERSION_SKEW.sinceMinor}, ${KUBELET_VERSION_SKEW.minorsBehindBefore} before; ${SKEW_POLICY}). ` +
      `Choose a pool version closer to ${controlPlane}.`
    );
  return (
    `The version skew between the control plane (${controlPlane}) and target ${pool} cannot be judged: ` +
    `one of them is not a Kubernetes version upgrade-guard can read.`
  );
}

function checkLabel(check: CheckRef, ageMs: number): string {
  if (check.createdAt === UNKNOWN_CREATION_TIME)
    return `${check.kind} ${check.id} (${check.status}, creation time not sent by the cloud)`;
  return `${check.kind} ${check.id} (${check.status}, created ${check.createdAt}, ${formatDuration(ageMs)} old)`;
}

const IN_FLIGHT_LABEL: Readonly<Record<UpgradeInFlight["kind"], string>> = {
  "cce-upgrade-task": "CCE upgrade task",
  "cce-upgrade-workflow": "CCE upgrade workflow",
  "ack-upgrade-task": "ACK upgrade task",
  "cluster-state": "cluster",
};

const IN_FLIGHT_FIX: Readonly<Record<UpgradeInFlight["kind"], string>> = {
  "cce-upgrade-task": "wait for it to finish (or retry or roll it back in CCE)",
  "cce-upgrade-workflow":
    "finish it, or cancel it (UpgradeWorkFlowUpdate with status.phase Cancel) if it was abandoned",
  "ack-upgrade-task": "wait for it to finish (or cancel it with CancelTask)",
  "cluster-state": "wait until the cluster is no longer upgrading",
};

function describeInFlight(item: UpgradeInFlight): string {
  if (item.kind === "cluster-state")
    return `the cluster reports state ${item.status}, and no upgrade task of it could be named`;
  const target = item.targetVersion === undefined ? "" : `, to ${item.targetVersion}`;
  const started = item.startedAt === undefined ? "" : `, started ${item.startedAt}`;
  return `${IN_FLIGHT_LABEL[item.kind]} ${item.id} (${item.status}${target}${started})`;
}

function describeAffected(finding: Finding): string {
  const parts: string[] = [];
  const { nodes, nodePools, addons, deprecatedApis, configurations } = finding.affected;
  if (nodes?.length)
    parts.push(
      `nodes ${nodes.join(", ")}${nodePools?.length ? ` (node pools ${nodePools.join(", ")})` : ""}`,
    );
  if (addons?.length) parts.push(`add-ons ${addons.join(", ")}`);
  if (deprecatedApis?.length) parts.push(`deprecated APIs ${deprecatedApis.join(", ")}`);
  if (configurations?.length) {
    const fields = configurations.map((c) => c.field ?? c.sourceFile ?? c.package ?? "?");
    parts.push(`configuration ${fields.join(", ")}`);
  }
  return parts.length === 0 ? "" : ` Affected: ${parts.join("; ")}.`;
}

function describeFinding(finding: Finding): string {
  const level = [finding.vendorLevel ?? finding.severity, finding.vendorKind].filter(Boolean).join("/");
  const from = finding.checkId === undefined ? finding.source : `${finding.source} ${finding.checkId}`;
  const group = finding.group === undefined ? "" : ` in ${finding.group}`;
  const message = finding.message === undefined ? "" : `: ${finding.message}`;
  return `${finding.checkName} [${level}]${group} from ${from}${message}.${describeAffected(finding)}`;
}

function waiverHint(finding: Finding, clusterId: string): string {
  if (!finding.waivable)
    return " The vendor marks it must-fix, so it cannot be waived: fix it and run the check again.";
  return (
    ` Fix it and run the check again, or waive it with ` +
    `{ checkName: ${JSON.stringify(finding.checkName)}, clusterId: ${JSON.stringify(clusterId)}, reason, owner, expires }.`
  );
}

const PATH_SOURCE: Readonly<Record<UpgradePath["source"], string>> = {
  "cce-upgrade-info": "CCE ShowClusterUpgradeInfo",
  "ack-cluster-detail": "ACK next_version",
};

/** The offered targets left out because they are not readable versions, as a sentence ("" when none). */
function unreadableOffered(path: UpgradePath): string {
  const unreadable = path.unreadable ?? [];
  if (unreadable.length === 0) return "";
  return (
    ` The cloud also lists ${unreadable.join(", ")}, which ${unreadable.length === 1 ? "is not a version" : "are not versions"} ` +
    `upgrade-guard can read, so ${unreadable.length === 1 ? "it is" : "they are"} left out.`
  );
}

const VERSION_EXAMPLE: Readonly<Record<ReadinessSnapshot["cloud"], string>> = {
  cce: "v1.30 or v1.30.4-r0",
  ack: "1.32.1-aliyun.1",
};

/** Why a target that is not a readable version is refused, naming it and the valid targets. */
function unreadableTargetReason(
  cloud: ReadinessSnapshot["cloud"],
  current: string,
  target: string,
  path: UpgradePath,
): string {
  const listed = (path.unreadable ?? []).includes(target)
    ? ` The cloud lists it (${PATH_SOURCE[path.source]}), but upgrade-guard cannot judge it.`
    : "";
  const others = (path.unreadable ?? []).filter((other) => other !== target);
  const rest = unreadableOffered({ ...path, unreadable: others });
  const choose =
    path.offered.length === 0
      ? `The cloud offers no readable target from ${current} now; keep the cluster on ${current}.`
      : `Valid targets: ${path.offered.join(", ")}, from ${PATH_SOURCE[path.source]}. Choose one of them.`;
  return (
    `Target ${target} is not a Kubernetes version upgrade-guard can read (like ${VERSION_EXAMPLE[cloud]}), so it ` +
    `cannot tell whether it is a downgrade, skips a minor version, or is an upgrade the cloud offers.${listed}${rest} ${choose}`
  );
}

/** Why a target outside the cloud's offer is refused, naming the valid targets and the suggested one. */
function notOfferedReason(current: string, target: string, path: UpgradePath): string {
  const from = parseVersion(current);
  const to = parseVersion(target);
  const skipped =
    from !== undefined && to !== undefined && to.major === from.major && to.minor > from.minor + 1
      ? ` It skips minor version${to.minor - from.minor > 2 ? "s" : ""} ${from.major}.${from.minor + 1}` +
        `${to.minor - from.minor > 2 ? `-${from.major}.${to.minor - 1}` : ""}: Kubernetes upgrades go one minor at a time.`
      : "";
  const where = PATH_SOURCE[path.source];
  const unreadable = unreadableOffered(path);
  if (path.offered.length === 0)
    return (
      `Target ${target} is not an upgrade the cloud offers: it offers none from ${current} now (${where}).${skipped}${unreadable} ` +
      `Keep the cluster on ${current}, or check the vendor's version support for when one is offered.`
    );
  const suggested = path.suggested === undefined ? "" : ` (suggested: ${path.suggested})`;
  return (
    `Target ${target} is not an upgrade the cloud offers from ${current}.${skipped} ` +
    `Valid targets: ${path.offered.join(", ")}${suggested}, from ${where}. Choose one of them.${unreadable}`
  );
}

const DAY_MS = 86_400_000;

/** Whole days, the grain of the vendors' support dates. */
function days(ms: number): string {
  const count = Math.round(ms / DAY_MS);
  return count === 1 ? "1 day" : `${count} days`;
}

/** The end-of-support notice for the current version, if it is due (see `versionSupportSchema`). */
function supportNotice(
  facts: z.output<typeof evaluableSnapshotSchema>,
  now: number,
  noticeDays: number,
  cluster: string,
): string | undefined {
  const support = facts.versionSupport;
  if (support === undefined) return undefined;
  const version = `Kubernetes ${support.version} on the ${cluster}`;
  if (support.unreadable !== undefined)
    return (
      `Notice (does not block): the end of support of ${version} could not be read: ${support.unreadable}. ` +
      `The verdict does not depend on it.`
    );
  const end = support.endOfSupport === undefined ? undefined : parseTimestamp(support.endOfSupport);
  if (end === undefined) return undefined;
  const date = new Date(end).toISOString().slice(0, 10);
  const upgrade = facts.upgradePath?.suggested ?? facts.upgradePath?.offered.at(-1) ?? "a supported version";
  if (end <= now)
    return (
      `Notice (does not block): ${version} reached its end of support on ${date} ` +
      `(${days(now - end)} ago, ACK DescribeKubernetesVersionMetadata); ACK no longer supports it. ` +
      `Upgrade to ${upgrade} soon.`
    );
  if (end - now > noticeDays * DAY_MS) return undefined;
  return (
    `Notice (does not block): ${version} reaches its end of support on ${date}, in ${days(end - now)} ` +
    `(ACK DescribeKubernetesVersionMetadata). Plan the upgrade to ${upgrade} before then.`
  );
}

interface Condition {
  readonly verdict: Exclude<Verdict, "ready">;
  readonly blocks: boolean;
  /** The headline's "because", when the verdict's usual words would mislead (see STALE_BECAUSE). */
  readonly because?: string;
}

/** How the reasons are worded for their reader; not a decision input (it never changes a verdict). */
export interface EvaluateWording {
  /**
   * What to do once a problem is fixed, ending a "To fix" sentence: `preview again` (the default,
   * for Pulumi programs and policies); the CLI says `run upgrade-guard check again`.
   */
  readonly rerun?: string;
}

/**
 * Decides whether the upgrade described by `snapshot` may proceed. Throws `InputError` for a
 * malformed snapshot or options. See the module comment for the rules.
 */
export function evaluate(
  snapshot: EvaluableSnapshot,
  options: EvaluateOptions = {},
  { rerun = "preview again" }: EvaluateWording = {},
): Evaluation {
  const facts = parseArgs(evaluableSnapshotSchema, snapshot, "evaluate (snapshot)");
  const settings = parseArgs(evaluateOptionsSchema, options, "evaluate (options)");
  const now =
    (settings.now === undefined ? undefined : parseTimestamp(settings.now)) ??
    parseTimestamp(facts.observedAt);
  // observedAt passed the ISO check above, so only an out-of-range date can get here.
  if (now === undefined)
    throw new InputError("evaluate (snapshot)", [
      { path: "observedAt", message: "not a readable timestamp" },
    ]);

  const cluster = clusterLabel(facts);
  const route = `from ${facts.currentVersion} to ${facts.targetVersion}`;
  const reasons: string[] = [];
  const result = {
    blocking: [] as Finding[],
    warnings: [] as Finding[],
    waiversApplied: [] as WaiverApplied[],
    waiversRefused: [] as WaiverRefused[],
  };

  const notice = supportNotice(facts, now, settings.endOfSupportNoticeDays, cluster);
  const notices = notice === undefined ? [] : [notice];
  if (!isVersionChange(facts.currentVersion, facts.targetVersion)) {
    reasons.push(
      `The ${cluster} is already on ${facts.currentVersion}, which satisfies target ${facts.targetVersion}: ` +
        `no version change, so nothing needs checking.`,
      ...notices,
    );
    return { allowed: true, verdict: "ready", ...result, reasons, notices, targetRefused: false };
  }
  const conditions: Condition[] = [];
  const current = parseVersion(facts.currentVersion);
  const target = parseVersion(facts.targetVersion);
  const downgrade = current !== undefined && target !== undefined && compareVersions(target, current) < 0;
  if (downgrade) {
    // Its own reason: no check can make a downgrade possible.
    conditions.push({ verdict: "blocked", blocks: true });
    reasons.push(
      `Target ${facts.targetVersion} is older than the current ${facts.currentVersion}: neither cloud downgrades ` +
        `clusters. Choose a target at or above ${facts.currentVersion}.`,
    );
  }

  const path = facts.upgradePath;
  // Against the cloud's offer, a target that is not a readable version cannot be judged (downgrade,
  // skipped minor, offered?): it is refused with its own reason.
  const unreadableTarget = path !== undefined && target === undefined;
  if (path !== undefined && unreadableTarget) {
    conditions.push({ verdict: "blocked", blocks: true });
    reasons.push(unreadableTargetReason(facts.cloud, facts.currentVersion, facts.targetVersion, path));
  }
  // A downgrade already says why; "not offered" would only repeat it.
  const notOffered =
    path !== undefined &&
    !downgrade &&
    !unreadableTarget &&
    !path.offered.some((o) => targetMatches(facts.targetVersion, o));
  if (path !== undefined && notOffered) {
    // The cloud would refuse it, whatever the checks say.
    conditions.push({ verdict: "blocked", blocks: true });
    reasons.push(notOfferedReason(facts.currentVersion, facts.targetVersion, path));
  }

  // A node pool may not outrun the control plane, nor fall too far behind it, whatever the checks say.
  const skew =
    facts.nodePool === undefined || downgrade
      ? undefined
      : kubeletSkewProblem(facts.nodePool.controlPlaneVersion, facts.targetVersion);
  if (skew !== undefined) {
    conditions.push({ verdict: "blocked", blocks: true });
    reasons.push(skewReason(skew));
  }
  const targetRefused = downgrade || unreadableTarget || notOffered || skew !== undefined;
  // What to do about a check's own trouble: for a refused target no check can help, the target must change.
  const checkAgain = (again: string): string =>
    targetRefused ? "No check can make this target possible: choose a valid target first (above)." : again;

  // An upgrade already running is its own reason: no check result can make a second one safe.
  for (const item of facts.upgradesInFlight ?? []) {
    conditions.push({ verdict: "upgrading", blocks: true });
    reasons.push(
      `An upgrade is already in flight on the ${cluster}: ${describeInFlight(item)}. ` +
        `Another upgrade cannot start while it runs; ${IN_FLIGHT_FIX[item.kind]}, then ${rerun}.`,
    );
  }
  const relevant: CheckRef[] = [];
  const ignoredCheckIds = new Set<string>();
  for (const check of facts.checks) {
    if (check.targetVersion !== undefined && !targetMatches(facts.targetVersion, check.targetVersion)) {
      ignoredCheckIds.add(check.id);
      reasons.push(
        `Ignored ${check.kind} ${check.id}: it was made for ${check.targetVersion}, not ${facts.targetVersion}.`,
      );
    } else {
      relevant.push(check);
    }
  }
  for (const check of facts.setAside ?? [])
    reasons.push(`Ignored ${check.kind} ${check.id}: ${check.because}.`);
  const limits = { now, ...(settings.maxAgeMs === undefined ? {} : { maxAgeMs: settings.maxAgeMs }) };
  const freshness = new Map<CheckRef, Freshness>(
    relevant.map((check) => [check, checkFreshness(check, limits)]),
  );
  const age = (check: CheckRef): number => freshness.get(check)?.ageMs ?? Number.POSITIVE_INFINITY;

  // Missing primary check.
  const primaryKind = PRIMARY_CHECK_KIND[facts.cloud];
  if (!relevant.some((check) => check.kind === primaryKind)) {
    conditions.push({ verdict: "unknown", blocks: settings.missingCheckBlocks });
    reasons.push(
      `No ${primaryKind} for ${facts.targetVersion} was found for the ${cluster}, so its readiness to upgrade ${route} is unknown. ` +
        // A check for a refused target cannot fix anything: the target must change first.
        (targetRefused
          ? `To fix: choose a valid target first (above), then ${howToCheck(facts)} for that target and ${rerun}.`
          : `To fix: ${howToCheck(facts)} for ${facts.targetVersion} and ${rerun}.`) +
        (settings.missingCheckBlocks ? "" : " This does not block because missingCheckBlocks is false."),
    );
  }

  // Pending checks and findings.
  const relevantFindings = facts.findings.filter(
    (f) => f.checkId === undefined || !ignoredCheckIds.has(f.checkId),
  );
  const pendingChecks = relevant.filter((check) => check.state === "pending");
  const pendingFindings = relevantFindings.filter(
    (f) => f.state === "pending" && !pendingChecks.some((check) => check.id === f.checkId),
  );
  if (pendingChecks.length > 0 || pendingFindings.length > 0) {
    conditions.push({ verdict: "pending", blocks: settings.pendingBlocks });
    for (const check of pendingChecks) {
      reasons.push(
        `${checkLabel(check, age(check))} has not finished. ${checkAgain(`Wait for it and ${rerun}.`)}`,
      );
    }
    for (const finding of pendingFindings) {
      const from = finding.checkId === undefined ? finding.source : `${finding.source} ${finding.checkId}`;
      reasons.push(`Check item ${finding.checkName} from ${from} has no result yet.`);
    }
    if (!settings.pendingBlocks) reasons.push("Pending results do not block because pendingBlocks is false.");
  }

  // Stale finished checks.
  const finished = relevant.filter((check) => check.state !== "pending");
  for (const check of finished) {
    const fresh = freshness.get(check);
    if (fresh === undefined || fresh.fresh) continue;
    const because = STALE_BECAUSE[fresh.staleBecause ?? "too-old"];
    conditions.push({ verdict: "stale", blocks: true, because });
    const why =
      fresh.staleBecause === "expired"
        ? `its result expired at ${check.expiresAt ?? "?"}`
        : fresh.staleBecause === "in-future"
          ? `its creation time ${check.createdAt} is in the future; check the clocks of this machine and the cloud`
          : fresh.staleBecause === "undated"
            ? "the cloud sent no creation time for it, so its age is unknown and it may be older than other checks"
            : `it is older than the maximum age of ${formatDuration(fresh.maxAgeMs ?? 0)}`;
    // A new check cannot help here: an undated one may be the newest, so it is chosen while listed.
    const fix =
      fresh.staleBecause === "undated"
        ? "A new check does not replace it while the cloud lists it without a creation time (it may be " +
          "the newest); both clouds date every check, so report the check id to the cloud's support, and " +
          "run the check again once the cloud dates it or no longer lists it."
        : "Run the check again.";
    reasons.push(`${checkLabel(check, fresh.ageMs)} is stale: ${why}. ${checkAgain(fix)}`);
  }

  // Checks that produced no usable result.
  for (const check of finished) {
    const said = check.message === undefined ? "" : `: ${check.message}`;
    if (check.state === "error") {
      conditions.push({ verdict: "blocked", blocks: true });
      reasons.push(
        `${checkLabel(check, age(check))} ended in error without a result${said}. ${checkAgain("Run it again.")}`,
      );
    } else if (check.state === "failed") {
      const present = relevantFindings.filter((f) => f.checkId === check.id && f.state === "present");
      // An info item is for the record: it cannot be why a check failed, so the real cause is unread.
      if (present.some((f) => EXPLAINS_FAILURE.has(f.severity))) continue;
      conditions.push({ verdict: "blocked", blocks: true });
      const infoOnly =
        present.length === 0
          ? ""
          : ` (its only readable items are informational: ${present.map((f) => f.checkName).join(", ")})`;
      reasons.push(
        `${checkLabel(check, age(check))} failed but reported no problem upgrade-guard could read${said}${infoOnly}. ` +
          checkAgain(
            "Inspect it in the console, fix what made it fail and run it again; this blocks until a check passes or names its problem.",
          ),
      );
    }
  }

  // Present findings, then waivers.
  const blockingSeverities = new Set(settings.blockingSeverities);
  const refusedKeys = new Set<string>();
  const refuse = (waiver: Waiver, reason: string): void => {
    const key = `${JSON.stringify(waiver)}|${reason}`;
    if (refusedKeys.has(key)) return;
    refusedKeys.add(key);
    result.waiversRefused.push({ waiver, reason });
    reasons.push(`Waiver for ${waiver.checkName} by ${waiver.owner} was not applied: ${reason}.`);
  };
  for (const finding of relevantFindings) {
    if (finding.state !== "present") continue;
    if (!blockingSeverities.has(finding.severity)) {
      if (finding.severity !== "info") {
        result.warnings.push(finding);
        reasons.push(`Warning (does not block): ${describeFinding(finding)}`);
      }
      continue;
    }
    let applied: Waiver | undefined;
    for (const waiver of settings.waivers) {
      if (waiver.checkName !== finding.checkName) continue;
      const expires = parseTimestamp(waiver.expires) ?? Number.NEGATIVE_INFINITY;
      if (waiver.clusterId !== facts.clusterId)
        refuse(waiver, `it is for cluster ${waiver.clusterId}, not ${facts.clusterId}`);
      else if (now >= expires) refuse(waiver, `it expired at ${waiver.expires}; renew it or fix the finding`);
      else if (!finding.waivable)
        refuse(
          waiver,
          `${finding.checkName} [${finding.vendorLevel ?? finding.severity}] is not waivable; the vendor says it must be fixed`,
        );
      else applied ??= waiver;
    }
    if (applied !== undefined) {
      result.waiversApplied.push({ waiver: applied, finding });
      reasons.push(
        `Waived by ${applied.owner} until ${applied.expires} (${applied.reason}): ${describeFinding(finding)}`,
      );
    } else {
      result.blocking.push(finding);
      reasons.push(`Blocking: ${describeFinding(finding)}${waiverHint(finding, facts.clusterId)}`);
    }
  }
  if (result.blocking.length > 0) conditions.push({ verdict: "blocked", blocks: true });

  const decisive = conditions.find((c) => c.blocks) ?? conditions[0];
  const allowed = !conditions.some((c) => c.blocks);
  const verdict: Verdict = decisive?.verdict ?? "ready";
  const checked = relevant
    .filter((check) => check.kind === primaryKind)
    .map((check) => checkLabel(check, age(check)));
  const summary = allowed
    ? `The upgrade of the ${cluster} ${route} may proceed (verdict ${verdict})` +
      (checked.length > 0 ? `: ${checked.join(", ")} found nothing that blocks.` : ".")
    : `The upgrade of the ${cluster} ${route} may not proceed: ${decisive?.because ?? NOT_ALLOWED_BECAUSE[verdict]} (verdict ${verdict})` +
      (checked.length > 0 ? `; checked by ${checked.join(", ")}.` : ".");
  reasons.unshift(summary);
  reasons.push(...notices);
  return { allowed, verdict, ...result, reasons, notices, targetRefused };
}
