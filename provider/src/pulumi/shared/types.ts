/**
 * The dynamic-provider contract, written structurally so this package never loads @pulumi/pulumi
 * (it does not depend on it; the SDK does). The shapes match `pulumi.dynamic.ResourceProvider` of
 * @pulumi/pulumi 3.248 (`sdk/nodejs/dynamic/index.ts`).
 */

/**
 * The value the engine sends, at any depth, for an input that is not known yet (preview only).
 * Exported by @pulumi/pulumi as `runtime.unknownValue`.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The reserved property holding the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Plain property bags as the engine sends them (protobuf Struct converted to JavaScript). */
export type PropertyMap = Record<string, unknown>;

/** One bad input: the property path and why. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** What `check` answers: the checked inputs and the failures. */
export interface CheckResult {
  readonly inputs?: PropertyMap;
  readonly failures?: CheckFailure[];
}

/** What `diff` answers (the plugin ignores `stables`). */
export interface DiffResult {
  readonly changes?: boolean;
  readonly replaces?: string[];
  readonly stables?: string[];
  readonly deleteBeforeReplace?: boolean;
}

/** What `create` answers: the resource id and its outputs. */
export interface CreateResult {
  readonly id: string;
  readonly outs?: PropertyMap;
}

/** What `read` answers (refresh). */
export interface ReadResult {
  /** Empty or absent: the resource is gone. */
  readonly id?: string;
  readonly props?: PropertyMap;
  readonly inputs?: PropertyMap;
}

/** What `update` answers: the full outputs. */
export interface UpdateResult {
  readonly outs?: PropertyMap;
}

/** One dynamic resource's lifecycle, as the SDK shims call it. */
export interface ResourceLifecycle {
  /** Validates `news`: every bad input as a `{property, reason}` failure; unknowns are no error. */
  check(olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  /** Old outputs against new checked inputs: identity fields replace, unknowns count as changes. */
  diff(id: string, olds: PropertyMap, news: PropertyMap): Promise<DiffResult>;
  /** Starts (or adopts) the vendor task and waits; a failure after acceptance carries the id. */
  create(inputs: PropertyMap): Promise<CreateResult & { readonly outs: PropertyMap }>;
  /** Refresh: re-reads the task and the cluster; `id: ""` when the task is gone. */
  read(id: string, props?: PropertyMap): Promise<ReadResult>;
  /** Applies in-place changes (or resumes an interrupted wait) and returns the full outputs. */
  update(
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<UpdateResult & { readonly outs: PropertyMap }>;
  /** Leaves the state; what happens to the vendor task is documented per resource. */
  delete(id: string, props: PropertyMap): Promise<void>;
}

/** True when `value` is the unknown sentinel or contains it at any depth. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
