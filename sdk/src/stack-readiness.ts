/**
 * `readinessFromStack`: the readiness another stack exported (examples/readiness's `readiness`
 * output), read through a `StackReference` and split into entries a consumer may act on and entries
 * it must not, each of those with the reason. See the function's comment for the exact checks.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as Provider from "@upgrade-guard/provider";
// The types by the names the SDK already exports them under (index.ts).
import { type Verdict, type WorstSeverity } from "@upgrade-guard/provider/impl";
import { type ReadinessSummary } from "./readiness";
import type * as Zod from "zod";

/** One cluster's entry in a producer stack's readiness output (what examples/readiness exports). */
export interface StackReadinessEntry {
  /** `cce` (Huawei Cloud) or `ack` (Alibaba Cloud). */
  readonly cloud: "cce" | "ack";
  /** The cluster the producer read. */
  readonly clusterId: string;
  /** The cluster's version when the producer read it. */
  readonly currentVersion: string;
  /** The version the producer judged the upgrade to. */
  readonly targetVersion: string;
  /** Whether the producer's evaluation let the upgrade proceed. */
  readonly allowed: boolean;
  /** The producer's verdict (see the README's Verdicts). */
  readonly verdict: Verdict;
  /** The worst present severity the producer saw. */
  readonly worstSeverity: WorstSeverity;
  /** The producer's explanation, one sentence each. */
  readonly reasons: readonly string[];
  /** What the upgrade resources take as their `readiness` input. */
  readonly summary: ReadinessSummary;
}

/** What {@link readinessFromStack} resolves to. */
export interface AcceptedReadiness {
  /** Entries that passed every check, by the producer's cluster name. Accepted is not allowed: read `allowed`. */
  readonly accepted: Record<string, StackReadinessEntry>;
  /** Entries that failed a check, by cluster name: every problem found, `; `-separated. */
  readonly refused: Record<string, string>;
}

/** Options of {@link readinessFromStack}. */
export interface ReadinessFromStackOptions {
  /** The producer's stack output that holds the entries; default `readiness`. */
  readonly output?: string;
  /**
   * How old (from its `observedAt`) a summary may be, in milliseconds; default
   * `DEFAULT_MAX_CHECK_AGE_MS` of the provider (1 h), the age a check without a vendor expiry counts.
   */
  readonly maxAgeMs?: number;
  /** The clock, epoch milliseconds; default `Date.now`. Read once per resolution. */
  readonly now?: () => number;
}

/**
 * How far in the future an `observedAt` may lie (clock skew between the producer's machine and
 * this one). Beyond it the summary claims an observation that has not happened yet: a forged or
 * broken clock that would otherwise keep the entry fresh for ever.
 */
const FUTURE_TOLERANCE_MS = 60_000;

/** `sha256:` and 64 lower-case hex digits, as `snapshotDigest` writes it. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Verdicts that always block (see `evaluate`): `allowed` must be false with them. */
const ALWAYS_BLOCKING: ReadonlySet<Verdict> = new Set(["blocked", "stale", "upgrading"]);

/**
 * The provider and the schemas, built at the first call: zod and the provider load only when a
 * program reads another stack's readiness, not with `require("@upgrade-guard/sdk")`.
 */
function buildSchemas() {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded at first use, see above */
  const provider = require("@upgrade-guard/provider") as typeof Provider;
  const { z } = require("zod") as typeof Zod;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { cloudSchema, verdictSchema, worstSeveritySchema } = provider;
  const entry = z.object({
    cloud: cloudSchema,
    clusterId: z.string().min(1),
    currentVersion: z.string().min(1),
    targetVersion: z.string().min(1),
    allowed: z.boolean(),
    verdict: verdictSchema,
    worstSeverity: worstSeveritySchema,
    reasons: z.array(z.string()),
    summary: z.unknown().optional(),
  });

  const options = z.strictObject({
    output: z.string().min(1).optional(),
    maxAgeMs: z.number().nonnegative().refine(Number.isFinite, "must be a finite number").optional(),
    now: z.custom<() => number>((value) => typeof value === "function", "must be a function").optional(),
  });
  return { provider, entry, options };
}

let built: ReturnType<typeof buildSchemas> | undefined;
const schemas = (): ReturnType<typeof buildSchemas> => (built ??= buildSchemas());

function issues(error: Zod.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(value)"}: ${issue.message}`).join(", ");
}

/** Every problem of one entry, empty when it may be accepted. */
function problemsOf(raw: unknown, now: number, maxAgeMs: number): string[] {
  const { provider, entry: entrySchema } = schemas();
  const { formatDuration, parseTimestamp, readinessSummarySchema } = provider;
  const entry = entrySchema.safeParse(raw);
  if (!entry.success) return [`not a readiness entry (${issues(entry.error)})`];
  if (entry.data.summary === undefined) return ["the entry has no summary"];
  const parsed = readinessSummarySchema.safeParse(entry.data.summary);
  if (!parsed.success) return [`summary is malformed (${issues(parsed.error)})`];
  const e = entry.data;
  const s = parsed.data;
  const problems: string[] = [];

  if (!DIGEST.test(s.digest)) problems.push(`summary digest "${s.digest}" is not sha256:<64 hex digits>`);
  for (const key of ["clusterId", "currentVersion", "targetVersion"] as const) {
    if (s[key] === undefined) problems.push(`summary has no ${key}`);
    else if (s[key] !== e[key]) problems.push(`summary ${key} ${s[key]} differs from the entry's ${e[key]}`);
  }
  if (s.verdict !== e.verdict)
    problems.push(`summary verdict ${s.verdict} differs from the entry's ${e.verdict}`);
  if (s.worstSeverity !== e.worstSeverity)
    problems.push(`summary worstSeverity ${s.worstSeverity} differs from the entry's ${e.worstSeverity}`);
  if (e.verdict === "ready" && !e.allowed) problems.push("verdict ready but allowed is false");
  if (ALWAYS_BLOCKING.has(e.verdict) && e.allowed)
    problems.push(`verdict ${e.verdict} always blocks but allowed is true`);

  // The schema accepted both as ISO 8601 with an offset; an out-of-range date is still unreadable.
  const observed = parseTimestamp(s.observedAt);
  if (observed === undefined) problems.push(`observedAt ${s.observedAt} is not a readable time`);
  else if (observed - now > FUTURE_TOLERANCE_MS)
    problems.push(`observedAt ${s.observedAt} is ${formatDuration(observed - now)} in the future`);
  else if (now - observed > maxAgeMs)
    problems.push(
      `stale: observed at ${s.observedAt}, ${formatDuration(now - observed)} ago, older than the maximum age of ${formatDuration(maxAgeMs)}`,
    );
  if (s.expiresAt === undefined) {
    if (s.checkId !== undefined) problems.push(`summary names check ${s.checkId} but not when it expires`);
  } else {
    const expires = parseTimestamp(s.expiresAt);
    if (expires === undefined) problems.push(`expiresAt ${s.expiresAt} is not a readable time`);
    else if (expires <= now) problems.push(`expired: its check expired at ${s.expiresAt}`);
  }
  return problems;
}

/**
 * The readiness another stack exported, for a consumer stack that must act only on fresh, intact
 * readiness. Reads the output `options.output` (default `readiness`) of the stack `ref` points at
 * (a missing output fails the program, as does an output that is not an object of entries) and
 * checks each entry `{ cloud, clusterId, currentVersion, targetVersion, allowed, verdict,
 * worstSeverity, reasons, summary }`. An entry is accepted only when ALL of these hold:
 *
 * 1. the entry has that shape (cloud `cce`/`ack`, non-empty ids and versions, a known verdict and
 *    worst severity, `allowed` a boolean, `reasons` strings);
 * 2. `summary` passes the provider's strict `readinessSummarySchema` (known keys only, ISO 8601
 *    times, a non-empty digest);
 * 3. `summary.digest` is `sha256:` followed by 64 lower-case hex digits;
 * 4. `summary.clusterId`, `currentVersion` and `targetVersion` are present and equal the entry's;
 * 5. `summary.verdict` and `summary.worstSeverity` equal the entry's;
 * 6. `allowed` agrees with the verdict: `ready` is always allowed, `blocked`, `stale` and
 *    `upgrading` never are (`unknown` and `pending` may be either, depending on the producer's options);
 * 7. `summary.observedAt` is at most `maxAgeMs` old (default the provider's `DEFAULT_MAX_CHECK_AGE_MS`,
 *    1 h) and at most one minute in the future (clock skew);
 * 8. `summary.expiresAt` has not passed, and is present whenever the summary names a check
 *    (`checkId`); a summary without a check (the producer found none: verdict `unknown`) has nothing
 *    to expire.
 *
 * What it does NOT check: the digest is not recomputed (it hashes the snapshot's facts, which the
 * output does not carry), so a summary altered consistently with its entry passes these checks. That
 * is why the summary stays a claim: handed to `cce.ClusterUpgrade` / `ack.ClusterUpgrade` as
 * `readiness`, the policy pack and the resources read the cloud again and block on another check id
 * or digest. Accepted does not mean allowed either: an intact `blocked` entry is accepted, so read
 * `allowed` (or `verdict`) before acting.
 *
 * Refused entries are never dropped: each is in `refused` with every problem found, and logged as
 * a warning (of a secret output only how many were refused: the names and reasons quote it). The time is read once (`options.now`, default `Date.now`) when the output resolves.
 *
 * ```typescript
 * const producer = new pulumi.StackReference("readiness/dev");
 * const readiness = readinessFromStack(producer, { maxAgeMs: 30 * 60_000 });
 * export const accepted = readiness.accepted; // { "cce-ready": { allowed: true, verdict: "ready", summary, ... } }
 * export const refused = readiness.refused; // { "cce-old": "stale: observed at ..., 2 h ago, ..." }
 * ```
 *
 * Throws `InputError` for bad options (an unknown key, a negative or non-finite `maxAgeMs`).
 */
export function readinessFromStack(
  ref: pulumi.StackReference,
  options: ReadinessFromStackOptions = {},
): pulumi.Output<AcceptedReadiness> {
  const { provider, entry: entrySchema, options: optionsSchema } = schemas();
  const { DEFAULT_MAX_CHECK_AGE_MS, InputError, readinessSummarySchema } = provider;
  const settings = optionsSchema.safeParse(options);
  if (!settings.success) {
    throw new InputError(
      "readinessFromStack (options)",
      settings.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  const output = settings.data.output ?? "readiness";
  const maxAgeMs = settings.data.maxAgeMs ?? DEFAULT_MAX_CHECK_AGE_MS;
  const clock = settings.data.now ?? Date.now;
  // getOutput, not requireOutput: the one failure to handle is then this function's own.
  const read = ref.getOutput(output);
  // Logs are plain text: a secret output's names and reasons must stay in the (secret) result.
  const secret = pulumi.output(pulumi.isSecret(read));
  return pulumi.all([ref.name, read, secret]).apply(([stack, value, isSecret]) => {
    if (value === undefined) {
      throw new Error(
        `readinessFromStack: stack ${stack} has no output ${output} (run \`up\` on it first, or pass options.output)`,
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new Error(
        `readinessFromStack: output ${output} of stack ${stack} is not an object of readiness entries (${Array.isArray(value) ? "an array" : typeof value})`,
      );
    }
    const now = clock();
    if (!Number.isFinite(now)) throw new Error(`readinessFromStack: options.now() returned ${now}`);
    // Pairs, then Object.fromEntries: a cluster named `__proto__` stays an ordinary key.
    const accepted: [string, StackReadinessEntry][] = [];
    const refused: [string, string][] = [];
    for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
      const problems = problemsOf(raw, now, maxAgeMs);
      if (problems.length === 0) {
        const entry = entrySchema.parse(raw);
        accepted.push([name, { ...entry, summary: readinessSummarySchema.parse(entry.summary) }]);
      } else {
        const reason = problems.join("; ");
        refused.push([name, reason]);
        if (!isSecret) void pulumi.log.warn(`readiness of ${name} from stack ${stack} refused: ${reason}`);
      }
    }
    if (isSecret && refused.length > 0) {
      void pulumi.log.warn(
        `readiness from stack ${stack}: ${refused.length} ${refused.length === 1 ? "entry" : "entries"} refused; ` +
          "the output is secret, so which entries and why are only in the (secret) refused output",
      );
    }
    return { accepted: Object.fromEntries(accepted), refused: Object.fromEntries(refused) };
  });
}
