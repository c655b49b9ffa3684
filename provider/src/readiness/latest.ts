/**
 * Which check counts, and for how long.
 *
 * "Latest check" for (cluster, target version): among the checks whose target matches the requested
 * target (`targetMatches`: `v1.30` and `v1.30.4-r0` match each other), the one created last. The
 * clouds do not order their lists (docs/cce.md#latest-precheck), so we sort by creation time ourselves; ties keep
 * list order. A matching check whose creation time is missing or unreadable is chosen over every dated
 * one: it may be the newest, so passing it over for an older check could hide its result. Its age is
 * unknown, so it is never fresh (the builders date it `UNKNOWN_CREATION_TIME`) and the verdict blocks.
 *
 * Freshness:
 * - a check without a readable creation time (`UNKNOWN_CREATION_TIME`) is never fresh: its age is unknown;
 * - when the vendor says when a result expires (CCE `expireTimeStamp` on prechecks and terminal
 *   add-on checks), that wins: fresh until then;
 * - otherwise a check is fresh for `maxAgeMs` after it was CREATED (default 1 h, the validity CCE
 *   gives its own prechecks in the only example we have, docs/cce.md#cluster-precheck; ACK states none). We count
 *   from creation rather than completion because the results describe the cluster as it was when
 *   the check looked, which is at or after creation;
 * - an explicit `maxAgeMs` also applies on top of a vendor expiry (an owner may be stricter than the
 *   vendor, never laxer).
 */
import { z } from "zod";
import { parseTimestamp } from "../internal/timestamps";
import { aFunction, parseArgs } from "../internal/validate";
import { targetMatches } from "../internal/versions";
import { type CheckRef, UNKNOWN_CREATION_TIME } from "./model";

/** How long a check without a vendor expiry stays usable. */
export const DEFAULT_MAX_CHECK_AGE_MS = 60 * 60 * 1000;

/**
 * The largest maximum check age any setting accepts (30 days): `evaluate`'s `maxAgeMs`, the
 * `maxAgeMinutes` of `getUpgradeReadiness` and of the policy pack, and the CLI's `--policy` file are
 * all bounded by this one figure, so a value one of them takes is never refused by another.
 */
export const MAX_CHECK_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * How far in the future a creation time may be and still count as "just made": the cloud's clock and
 * this machine's may differ a little. Beyond it the time is not believable (a wrong clock, or a time
 * in another unit), so the check is not fresh and never the latest over one with a believable time.
 */
export const MAX_CLOCK_SKEW_MS = 60_000;

export interface FreshnessOptions {
  /** Epoch milliseconds. */
  readonly now: number;
  /** Explicit maximum age; when absent, vendor expiry or `DEFAULT_MAX_CHECK_AGE_MS` applies. */
  readonly maxAgeMs?: number;
}

export interface Freshness {
  readonly fresh: boolean;
  /** Milliseconds since the check was created (0 when the clock says it is in the future). */
  readonly ageMs: number;
  /**
   * Why it is not fresh: past the vendor expiry, older than the maximum age, created more than
   * `MAX_CLOCK_SKEW_MS` after `now` (look at the clocks), or of unknown age (the cloud sent no
   * readable creation time).
   */
  readonly staleBecause?: "expired" | "too-old" | "in-future" | "undated";
  /** The maximum age that was applied, when one was. */
  readonly maxAgeMs?: number;
}

// A NaN `now` or `maxAgeMs` would make every comparison false, i.e. every check fresh: refuse it.
const instant = z.number().refine(Number.isFinite, "must be a finite number of epoch milliseconds");
const maxAgeArg = z.number().nonnegative().refine(Number.isFinite, "must be finite").optional();
const freshnessArgs = z.object({
  check: z.looseObject({ createdAt: z.string(), expiresAt: z.string().optional() }),
  options: z.looseObject({
    now: instant,
    maxAgeMs: maxAgeArg,
  }),
});
const expiresAtArgs = z.object({ check: freshnessArgs.shape.check, maxAgeMs: maxAgeArg });
const latestArgs = z.object({
  items: z.array(z.unknown()),
  options: z.looseObject({
    targetVersion: z.string(),
    createdAt: aFunction,
    targetOf: aFunction,
    acceptUnknownTarget: z.boolean().optional(),
    unknownTargetCreatedAfter: z.number().optional(),
    now: instant.optional(),
  }),
});
const perKeyArgs = z.object({
  items: z.array(z.unknown()),
  keyOf: aFunction,
  createdAt: aFunction,
});

type CheckTimes = Pick<CheckRef, "createdAt" | "expiresAt">;

/** The two limits the module comment describes: the vendor expiry, and the maximum age that applies. */
function limitsOf(check: CheckTimes, maxAgeMs: number | undefined) {
  const created = parseTimestamp(check.createdAt);
  const expires = check.expiresAt === undefined ? undefined : parseTimestamp(check.expiresAt);
  return {
    created,
    expires,
    maxAgeMs: maxAgeMs ?? (expires === undefined ? DEFAULT_MAX_CHECK_AGE_MS : undefined),
  };
}

/** Is `check` still usable at `now`? See the module comment for the rules. */
export function checkFreshness(
  check: Pick<CheckRef, "createdAt" | "expiresAt">,
  options: FreshnessOptions,
): Freshness {
  parseArgs(freshnessArgs, { check, options }, "checkFreshness");
  const { created, expires, maxAgeMs } = limitsOf(check, options.maxAgeMs);
  const ageMs = created === undefined ? Number.POSITIVE_INFINITY : Math.max(0, options.now - created);
  const limit = maxAgeMs === undefined ? {} : { maxAgeMs };
  // Without a creation time the age is unknown: not even a vendor expiry says the result is current
  // (it may be an old check chosen over newer ones, see selectLatestCheck).
  if (created === undefined || check.createdAt === UNKNOWN_CREATION_TIME)
    return { fresh: false, ageMs: Number.POSITIVE_INFINITY, staleBecause: "undated", ...limit };
  // A time too far ahead cannot be aged: counting it as age 0 would keep it fresh indefinitely.
  if (created !== undefined && created - options.now > MAX_CLOCK_SKEW_MS)
    return { fresh: false, ageMs, staleBecause: "in-future", ...limit };
  if (expires !== undefined && options.now >= expires)
    return { fresh: false, ageMs, staleBecause: "expired", ...limit };
  if (maxAgeMs !== undefined && ageMs > maxAgeMs)
    return { fresh: false, ageMs, staleBecause: "too-old", ...limit };
  return { fresh: true, ageMs, ...limit };
}

/**
 * When `check` stops counting, in epoch milliseconds: its vendor expiry or its creation plus the
 * maximum age (`maxAgeMs`, else the default when the vendor states no expiry), whichever comes
 * first; `undefined` when neither can be read. The rule of `checkFreshness`, as an instant, for
 * whoever shows it (the readiness summary's `expiresAt`, the freshness policy's warning).
 */
export function checkExpiresAt(
  check: Pick<CheckRef, "createdAt" | "expiresAt">,
  maxAgeMs?: number,
): number | undefined {
  parseArgs(expiresAtArgs, { check, maxAgeMs }, "checkExpiresAt");
  const { created, expires, maxAgeMs: age } = limitsOf(check, maxAgeMs);
  const byAge = created === undefined || age === undefined ? undefined : created + age;
  if (expires === undefined || byAge === undefined) return expires ?? byAge;
  return Math.min(expires, byAge);
}

export interface LatestCheckOptions<T> {
  /** The target version the upgrade asks for. */
  readonly targetVersion: string;
  /** The item's creation time (any format `parseTimestamp` reads; ISO after normalization). */
  readonly createdAt: (item: T) => string | undefined;
  /** The target version the item was made for; `undefined` when the API does not say (ACK lists). */
  readonly targetOf: (item: T) => string | undefined;
  /**
   * Whether an item whose target is unknown may be chosen. Default false: a check for an unknown
   * target could be for another version. Pass true only when the caller knows the check type can
   * only target the requested version (e.g. ACK `ClusterUpgrade` checks when the requested target
   * is the cluster's `next_version`).
   */
  readonly acceptUnknownTarget?: boolean;
  /**
   * With `acceptUnknownTarget`: an item whose target is unknown counts only when created after this
   * instant (epoch ms). ACK's next version moves on with every upgrade, so a check without a recorded
   * target made before the cluster's last upgrade was for the version the cluster then went to.
   */
  readonly unknownTargetCreatedAfter?: number;
  /**
   * The clock (epoch ms) that decides which creation times are believable; default `Date.now()`. An
   * item created more than `MAX_CLOCK_SKEW_MS` after it is chosen only when no other item matches.
   */
  readonly now?: number;
}

/** The newest item whose target matches, or `undefined` when none does. */
export function selectLatestCheck<T>(items: readonly T[], options: LatestCheckOptions<T>): T | undefined {
  parseArgs(latestArgs, { items, options }, "selectLatestCheck");
  const believableUntil = (options.now ?? Date.now()) + MAX_CLOCK_SKEW_MS;
  // An undated item ranks first (it may be the newest), then believable times above times in the
  // future, then newest first; ties keep list order.
  let best: { item: T; rank: number; created: number } | undefined;
  for (const item of items) {
    const target = options.targetOf(item);
    const createdText = options.createdAt(item);
    const created = createdText === undefined ? undefined : parseTimestamp(createdText);
    // An undated item with no recorded target may postdate unknownTargetCreatedAfter: it counts.
    const matches =
      target === undefined
        ? options.acceptUnknownTarget === true &&
          (created === undefined || created > (options.unknownTargetCreatedAfter ?? -Infinity))
        : targetMatches(options.targetVersion, target);
    if (!matches) continue;
    if (created === undefined) {
      if (best === undefined || best.rank < 2) best = { item, rank: 2, created: Number.NaN };
      continue;
    }
    const rank = created <= believableUntil ? 1 : 0;
    if (best === undefined || rank > best.rank || (rank === best.rank && created > best.created))
      best = { item, rank, created };
  }
  return best?.item;
}

/** The newest item per key (e.g. one add-on check per add-on instance). Output keeps first-seen key order. */
export function selectLatestPerKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  createdAt: (item: T) => string | undefined,
): T[] {
  parseArgs(perKeyArgs, { items, keyOf, createdAt }, "selectLatestPerKey");
  const newest = new Map<string, { item: T; created: number }>();
  for (const item of items) {
    const createdText = createdAt(item);
    const created =
      (createdText === undefined ? undefined : parseTimestamp(createdText)) ?? Number.NEGATIVE_INFINITY;
    const key = keyOf(item);
    const current = newest.get(key);
    if (current === undefined || created > current.created) newest.set(key, { item, created });
  }
  return [...newest.values()].map((entry) => entry.item);
}
