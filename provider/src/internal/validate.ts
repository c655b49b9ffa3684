import type { z } from "zod";
import { InputError, type InputIssue } from "../errors";

/** Converts zod issues into our dotted-path issues. */
export function toIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/**
 * Validates the arguments of a public function. Throws an `InputError` naming `where` and listing
 * every bad field, so the caller can fix them all at once.
 */
export function parseArgs<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(where, toIssues(result.error));
  return result.data;
}

/** What `requireShapes` can demand of an argument. */
export type ShapeKind = "object" | "array" | "string" | "index";

const SHAPE_WORDS: Readonly<Record<ShapeKind, string>> = {
  object: "an object",
  array: "an array",
  string: "a string",
  index: "a non-negative integer",
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return `the number ${value}`;
  return typeof value === "string" ? "a string" : typeof value;
}

/**
 * For the mapping helpers whose input a vendor schema has already shaped: an untyped caller (plain
 * JavaScript, JSON) that hands `null` or a string gets an `InputError` naming the argument instead
 * of a `TypeError` from deep inside. `kind` says what each argument must be (`index`: a
 * non-negative integer, such as a position in a vendor list).
 */
export function requireShapes(
  where: string,
  args: Readonly<Record<string, readonly [value: unknown, kind: ShapeKind]>>,
): void {
  const issues: InputIssue[] = [];
  for (const [path, [value, kind]] of Object.entries(args)) {
    const ok =
      kind === "array"
        ? Array.isArray(value)
        : kind === "string"
          ? typeof value === "string"
          : kind === "index"
            ? typeof value === "number" && Number.isInteger(value) && value >= 0
            : typeof value === "object" && value !== null && !Array.isArray(value);
    if (!ok) issues.push({ path, message: `must be ${SHAPE_WORDS[kind]}, got ${describeValue(value)}` });
  }
  if (issues.length > 0) throw new InputError(where, issues);
}

/**
 * One issue per key of `value` that is not in `known` (keys whose value is `undefined` are let
 * through, so spreading optional settings stays allowed). A near miss (see `nearestKey`) gets a
 * did-you-mean; any other key gets the list of options. `prefix` is prepended to each
 * path, for a nested options object (`retry.` gives `retry.maxAtempts`).
 */
export function unknownKeyIssues(value: object, known: readonly string[], prefix = ""): InputIssue[] {
  return Object.entries(value as Record<string, unknown>)
    .filter(([key, item]) => item !== undefined && !known.includes(key))
    .map(([key]) => {
      const near = nearestKey(key, known);
      return {
        path: `${prefix}${key}`,
        message:
          near === undefined
            ? `unknown option; the options are ${known.join(", ")}`
            : `unknown option; did you mean ${near}?`,
      };
    });
}

/** Whether `value` is an object with a function under each of `names` (a duck-typed interface). */
export function hasMethods(value: unknown, names: readonly string[]): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === "function")
  );
}

/** Edit distance between two strings (insert, delete, substitute each cost 1). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The valid key closest to `key` (case-insensitive), when it is close enough to be a typo. */
export function nearestKey(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of valid) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // More than about a third of the name changed is a different word, not a typo.
  return best !== undefined && bestDistance <= Math.max(2, Math.ceil(key.length / 3)) ? best : undefined;
}
