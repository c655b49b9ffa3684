/**
 * Duplicate-avoiding recovery for task-creating POSTs, the same for every `create` row of both
 * clouds (see `operations.ts`). When a create fails in a way that leaves it unknown whether the
 * server acted on it (`TransportError` with `ambiguous: true`, or a 5xx answer that does not say the
 * request was refused, see `answeredAmbiguously`), resending could start a second
 * precheck or, worse, a second upgrade. Instead the row's `recovery` looks among the cluster's tasks
 * for one it may just have created (see `Recovery`) and returns it with `recovered: true`, or
 * rethrows the ORIGINAL error. The POST is never sent again.
 */
import { type ApiError, type TransportError, UpgradeGuardError } from "../../errors";
import { NOT_PROCESSED_STATUSES, UNAVAILABLE_CODES } from "../../transport/classify";
import { parseTimestamp } from "../../internal/timestamps";
import { type CallOptions } from "./arg-schemas";

/**
 * How much earlier than our own clock a recovered task's creation time may be. Covers the skew
 * between this machine and the cloud; kept small so an older task for the same target is not
 * mistaken for the one just created.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/** Present (and `true`) only on a result found by recovery instead of read from the POST's answer. */
export interface RecoveryMark {
  /** `true` when the create's answer was lost and this result was found by listing the cluster's tasks. */
  readonly recovered?: true;
}

export type MaybeRecovered<T> = T & RecoveryMark;

/**
 * How a create row finds, after an ambiguous failure, what it may have created. Candidates are the
 * listed items created no earlier than the call's start minus `CLOCK_SKEW_ALLOWANCE_MS`, tried
 * newest first; each target takes the first candidate that `match` accepts.
 */
export interface Recovery<Args, Result, Target, Item, Found> {
  /** What the create starts: `[args]` for one task, one target per add-on for a batch. Each must be found. */
  readonly targets: (args: Args) => readonly Target[];
  /** The cluster's tasks of that kind, read with a list row of the same client (`run`). */
  readonly list: (run: RunRow, args: Args, options: CallOptions | undefined) => Promise<readonly Item[]>;
  readonly createdAt: (item: Item) => string | undefined;
  /** The candidate (or what the result is built from) when it is what `target` asked for, else `undefined`. */
  readonly match: (
    item: Item,
    target: Target,
    run: RunRow,
    options: CallOptions | undefined,
  ) => Found | undefined | Promise<Found | undefined>;
  /** The create's result, from what was found for each target (in target order). */
  readonly toResult: (found: readonly [Found, ...Found[]], args: Args) => Result;
}

/**
 * Runs another row of the same client as its method would (same transport, limits and signing), e.g.
 * `run(listPreCheckTasks, { clusterId })`: a recovery names the row itself, not the client's type,
 * which is derived from the table the recovery is part of.
 */
export type RunRow = <In, Out>(
  row: { run(call: never, args: In, options?: CallOptions): Promise<Out> },
  args: In,
  options?: CallOptions,
) => Promise<Out>;

/** What a recovery reads with: the parsed arguments, the row runner, the caller's call options. */
interface Lookup<Args> {
  readonly args: Args;
  readonly run: RunRow;
  readonly options: CallOptions | undefined;
}

async function findCreated<Args, Result, Target, Item, Found>(
  recovery: Recovery<Args, Result, Target, Item, Found>,
  { args, run, options }: Lookup<Args>,
  startedAtMs: number,
): Promise<Result | undefined> {
  // Any supported format; no or no readable creation time is never a candidate.
  const createdMs = (item: Item) => parseTimestamp(recovery.createdAt(item) ?? "") ?? -Infinity;
  // A stable sort: of two tasks created at the same instant, the one listed first wins.
  const candidates = (await recovery.list(run, args, options))
    .filter((item) => createdMs(item) >= startedAtMs - CLOCK_SKEW_ALLOWANCE_MS)
    .sort((a, b) => createdMs(b) - createdMs(a));
  const found: Found[] = [];
  for (const target of recovery.targets(args)) {
    let match: Found | undefined;
    for (const candidate of candidates) {
      match = await recovery.match(candidate, target, run, options);
      if (match !== undefined) break;
    }
    // Every target must be accounted for; a partial batch is not a recovery.
    if (match === undefined) return undefined;
    found.push(match);
  }
  return found.length > 0 ? recovery.toResult(found as [Found, ...Found[]], args) : undefined;
}

/**
 * A 5xx answer after which the task may exist: a gateway's 502/504 (Huawei `APIGW.0202` "backend
 * timeout") or a 500 comes after the request reached the service, which may have created the task
 * before failing or before its answer was lost. Not a 503 or `ServiceUnavailable` (refused before
 * processing, the transport's `classify.ts` tables), nor a vendor code that files the answer under
 * another category than `server` (throttled, invalid, auth, ...): those say the request was refused.
 */
function answeredAmbiguously(error: UpgradeGuardError): boolean {
  const { httpStatus, vendorCode, category } = error as Partial<ApiError>;
  return (
    typeof httpStatus === "number" &&
    httpStatus >= 500 &&
    httpStatus <= 599 &&
    !NOT_PROCESSED_STATUSES.has(httpStatus) &&
    category === "server" &&
    (vendorCode === undefined || !UNAVAILABLE_CODES.has(vendorCode))
  );
}

function isAmbiguousFailure(error: unknown): boolean {
  // The brand, not instanceof: two copies of the errors module may be loaded (see errors.ts).
  if (!UpgradeGuardError.isInstance(error)) return false;
  // An abort is the caller's decision to stop; it must not trigger more calls.
  if (error.code === "ABORTED") return false;
  return (error as Partial<TransportError>).ambiguous === true || answeredAmbiguously(error);
}

/**
 * Runs `create`; after an ambiguous failure looks for what it may have created with `recovery` and
 * returns that marked `recovered: true`, or rethrows the original failure when nothing is found or
 * the lookup fails itself.
 */
export async function createWithRecovery<Args, Result extends object, Target, Item, Found>(
  now: () => number,
  create: () => Promise<Result>,
  recovery: Recovery<Args, Result, Target, Item, Found>,
  lookup: Lookup<Args>,
): Promise<MaybeRecovered<Result>> {
  const startedAtMs = now();
  try {
    return await create();
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    let found: Result | undefined;
    try {
      found = await findCreated(recovery, lookup, startedAtMs);
    } catch {
      // The lookup failing says nothing about the create; the create's own error is the one to report.
      throw error;
    }
    if (found === undefined) throw error;
    return { ...found, recovered: true as const };
  }
}
