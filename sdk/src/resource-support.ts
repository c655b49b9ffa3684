/** Helpers the resource classes share. */
import type * as pulumi from "@pulumi/pulumi";
import type * as ProviderImpl from "@upgrade-guard/provider/impl";
import type { z } from "zod";
import { providerImpl } from "./lazy";
import * as providers from "./providers";
import { TOKEN_MODULES } from "./tokens";

type ResourceName = providers.ResourceName;

/** The provider's schema of a resource's inputs (`cceClusterPrecheck` → `cceClusterPrecheckInputsSchema`). */
type InputsSchema<R extends ResourceName> = (typeof ProviderImpl)[`${R}InputsSchema`];
/** The provider's schema of a resource's computed outputs. */
type OutputsSchema<R extends ResourceName> = (typeof ProviderImpl)[`${R}OutputsSchema`];

/**
 * Seeds every property the provider's schemas list (the inputs, then the computed outputs) with
 * `undefined`: Pulumi registers a property the program did not set as an output, which the provider
 * then fills, so a field added to a schema is an `Output` of the resource without another list to
 * update. (Declared on the class with `declare`, never as a field: an ES2022 class field would
 * overwrite the output with `undefined` after `super()`.)
 */
function seedOutputs(resource: ResourceName): Record<string, undefined> {
  const impl = providerImpl();
  const schemas: readonly z.ZodObject[] = [impl[`${resource}InputsSchema`], impl[`${resource}OutputsSchema`]];
  return Object.fromEntries(
    schemas.flatMap((schema) => Object.keys(schema.shape)).map((name) => [name, undefined]),
  );
}

/** The module and type of each resource's token (its provider is `providers.<resource>Provider`). */
const TOKEN_PARTS = {
  cceClusterPrecheck: [TOKEN_MODULES.cce, "ClusterPrecheck"],
  cceAddonPrecheck: [TOKEN_MODULES.cce, "AddonPrecheck"],
  cceUpgradeWorkflow: [TOKEN_MODULES.cce, "UpgradeWorkflow"],
  cceClusterUpgrade: [TOKEN_MODULES.cce, "ClusterUpgrade"],
  ackClusterCheck: [TOKEN_MODULES.ack, "ClusterCheck"],
  ackClusterUpgrade: [TOKEN_MODULES.ack, "ClusterUpgrade"],
} as const satisfies Record<ResourceName, readonly [string, string]>;

/**
 * The arguments of `pulumi.dynamic.Resource`'s constructor for `resource`, so each class's
 * constructor is `super(...registration("cceClusterPrecheck", name, args, opts))`: its provider
 * shim, the program's `args` over every schema key seeded as an output, and its token's parts.
 */
export function registration(
  resource: ResourceName,
  name: string,
  args: object,
  opts: ResourceOptions | undefined,
): [pulumi.dynamic.ResourceProvider, string, pulumi.Inputs, ResourceOptions | undefined, string, string] {
  const [module, type] = TOKEN_PARTS[resource];
  return [providers[`${resource}Provider`], name, { ...seedOutputs(resource), ...args }, opts, module, type];
}

/** True when `obj` is a resource registered with type `token` (works across copies of the SDK). */
export function hasPulumiType(obj: unknown, token: string): boolean {
  return (
    typeof obj === "object" && obj !== null && (obj as { __pulumiType?: unknown }).__pulumiType === token
  );
}

/** Resource options accepted by every upgrade-guard resource. */
export type ResourceOptions = pulumi.CustomResourceOptions;

// Compile-time checks that a resource class and its documented `Args` match the provider's schemas.
// Each resource module states `export type ...MatchesSchemas = NoDrift<SchemaDrift<...> | ...>`; a
// drift fails the build with an error that names the property, e.g.
//   Type '"newField: an input of the provider's schema the Args lack"' does not satisfy 'never'.

/** The keys of an object schema (its `shape`; the loose index signature of its type is not one). */
type SchemaKey<S extends z.ZodObject> = keyof S["shape"] & string;

/** The Args properties whose values, unwrapped, the schema's input type does not accept. */
type Unaccepted<Args, In> = {
  [K in keyof Args & keyof In]-?: [pulumi.Unwrap<Args[K]>] extends [In[K]] ? never : K;
}[keyof Args & keyof In] &
  string;

/**
 * `never` when `Args` has exactly the properties of the input schema and accepts only values its
 * type accepts; otherwise one message per property that drifted.
 */
type ArgsDrift<Args, Inputs extends z.ZodObject> =
  | `${Exclude<SchemaKey<Inputs>, keyof Args>}: an input of the provider's schema the Args lack`
  | `${Exclude<keyof Args & string, SchemaKey<Inputs>>}: in the Args but not an input of the provider's schema`
  | `${Unaccepted<Args, z.input<Inputs>>}: the Args accept values the provider's schema rejects`;

/** The `Output` properties a resource class declares, without `id` and `urn`. */
type DeclaredOutput<Resource> = Exclude<
  { [K in keyof Resource]-?: Resource[K] extends pulumi.OutputInstance<unknown> ? K : never }[keyof Resource],
  keyof pulumi.CustomResource
> &
  string;

/**
 * `never` when a resource class declares an `Output` for exactly the keys of its input and output
 * schemas (inputs are echoed as outputs); otherwise one message per property that drifted.
 */
type OutputsDrift<Resource, Inputs extends z.ZodObject, Outputs extends z.ZodObject> =
  | `${Exclude<SchemaKey<Inputs> | SchemaKey<Outputs>, DeclaredOutput<Resource>>}: in the provider's schemas but not declared on the resource class`
  | `${Exclude<DeclaredOutput<Resource>, SchemaKey<Inputs> | SchemaKey<Outputs>>}: declared on the resource class but in neither schema`;

/**
 * `never` when a resource class matches its schemas: its `Args` have exactly the inputs and accept
 * only values the input schema accepts, and it declares an `Output` for exactly the keys of both
 * schemas. Otherwise one message per property that drifted.
 */
export type SchemaDrift<Args, Resource, R extends ResourceName> =
  ArgsDrift<Args, InputsSchema<R>> | OutputsDrift<Resource, InputsSchema<R>, OutputsSchema<R>>;

/** The named keys of `T` (a loose schema's index signature is not one). */
type KnownKey<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] } & string;
/** A list's element type, anything else as it is. */
type Element<T> = T extends readonly (infer E)[] ? E : T;

/** What input schema `S` takes for property `K` (the element, for a list). */
type InputMember<S extends z.ZodObject, K extends SchemaKey<S>> = Element<NonNullable<z.input<S>[K]>>;
/** What output schema `S` holds in property `K` (the element, for a list). */
type OutputMember<S extends z.ZodObject, K extends SchemaKey<S>> = Element<NonNullable<z.output<S>[K]>>;

/** What resource `R`'s input schema takes for property `K` (the element, for a list). */
export type SchemaInput<R extends ResourceName, K extends SchemaKey<InputsSchema<R>>> = InputMember<
  InputsSchema<R>,
  K
>;
/** What resource `R`'s output schema holds in property `K` (the element, for a list). */
export type SchemaOutput<R extends ResourceName, K extends SchemaKey<OutputsSchema<R>>> = OutputMember<
  OutputsSchema<R>,
  K
>;

/**
 * `never` when a documented SDK type (the element of an input or output, e.g. `UpgradeGate`) has
 * exactly the members the schema gives that property (`FromSchema`, see `SchemaInput` and
 * `SchemaOutput`); otherwise one message per member that drifted, prefixed with `Where`.
 */
export type MemberDrift<Declared, FromSchema, Where extends string> =
  | `${Where}.${Exclude<KnownKey<FromSchema>, keyof Declared>}: in the provider's schema but not in the SDK type`
  | `${Where}.${Exclude<keyof Declared & string, KnownKey<FromSchema>>}: in the SDK type but not in the provider's schema`;

/** Compiles only when `Drift` is `never`: the compiler's error then names each drifted property. */
export type NoDrift<Drift extends never> = Drift;
