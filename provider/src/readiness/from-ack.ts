/**
 * Pure mappings from ACK cluster checks (GetClusterCheck) to the readiness model.
 *
 * ACK publishes no risk levels and no schema for `check_items` (a map of category → list of
 * objects; docs/ack.md#cluster-checks, #open-questions Q1). So this is a documented DECISION, mirrored in provider/README.md ("Readiness mapping"):
 *
 * Check `status` → check state: `Succeeded` → `passed`; `Failed` → `failed`; anything else
 * (`Running`, `Init`, an undocumented word) → `pending`, so an unknown status never reads as done.
 *
 * Each item is read through two families of keys, matched case-insensitively:
 * - outcome keys `status`, `result`, `state`, `check_result`, `passed`, `pass`, `success`: every one
 *   present is read and the worst wins (fail, then unreadable, pending, warning, info, pass);
 * - level keys `level`, `severity`, `risk_level` (first hit wins); a level may also be an object
 *   keyed by the level word, with the details inside (`Level: {error: {Message, Targets}}`): the
 *   worst known key wins, and message, APIs and nodes are read from its value when the item has
 *   none of its own.
 * An outcome or level value that is not a known word (or a level object with any unknown key)
 * makes the item `present` at `unknown` (`fatal` with a fail-class outcome or level): it never passes.
 * Their values are sorted into word classes (booleans: `true` = pass, `false` = fail):
 *
 * | class   | words                                                                           |
 * |---------|---------------------------------------------------------------------------------|
 * | pass    | pass, passed, normal, success, succeeded, successful, ok, healthy               |
 * | fail    | fail, failed, failure, error, fatal, critical, abnormal, exception, unhealthy   |
 * | warning | warning, warn, risk, risky, attention                                           |
 * | info    | info, information, tip, hint, notice                                            |
 * | pending | running, init, initial, pending, checking, waiting                              |
 *
 * | outcome class | level class          | finding                                                  |
 * |---------------|----------------------|----------------------------------------------------------|
 * | pass          | any                  | `passed` (severity: the level's, else `info`)            |
 * | pending       | any                  | `pending` (severity: the level's, else `unknown`)        |
 * | fail          | warning / info       | `present`, that severity (a failed low-level item)       |
 * | fail          | fail or none         | `present`, `fatal`                                       |
 * | warning       | any                  | `present`, `warning`                                     |
 * | info          | any                  | `present`, `info`                                        |
 * | unreadable    | any (or unreadable)  | `present`, `unknown` (`fatal` at a fail level)           |
 * | none          | fail / warning / info| `present`, `fatal` / `warning` / `info`                  |
 * | none          | pass                 | `passed`                                                 |
 * | none          | none                 | `present`, `unknown` (blocks unless configured otherwise)|
 *
 * Waivable: yes, unless a LEVEL key says fail-class (e.g. `level: "error"`): ACK itself has no
 * must-fix marker, so only an explicit vendor level is taken as one.
 * Name: the first of `name`, `item_name`, `check_item`, `title`, `display_name`, else
 * `<category> #<n>`. Message: the first of `message`, `msg`, `description`, `detail`, `reason`,
 * `suggestion`. An item named or filed under "Deprecated API" lists the APIs it finds under
 * `apis`, `api`, `deprecated_apis`, `resources`, `resource`, `url`, `urls` (strings, or objects with
 * `url`/`api`/`name`/`resource`/`path`). Node keys `nodes`, `node`, `node_name(s)`, `node_id(s)`,
 * `instance_id(s)` fill `affected.nodes`. The item itself is kept in `raw`.
 */
import { type AckClusterCheck, type AckClusterCheckSummary } from "../clients/ack/schemas";
import { isRecord } from "../internal/validate";
import {
  type Affected,
  type CheckRef,
  type CheckState,
  type Finding,
  type FindingState,
  type Severity,
  UNKNOWN_CREATION_TIME,
} from "./model";

export type AckWordClass = "pass" | "fail" | "warning" | "info" | "pending";

const WORD_CLASSES: ReadonlyArray<[AckWordClass, ReadonlySet<string>]> = [
  ["pass", new Set(["pass", "passed", "normal", "success", "succeeded", "successful", "ok", "healthy"])],
  [
    "fail",
    new Set([
      "fail",
      "failed",
      "failure",
      "error",
      "fatal",
      "critical",
      "abnormal",
      "exception",
      "unhealthy",
    ]),
  ],
  ["warning", new Set(["warning", "warn", "risk", "risky", "attention"])],
  ["info", new Set(["info", "information", "tip", "hint", "notice"])],
  ["pending", new Set(["running", "init", "initial", "pending", "checking", "waiting"])],
];

const OUTCOME_KEYS = ["status", "result", "state", "check_result", "passed", "pass", "success"];
const LEVEL_KEYS = ["level", "severity", "risk_level"];
const NAME_KEYS = ["name", "item_name", "check_item", "title", "display_name"];
const MESSAGE_KEYS = ["message", "msg", "description", "detail", "reason", "suggestion"];
const API_KEYS = ["apis", "api", "deprecated_apis", "resources", "resource", "url", "urls"];
const API_OBJECT_KEYS = ["url", "api", "name", "resource", "path"];
const NODE_KEYS = [
  "nodes",
  "node",
  "node_name",
  "node_names",
  "node_id",
  "node_ids",
  "instance_id",
  "instance_ids",
];
const NODE_OBJECT_KEYS = ["name", "id", "node_name", "instance_id"];

/** Sorts one value into a word class; `undefined` when it is not a word we know. */
export function classifyAckWord(value: unknown): AckWordClass | undefined {
  if (typeof value === "boolean") return value ? "pass" : "fail";
  if (typeof value !== "string") return undefined;
  const word = value.trim().toLowerCase();
  return WORD_CLASSES.find(([, words]) => words.has(word))?.[0];
}

/** Check `status` → check state. */
export function ackCheckState(status: string): CheckState {
  const word = status.trim().toLowerCase();
  if (word === "succeeded") return "passed";
  if (word === "failed") return "failed";
  return "pending";
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The value of the first of `keys` present in `item`, matching keys case- and separator-insensitively. */
function lookup(
  item: Record<string, unknown>,
  keys: readonly string[],
): { key: string; value: unknown } | undefined {
  const byNormalized = new Map(Object.keys(item).map((key) => [normalizeKey(key), key]));
  for (const wanted of keys) {
    const actual = byNormalized.get(normalizeKey(wanted));
    if (actual !== undefined && item[actual] !== undefined && item[actual] !== null)
      return { key: actual, value: item[actual] };
  }
  return undefined;
}

function firstString(item: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys
    .map((key) => lookup(item, [key])?.value)
    .find((value): value is string => typeof value === "string" && value.trim() !== "");
}

function strings(value: unknown, objectKeys: readonly string[] = []): string[] {
  if (typeof value === "string") return value.trim() === "" ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((entry) => strings(entry, objectKeys));
  if (typeof value === "object" && value !== null && objectKeys.length > 0) {
    const text = firstString(value as Record<string, unknown>, objectKeys);
    return text === undefined ? [] : [text];
  }
  return [];
}

function collect(
  item: Record<string, unknown>,
  keys: readonly string[],
  objectKeys: readonly string[] = [],
): string[] | undefined {
  // An absent key reads as no strings.
  const found = keys.flatMap((key) => strings(lookup(item, [key])?.value, objectKeys));
  const kept = [...new Set(found)];
  return kept.length === 0 ? undefined : kept;
}

const SEVERITY_OF: Partial<Record<AckWordClass, Severity>> = {
  fail: "fatal",
  warning: "warning",
  info: "info",
};

export interface AckItemVerdict {
  readonly state: FindingState;
  readonly severity: Severity;
  readonly waivable: boolean;
  /** The level value verbatim, when a level key had a string. */
  readonly vendorLevel?: string;
}

const LEVEL_RANK: Readonly<Record<AckWordClass, number>> = {
  fail: 4,
  warning: 3,
  pending: 2,
  info: 1,
  pass: 0,
};

interface LevelHit {
  readonly word: string;
  /** The worst known level; absent when no level word was readable. */
  readonly level?: AckWordClass;
  /** True when any level value or level key was not a word we know: the item then cannot pass. */
  readonly unreadable: boolean;
  readonly detail?: Record<string, unknown>;
}

/**
 * An item's level. Either a word (`level: "error"`) or an object keyed by the level word whose value
 * carries the details (`Level: {error: {Message, Targets}}`, the shape of the console's check
 * report); for the object form the worst known key wins and its value is returned as `detail`. An
 * unknown word anywhere marks the level unreadable rather than being skipped (fail closed).
 */
function itemLevel(item: Record<string, unknown>): LevelHit | undefined {
  const hit = lookup(item, LEVEL_KEYS);
  if (hit === undefined) return undefined;
  if (typeof hit.value === "string" || typeof hit.value === "boolean") {
    const level = classifyAckWord(hit.value);
    return {
      word: String(hit.value),
      unreadable: level === undefined,
      ...(level === undefined ? {} : { level }),
    };
  }
  if (!isRecord(hit.value)) return { word: String(hit.value), unreadable: true };
  let worst: { word: string; level: AckWordClass; detail?: Record<string, unknown> } | undefined;
  let unknownWord: string | undefined;
  for (const [word, detail] of Object.entries(hit.value)) {
    const level = classifyAckWord(word);
    if (level === undefined) {
      unknownWord ??= word;
      continue;
    }
    if (worst !== undefined && LEVEL_RANK[level] <= LEVEL_RANK[worst.level]) continue;
    worst = { word, level, ...(isRecord(detail) ? { detail } : {}) };
  }
  if (worst === undefined) return { word: unknownWord ?? "", unreadable: true };
  return { ...worst, unreadable: unknownWord !== undefined };
}

const OUTCOME_RANK: Readonly<Record<AckWordClass | "unreadable", number>> = {
  fail: 5,
  unreadable: 4,
  pending: 3,
  warning: 2,
  info: 1,
  pass: 0,
};

/**
 * The item's outcome over every outcome key present (`status`, `result`, ...): ACK items may carry
 * a run status beside a result (`status: "success", result: "failed"`), so the worst wins and an
 * unknown word counts as unreadable rather than letting a later key go unread.
 */
function itemOutcome(item: Record<string, unknown>): AckWordClass | "unreadable" | undefined {
  let worst: AckWordClass | "unreadable" | undefined;
  for (const key of OUTCOME_KEYS) {
    const hit = lookup(item, [key]);
    if (hit === undefined) continue;
    const outcome = classifyAckWord(hit.value) ?? "unreadable";
    if (worst === undefined || OUTCOME_RANK[outcome] > OUTCOME_RANK[worst]) worst = outcome;
  }
  return worst;
}

/** Applies the outcome × level table of the module comment to one item. */
export function classifyAckItem(item: Record<string, unknown>): AckItemVerdict {
  const outcome = itemOutcome(item);
  const levelHit = itemLevel(item);
  const level = levelHit?.level;
  const levelSeverity = level === undefined ? undefined : SEVERITY_OF[level];
  const extra = {
    waivable: level !== "fail",
    ...(levelHit === undefined || levelHit.word === "" ? {} : { vendorLevel: levelHit.word }),
  };
  if (outcome === "fail")
    return {
      state: "present",
      severity: !levelHit?.unreadable && (level === "warning" || level === "info") ? level : "fatal",
      ...extra,
    };
  // An unreadable outcome or level word: present, at a severity no one can waive by reading it.
  if (outcome === "unreadable" || levelHit?.unreadable)
    return { state: "present", severity: level === "fail" ? "fatal" : "unknown", ...extra };
  switch (outcome) {
    case "pass":
      return { state: "passed", severity: levelSeverity ?? "info", ...extra };
    case "pending":
      return { state: "pending", severity: levelSeverity ?? "unknown", ...extra };
    case "warning":
      return { state: "present", severity: "warning", ...extra };
    case "info":
      return { state: "present", severity: "info", ...extra };
    default:
      if (level === "pass") return { state: "passed", severity: "info", ...extra };
      return { state: "present", severity: levelSeverity ?? "unknown", ...extra };
  }
}

const DEPRECATED = /deprecat/i;

/**
 * One `check_items[category][index]` entry → finding. The item itself may be anything (a `null` or a
 * string from the vendor is an `unknown` finding, which blocks).
 */
export function mapAckCheckItem(item: unknown, category: string, index: number, checkId: string): Finding {
  const record = isRecord(item) ? item : {};
  const name = firstString(record, NAME_KEYS) ?? `${category} #${index + 1}`;
  const verdict = classifyAckItem(record);
  // Details may sit beside the level or inside it (`Level: {error: {Message, Targets}}`).
  const detail = itemLevel(record)?.detail ?? {};
  const message = firstString(record, MESSAGE_KEYS) ?? firstString(detail, MESSAGE_KEYS);
  const deprecatedApis =
    DEPRECATED.test(name) || DEPRECATED.test(category)
      ? (collect(record, API_KEYS, API_OBJECT_KEYS) ??
        collect(detail, [...API_KEYS, "targets"], API_OBJECT_KEYS))
      : undefined;
  const nodes = collect(record, NODE_KEYS, NODE_OBJECT_KEYS) ?? collect(detail, NODE_KEYS, NODE_OBJECT_KEYS);
  const affected: Affected = {
    ...(nodes === undefined ? {} : { nodes }),
    ...(deprecatedApis === undefined ? {} : { deprecatedApis }),
  };
  return {
    source: "ack-cluster-check",
    checkId,
    checkName: name,
    group: category,
    severity: verdict.severity,
    ...(verdict.vendorLevel === undefined ? {} : { vendorLevel: verdict.vendorLevel }),
    waivable: verdict.waivable,
    state: verdict.state,
    ...(message === undefined ? {} : { message }),
    affected,
    raw: item,
  };
}

/** Every item of every category, categories in the order ACK sent them. */
export function ackCheckFindings(check: AckClusterCheck): Finding[] {
  return Object.entries(check.check_items).flatMap(([category, items]) =>
    items.map((item, index) => mapAckCheckItem(item, category, index, check.check_id)),
  );
}

/**
 * The check reference of an ACK check. ACK does not echo the target version of a check, so the
 * caller passes the one it asked for (`options.next_version`) when it knows it.
 */
export function ackCheckRef(
  check: AckClusterCheck | AckClusterCheckSummary,
  targetVersion?: string,
): CheckRef {
  return {
    id: check.check_id,
    kind: "ack-cluster-check",
    status: check.status,
    state: ackCheckState(check.status),
    createdAt: check.created_at ?? UNKNOWN_CREATION_TIME,
    ...(check.finished_at === undefined ? {} : { finishedAt: check.finished_at }),
    ...(targetVersion === undefined ? {} : { targetVersion }),
    ...(check.message === undefined ? {} : { message: check.message }),
  };
}
