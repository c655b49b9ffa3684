/**
 * Kubernetes version strings as the two clouds write them, and the three questions upgrade-guard asks
 * of them: is this a version change, does a check made for one target serve another, how do two
 * versions order.
 *
 * Shapes seen on the wire (docs/wire-formats.md#version-strings):
 * - CCE patch versions with a platform revision: `v1.28.3-r0`, `v1.19.16-r80`
 * - CCE minor-only versions: `v1.29` (a target meaning "the latest patch of 1.29", and the cluster
 *   version of newer clusters as ShowCluster reports it)
 * - ACK versions with a vendor suffix: `1.32.1-aliyun.1`
 * The leading `v` is optional everywhere and never significant.
 *
 * A version is read as a set of components from most to least significant: major, minor, patch,
 * suffix (`r0`, `aliyun.1`). A version that omits trailing components names a RANGE: `v1.30` is
 * "any 1.30.x", `v1.30.4` is "any 1.30.4-*". The decisions below follow from that reading:
 *
 * - `isVersionChange(current, target)`: false when the target range contains the current version
 *   (every component the target names equals the current one). `v1.30` against a cluster on
 *   `v1.30.4-r0` is NOT a change: the program asks for "1.30" and the cluster is on 1.30. The other
 *   way round (`v1.30.4-r0` asked, cluster reports only `v1.30`) IS a change: we cannot prove the
 *   cluster is already on that patch, and for a guard an unproven "same" must not let an upgrade
 *   slip through unchecked.
 * - `targetMatches(requested, checked)`: true when the two ranges overlap (every component BOTH name
 *   is equal). A precheck made for `v1.30` serves `v1.30` and `v1.30.4-r0`; a precheck made for
 *   `v1.30.4-r0` also serves a requested `v1.30`, because CCE resolves a minor target to its latest
 *   patch and records that patch on the task, so a check we started for `v1.30` comes back
 *   labelled `v1.30.4-r0`. Upgrade risks (deprecated APIs, add-on compatibility) are decided by the
 *   minor, so this slack is accepted; two different patches (`v1.30.4-r0` vs `v1.30.5-r0`) do not
 *   match.
 * - `compareVersions` is a total order for sorting: a missing component sorts before any value of
 *   it (`v1.30` < `v1.30.0` < `v1.30.0-r0`), suffix revisions compare numerically (`r9` < `r80`).
 */
import { InputError } from "../errors";

export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch?: number;
  /** The number in the vendor suffix: 80 for `-r80`, 1 for `-aliyun.1`. */
  readonly revision?: number;
  /** The vendor suffix verbatim, without the dash: `r80`, `aliyun.1`. */
  readonly vendorSuffix?: string;
  /** The input as given (trimmed). */
  readonly raw: string;
}

// v? MAJOR . MINOR [. PATCH [- SUFFIX]]; a suffix on a minor-only version is not a shape any cloud uses.
const VERSION = /^[vV]?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4})(?:-([A-Za-z0-9][A-Za-z0-9.]*))?)?$/;
// The trailing number of a suffix: `r80` -> 80, `aliyun.1` -> 1.
const SUFFIX_REVISION = /(\d+)$/;

/** Parses a CCE or ACK version string, or returns `undefined` when it is not one. */
export function parseVersion(text: string): KubernetesVersion | undefined {
  // Called from plain JavaScript and policy inputs too: anything but a string is "not a version".
  if (typeof text !== "string") return undefined;
  const raw = text.trim();
  const match = VERSION.exec(raw);
  if (!match) return undefined;
  const [, major, minor, patch, suffix] = match;
  const revision = suffix === undefined ? undefined : SUFFIX_REVISION.exec(suffix)?.[1];
  return {
    major: Number(major),
    minor: Number(minor),
    ...(patch === undefined ? {} : { patch: Number(patch) }),
    ...(suffix === undefined ? {} : { vendorSuffix: suffix }),
    ...(revision === undefined ? {} : { revision: Number(revision) }),
    raw,
  };
}

/** A version string or an already parsed version. */
export type VersionLike = string | KubernetesVersion;

function isParsed(value: unknown): value is KubernetesVersion {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as KubernetesVersion).major === "number" &&
    typeof (value as KubernetesVersion).minor === "number" &&
    typeof (value as KubernetesVersion).raw === "string"
  );
}

function toVersion(value: VersionLike): KubernetesVersion | undefined {
  if (typeof value === "string") return parseVersion(value);
  return isParsed(value) ? value : undefined;
}

function rawOf(value: VersionLike): string {
  return typeof value === "string" ? value : isParsed(value) ? value.raw : String(value);
}

function requireVersion(value: VersionLike, where: string, path: string): KubernetesVersion {
  const version = toVersion(value);
  if (version === undefined) {
    throw new InputError(where, [
      {
        path,
        message: `${JSON.stringify(value) ?? String(value)} is not a version like v1.28.3-r0, v1.29 or 1.32.1-aliyun.1`,
      },
    ]);
  }
  return version;
}

/** The label of a suffix without its revision number: `r` for `r80`, `aliyun.` for `aliyun.1`. */
function suffixLabel(version: KubernetesVersion): string | undefined {
  return version.vendorSuffix?.replace(SUFFIX_REVISION, "").toLowerCase();
}

/** The suffix as one comparable unit (`r80` and `r080` are the same revision); absent when none. */
function suffixKey(version: KubernetesVersion): string | undefined {
  if (version.vendorSuffix === undefined) return undefined;
  return `${suffixLabel(version) ?? ""}#${version.revision ?? ""}`;
}

/** The components a version names, most significant first; a missing one is `undefined`. */
function components(version: KubernetesVersion): ReadonlyArray<number | string | undefined> {
  return [version.major, version.minor, version.patch, suffixKey(version)];
}

function compareNumbers(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

function compareSuffixes(a: KubernetesVersion, b: KubernetesVersion): number {
  if (a.vendorSuffix === undefined) return b.vendorSuffix === undefined ? 0 : -1;
  if (b.vendorSuffix === undefined) return 1;
  const labelA = suffixLabel(a) ?? "";
  const labelB = suffixLabel(b) ?? "";
  if (labelA !== labelB) return labelA < labelB ? -1 : 1;
  return compareNumbers(a.revision, b.revision);
}

/**
 * Orders two versions: negative when `a` is older, 0 when they name the same version (ignoring `v`),
 * positive when `a` is newer. Throws `InputError` for a string that is not a version.
 */
export function compareVersions(a: VersionLike, b: VersionLike): number {
  const left = requireVersion(a, "compareVersions", "a");
  const right = requireVersion(b, "compareVersions", "b");
  return (
    compareNumbers(left.major, right.major) ||
    compareNumbers(left.minor, right.minor) ||
    compareNumbers(left.patch, right.patch) ||
    compareSuffixes(left, right)
  );
}

/** True when the two ranges overlap: every component both versions name is equal. */
function overlaps(a: KubernetesVersion, b: KubernetesVersion): boolean {
  const right = components(b);
  return components(a).every(
    (value, i) => value === undefined || right[i] === undefined || value === right[i],
  );
}

/** True when the range `range` names contains `version` (every component `range` names is equal). */
function rangeContains(range: KubernetesVersion, version: KubernetesVersion): boolean {
  const inner = components(version);
  return components(range).every((value, i) => value === undefined || value === inner[i]);
}

/** Compares unparseable strings the only way left: exactly, ignoring case, spaces and a leading `v`. */
function sameText(a: string, b: string): boolean {
  const clean = (s: string): string => s.trim().toLowerCase().replace(/^v/, "");
  return clean(a) === clean(b);
}

/**
 * True when moving a cluster on `current` to `target` changes its version. A target that names
 * fewer components and agrees with the current version is not a change (`v1.30` on `v1.30.4-r0`).
 * Unparseable strings are a change unless they are the same text: a guard must not assume "same".
 */
export function isVersionChange(current: VersionLike, target: VersionLike): boolean {
  const from = toVersion(current);
  const to = toVersion(target);
  if (from === undefined || to === undefined) {
    return !sameText(rawOf(current), rawOf(target));
  }
  return !rangeContains(to, from);
}

/**
 * True when a check made for target `checked` serves an upgrade to `requested`: the two agree on
 * every component both name (`v1.30` and `v1.30.4-r0` match, `v1.30.4-r0` and `v1.30.5-r0` do not).
 * Unparseable strings match only the same text.
 */
export function targetMatches(requested: VersionLike, checked: VersionLike): boolean {
  const want = toVersion(requested);
  const have = toVersion(checked);
  if (want === undefined || have === undefined) {
    return sameText(rawOf(requested), rawOf(checked));
  }
  return overlaps(want, have);
}

/** True when both are versions of the same major.minor. False when either is not a version. */
export function sameMinor(a: VersionLike, b: VersionLike): boolean {
  const left = toVersion(a);
  const right = toVersion(b);
  return (
    left !== undefined && right !== undefined && left.major === right.major && left.minor === right.minor
  );
}

/** `major.minor` of a version, e.g. `1.30` for `v1.30.4-r0`; `undefined` when it is not one. */
export function minorOf(value: VersionLike): string | undefined {
  const version = toVersion(value);
  return version === undefined ? undefined : `${version.major}.${version.minor}`;
}
