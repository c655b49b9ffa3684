import { z } from "zod";
import { InputError, type InputIssue } from "../errors";

/** A zod error option whose message says what a field expects: `must be <what>`. */
export function mustBe(what: string): { error: string } {
  return { error: `must be ${what}` };
}

/** Lines as an indented bullet list, one `  - line` each, for multi-problem messages. */
export function bulletList(lines: readonly string[]): string {
  return lines.map((line) => `  - ${line}`).join("\n");
}

/** `JSON.parse(text)`, or `undefined` for text that is not JSON (the caller's schema then names it). */
export function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Converts zod issues into our dotted-path issues. */
export function toIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The schema with zod's compiled fast path (`z.compile`: generated code first, the runtime parser
 * on any failure, so the answers and issues are the runtime's), compiled once and kept.
 */
export function compiledSchema<S extends z.ZodType>(schema: S): S {
  let compiled = compiledSchemas.get(schema);
  if (compiled === undefined) {
    compiled = z.compile(schema);
    compiledSchemas.set(schema, compiled);
  }
  return compiled as S;
}

/** The parse of a schema from which on it is compiled (the ones before use the runtime parser). */
const COMPILE_AT_PARSE = 100;
const parsesSoFar = new WeakMap<z.ZodType, number>();

/**
 * The parser to use for `schema`: the runtime parser for its first 99 parses, the compiled one
 * (`compiledSchema`) from the 100th on. Measured in bench/client-cpu.js, validating a response was the largest part of a
 * signed call's CPU over the bare floor (about 40 us) and compiling removes most of it; but compiling
 * costs 1-4 ms a schema, more than a program that parses it a few times would ever save (a preview
 * reading one cluster), so only a schema in steady use (a fleet report, a waiter) is compiled.
 */
export function parserFor<S extends z.ZodType>(schema: S): S {
  const compiled = compiledSchemas.get(schema);
  if (compiled !== undefined) return compiled as S;
  const parses = (parsesSoFar.get(schema) ?? 0) + 1;
  if (parses < COMPILE_AT_PARSE) {
    parsesSoFar.set(schema, parses);
    return schema;
  }
  parsesSoFar.delete(schema);
  return compiledSchema(schema);
}

/**
 * Validates the arguments of a public function. Throws an `InputError` naming `where` and listing
 * every bad field, so the caller can fix them all at once.
 */
export function parseArgs<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = parserFor(schema).safeParse(value);
  if (!result.success) throw new InputError(where, toIssues(result.error));
  return result.data;
}

/** How an issue message names a value it got: `null`, `an array`, `the number -1`, `a string`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return `the number ${value}`;
  return typeof value === "string" ? "a string" : typeof value;
}

/** The message of an options object that is not an object: `must be an object, got null`. */
export function notAnObject(issue: { readonly code: string; readonly input?: unknown }): string | undefined {
  return issue.code === "invalid_type" ? `must be an object, got ${describeValue(issue.input)}` : undefined;
}

/** The inner schema zod wraps in optional/default/nullable/pipe, or undefined. */
function unwrapSchema(schema: unknown): unknown {
  const def = (schema as { def?: { innerType?: unknown; in?: unknown } } | undefined)?.def;
  return def?.innerType ?? def?.in;
}

/** The property names the object schema at `path` (inside `schema`) accepts, in schema order. */
export function validKeysAt(schema: unknown, path: ReadonlyArray<PropertyKey>): string[] {
  let current: unknown = schema;
  const remaining = [...path];
  for (let guard = 0; guard < 64 && current !== undefined; guard += 1) {
    const def = (current as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } })
      .def;
    if (def === undefined) return [];
    if (def.type === "object" && def.shape !== undefined) {
      if (remaining.length === 0) return Object.keys(def.shape);
      const next = remaining.shift();
      current = def.shape[String(next)];
    } else if (def.type === "array") {
      remaining.shift();
      current = def.element;
    } else {
      current = unwrapSchema(current);
    }
  }
  return [];
}

/** One key named by a zod `unrecognized_keys` issue. */
export interface UnknownKey {
  readonly kind: "unknownKey";
  /** The path of the object the key is in (`[]` for the top level). */
  readonly parent: readonly PropertyKey[];
  readonly key: string;
  /** The keys the schema accepts there, in schema order. */
  readonly valid: readonly string[];
  /** The valid key it is probably a typo of (see `nearestKey`), if any. */
  readonly nearest: string | undefined;
}

/** Any other zod issue, as it is. */
export interface OtherIssue {
  readonly kind: "issue";
  readonly issue: z.core.$ZodIssue;
}

/**
 * The issues of a failed parse of `schema`, in order, each `unrecognized_keys` issue expanded into
 * one entry per key with the keys valid at its place and a did-you-mean. The one expansion both
 * the option checks (`parseOptions`) and the resource input checks (pulumi/resources/lifecycle.ts)
 * use, each wording its own message.
 */
export function expandUnknownKeys(schema: z.ZodType, error: z.ZodError): Array<UnknownKey | OtherIssue> {
  return error.issues.flatMap((issue): Array<UnknownKey | OtherIssue> => {
    if (issue.code !== "unrecognized_keys") return [{ kind: "issue", issue }];
    const valid = validKeysAt(schema, issue.path);
    return issue.keys.map((key) => ({
      kind: "unknownKey",
      parent: issue.path,
      key,
      valid,
      nearest: nearestKey(key, valid),
    }));
  });
}

/** The value at `path` inside `value`, or undefined when the way there is not an object. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** A copy of `value` without the given keys (each at its parent path), copying only along those paths. */
function withoutKeys(value: unknown, keys: readonly UnknownKey[]): unknown {
  const drop = (current: unknown, path: readonly PropertyKey[], key: string): unknown => {
    if (typeof current !== "object" || current === null) return current;
    const record = current as Record<PropertyKey, unknown>;
    if (path.length === 0) {
      const { [key]: _dropped, ...rest } = record;
      return rest;
    }
    const [head, ...tail] = path as [PropertyKey, ...PropertyKey[]];
    return { ...record, [head]: drop(record[head], tail, key) };
  };
  return keys.reduce<unknown>((current, { parent, key }) => drop(current, parent, key), value);
}

/**
 * Validates an options object against its strict schema. Throws an `InputError` naming `where` with
 * one issue per problem: an unknown key (at any depth) is named itself, with a did-you-mean for a
 * near miss (see `nearestKey`) and the list of options otherwise; a problem with the whole value is
 * named `name`. Keys whose value is `undefined` are let through, so spreading optional settings
 * stays allowed.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
  name = "options",
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const expanded = expandUnknownKeys(schema, result.error);
  const unset = expanded.filter(
    (entry): entry is UnknownKey =>
      entry.kind === "unknownKey" && valueAt(value, [...entry.parent, entry.key]) === undefined,
  );
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  for (const entry of expanded) {
    if (entry.kind === "unknownKey" && unset.includes(entry)) continue;
    const issue: InputIssue =
      entry.kind === "issue"
        ? {
            path: entry.issue.path.length === 0 ? name : entry.issue.path.map(String).join("."),
            message: entry.issue.message,
          }
        : {
            path: [...entry.parent, entry.key].map(String).join("."),
            message:
              entry.nearest === undefined
                ? `unknown option; the options are ${entry.valid.join(", ")}`
                : `unknown option; did you mean ${entry.nearest}?`,
          };
    const id = `${issue.path}|${issue.message}`;
    if (!seen.has(id)) issues.push(issue);
    seen.add(id);
  }
  if (issues.length > 0) throw new InputError(where, issues);
  // Only keys set to `undefined` were unknown: parse the options without them.
  return parseArgs(schema, withoutKeys(value, unset), where);
}

/** A plain JSON-like object: not `null`, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The members of `source` named in `keys` whose value is defined, as a `T` (a member set to
 * `undefined` is left out, as exactOptionalPropertyTypes wants).
 */
export function definedMembers<T extends object>(source: object, keys: readonly (keyof T & string)[]): T {
  const out: Record<string, unknown> = {};
  const record = source as Record<string, unknown>;
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out as T;
}

/** An argument that must be a callback (checked at the door of functions untyped callers reach). */
export const aFunction = z.custom<unknown>((value) => typeof value === "function", "must be a function");

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
