/**
 * Building blocks every resource uses for `check` and `diff`, so the rules are the same everywhere:
 *
 * - `check` validates with the resource's strict zod schema and returns EVERY problem as a
 *   `{property, reason}` failure. A value that is unknown during preview (the sentinel, at any
 *   depth) is not an error: problems located at or under an unknown value are dropped, and
 *   cross-field rules skip unknown operands.
 * - `diff` is explicit: identity fields force a replacement, behaviour fields an in-place update,
 *   informational fields (what a policy reads, e.g. the readiness summary) nothing; an unknown value
 *   counts as a change of its field; a changed serialized provider counts as an update (deliberate:
 *   the state then holds the current shim; see `diffProperties`); so does a record of work that did
 *   not finish, which `update` resumes.
 */
import { type z } from "zod";
import { InputError, type InputIssue } from "../../errors";
import { StateError } from "../shared/errors";
import { redactingSteps } from "../shared/redaction";
import { locatedSteps, placesForDiff, type Vendor, withRespelling } from "./location";
import { expandUnknownKeys, validKeysAt } from "../../internal/validate";
import { canonicalJson } from "../../readiness/digest";
import {
  type CheckFailure,
  type CheckResult,
  type DiffResult,
  type PropertyMap,
  PROVIDER_KEY,
  type ResourceLifecycle,
  UNKNOWN,
  containsUnknown,
} from "../shared/types";

/** Pulumi property-path notation: `addons[0].targetVersion`. */
export function propertyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The issues of a zod error, located by their property paths. */
function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({ path: propertyPath(issue.path), message: issue.message }));
}

/** True when the value at `path`, or any value on the way to it, is the unknown sentinel. */
export function isUnknownAt(value: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let current: unknown = value;
  for (const part of path) {
    if (current === UNKNOWN) return true;
    if (current === null || typeof current !== "object") return false;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current === UNKNOWN;
}

/** The properties without the reserved `__provider`. */
export function withoutProvider(props: PropertyMap | undefined): PropertyMap {
  const { [PROVIDER_KEY]: _provider, ...rest } = props ?? {};
  return rest;
}

/** `check`'s answer plus the parsed inputs when everything is known and valid. */
export interface CheckedInputs<T> extends CheckResult {
  /** The parsed inputs, when every input is known and valid. */
  readonly value?: T;
}

/**
 * Validates `news` against `schema`. Returns the normalized inputs when everything is known and
 * valid, the inputs as given when something is unknown (preview), and one failure per problem.
 */
export function checkInputs<S extends z.ZodType>(schema: S, news: PropertyMap): CheckedInputs<z.output<S>> {
  const inputs = withoutProvider(news);
  const parsed = schema.safeParse(inputs);
  if (parsed.success) return { inputs: parsed.data as PropertyMap, value: parsed.data };
  const failures: CheckFailure[] = [];
  const seen = new Set<string>();
  const add = (property: string, reason: string): void => {
    const key = `${property}|${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    failures.push({ property, reason });
  };
  for (const entry of expandUnknownKeys(schema, parsed.error)) {
    if (entry.kind === "issue") {
      if (!isUnknownAt(inputs, entry.issue.path)) add(propertyPath(entry.issue.path), entry.issue.message);
      continue;
    }
    // Name each misspelt key itself (not its parent) and suggest the input it probably meant.
    if (isUnknownAt(inputs, entry.parent)) continue;
    add(
      propertyPath([...entry.parent, entry.key]),
      "is not an input of this resource" +
        (entry.nearest === undefined
          ? ""
          : `; did you mean "${propertyPath([...entry.parent, entry.nearest])}"?`),
    );
  }
  const withDefaults = applyKnownDefaults(schema, inputs);
  return failures.length === 0 ? { inputs: withDefaults } : { inputs: withDefaults, failures };
}

/**
 * The inputs with each known, valid top-level field normalized by its own schema (so defaults
 * apply) while unknown ones stay the sentinel: `diff` then compares like with like, and a
 * defaulted field is not reported as replaced just because another field is unknown in preview.
 */
function applyKnownDefaults(schema: z.ZodType, inputs: PropertyMap): PropertyMap {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (shape === undefined) return inputs;
  const out: PropertyMap = { ...inputs };
  for (const [key, field] of Object.entries(shape)) {
    const value = inputs[key];
    if (containsUnknown(value)) continue;
    const parsed = field.safeParse(value);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}

/** The `check` answer for the engine: inputs and failures only. */
export function checkResult<S extends z.ZodType>(schema: S, news: PropertyMap): CheckResult {
  const { value: _value, ...result } = checkInputs(schema, news);
  return result;
}

/**
 * Parses inputs that `check` already accepted (create, update, read, delete get checked inputs or
 * stored outputs). Throws `InputError` listing every problem, e.g. for state written by hand.
 */
export function parseInputs<S extends z.ZodType>(schema: S, props: PropertyMap, where: string): z.output<S> {
  const inputs = withoutProvider(props);
  // Stored outputs echo the inputs next to computed fields; keep only what the schema knows.
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  const known =
    shape === undefined ? inputs : Object.fromEntries(Object.entries(inputs).filter(([key]) => key in shape));
  const parsed = schema.safeParse(known);
  if (parsed.success) return parsed.data;
  throw new InputError(where, issuesOf(parsed.error));
}

/**
 * The computed outputs recorded in the state (the `olds` of `update`, the `props` of `read` and
 * `delete`), read through the resource's output schema. The schema is a loose object, so the echoed
 * inputs and keys another version wrote pass; a field of the wrong type is a `StateError` naming it
 * (`phase`, `gate.verdict`), never a silently guessed default.
 */
export function readOutputs<S extends z.ZodObject>(
  schema: S,
  olds: PropertyMap | undefined,
  resource: string,
): z.output<S> {
  const parsed = schema.safeParse(withoutProvider(olds));
  if (parsed.success) return parsed.data;
  throw new StateError(resource, issuesOf(parsed.error));
}

/**
 * Like `readOutputs`, for `delete`, which must never be stuck on a damaged state (an upgrade cannot
 * be undone anyway; delete only says what is left behind): what cannot be read is logged, naming the
 * fields, and read as absent.
 */
export function readOutputsForDelete<S extends z.ZodObject>(
  schema: S,
  olds: PropertyMap | undefined,
  resource: string,
  warn: (message: string) => void,
): Partial<z.output<S>> {
  try {
    return readOutputs(schema, olds, resource);
  } catch (error) {
    const fields = (error as StateError).issues.map((issue) => issue.path).join(", ");
    warn(`${resource}: the recorded state could not be read (${fields}); removing it anyway`);
    return {};
  }
}

/**
 * The computed outputs a resource writes, typed by its output schema without the loose index
 * signature: a builder typed with it cannot write a key the schema (and so the SDK) does not know.
 */
export type Written<S extends z.ZodObject> = {
  [K in keyof z.output<S> as string extends K ? never : K]: z.output<S>[K];
};

/** Reports a cross-field rule's problem at `path` (relative to the refined value). */
export function customIssue(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: "custom", path, message });
}

/** `true` when a cross-field rule must not run because an operand is unknown. */
export function anyUnknown(...values: unknown[]): boolean {
  return values.some(containsUnknown);
}

/** Which inputs replace, which update in place; all others are informational. */
export interface DiffSpec {
  /** Changing any of these starts a different task: the resource is replaced. */
  readonly replaceOn: readonly string[];
  /** Changing any of these is applied in place by `update`. */
  readonly updateOn: readonly string[];
  /** Delete the old resource before creating its replacement (default false). */
  readonly deleteBeforeReplace?: boolean;
}

function differs(oldValue: unknown, newValue: unknown): boolean {
  if (containsUnknown(newValue)) return true;
  return canonicalJson(oldValue ?? null) !== canonicalJson(newValue ?? null);
}

/**
 * Compares old outputs (which echo the old inputs) with new checked inputs. Keys not listed in the
 * spec are informational and never cause a change.
 *
 * A different `__provider` text alone gives `changes: true` without replacement. Without that, a
 * custom diff would keep the old serialized shim in state forever (pulumi/pulumi#16826), and delete
 * and refresh would keep running it. The shim only names the implementation module, so this happens
 * when the SDK's shim itself changes, and the update it causes makes no vendor call.
 *
 * `unfinished` (the old record is of work `update` must still resume) also gives `changes: true`
 * without replacement. The engine forces that update only while the partial create's init error is
 * in the state, and a refresh clears it (a dynamic `read` cannot return one): without this rule the
 * next `up` after `pulumi refresh` would take the unfinished task as done.
 */
export function diffProperties(
  olds: PropertyMap,
  news: PropertyMap,
  spec: DiffSpec,
  unfinished = false,
): DiffResult {
  const replaces = spec.replaceOn.filter((key) => differs(olds[key], news[key]));
  const updates = spec.updateOn.filter((key) => differs(olds[key], news[key]));
  const newProvider = news[PROVIDER_KEY];
  const providerChanged =
    typeof newProvider === "string" && newProvider !== UNKNOWN && olds[PROVIDER_KEY] !== newProvider;
  const changed = new Set([...replaces, ...updates]);
  const stables = [...spec.replaceOn, ...spec.updateOn].filter((key) => !changed.has(key));
  return {
    changes: replaces.length > 0 || updates.length > 0 || providerChanged || unfinished,
    replaces,
    stables,
    deleteBeforeReplace: replaces.length > 0 && spec.deleteBeforeReplace === true,
  };
}

/**
 * The outputs after an in-place update that changed only inputs: the computed outputs of `olds`
 * with EVERY input taken from `inputs`. An optional input the program removed is therefore removed
 * from the outputs too; keeping its old value would make every later diff report it again.
 */
export function inPlaceOutputs(schema: z.ZodType, olds: PropertyMap, inputs: PropertyMap): PropertyMap {
  return { ...computedOf(schema, olds), ...inputs };
}

/** The computed outputs of a record: without the inputs it echoes (and the serialized provider). */
export function computedOf<T extends PropertyMap>(schema: z.ZodType, recorded: T): Partial<T> {
  const inputKeys = new Set(validKeysAt(schema, []));
  return Object.fromEntries(
    Object.entries(withoutProvider(recorded)).filter(([key]) => !inputKeys.has(key)),
  ) as Partial<T>;
}

/** How `diff` tells a record of work `update` would resume: the outputs' schema and the rule. */
export interface ResumeRule<S extends z.ZodObject> {
  readonly outputs: S;
  /** The same rule `update` uses. */
  readonly unfinished: (recorded: z.output<S>) => boolean;
}

/**
 * A resource's lifecycle from its steps: `check` validates with the input schema and `diff` follows
 * the spec, the same way for every resource. With `resume`, a record `update` would resume is an
 * update too (see `diffProperties`); a record that does not parse is not (diff does not fail on
 * it; the `update` it leads to names the bad fields). The steps run where the resource was created
 * and the location is recorded (`locatedSteps`, see location.ts); outputs and errors are redacted
 * on the way out (`redactingSteps`): no resource has to remember either.
 */
export function lifecycleOf<S extends z.ZodObject>(
  vendor: Vendor,
  inputsSchema: z.ZodType,
  spec: DiffSpec,
  steps: Pick<ResourceLifecycle, "create" | "read" | "update" | "delete">,
  resume?: ResumeRule<S>,
): ResourceLifecycle {
  const unfinished = (olds: PropertyMap): boolean => {
    if (resume === undefined) return false;
    const parsed = resume.outputs.safeParse(withoutProvider(olds));
    return parsed.success && resume.unfinished(parsed.data);
  };
  return {
    check: async (_olds, news) => checkResult(inputsSchema, news),
    diff: async (_id, olds, news) => {
      const places = placesForDiff(vendor, olds, news);
      return withRespelling(
        diffProperties(places.olds, places.news, spec, unfinished(olds)),
        places.respelled,
      );
    },
    ...redactingSteps(locatedSteps(vendor, steps)),
  };
}
