/** Helpers the resource classes share. */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Seeds every output property with `undefined`: Pulumi registers a property the program did not
 * set as an output, which the provider then fills. (Declared on the class with `declare`, never as
 * a field: an ES2022 class field would overwrite the output with `undefined` after `super()`.)
 */
export function seedOutputs(names: readonly string[]): Record<string, undefined> {
  return Object.fromEntries(names.map((name) => [name, undefined]));
}

/** True when `obj` is a resource registered with type `token` (works across copies of the SDK). */
export function hasPulumiType(obj: unknown, token: string): boolean {
  return (
    typeof obj === "object" && obj !== null && (obj as { __pulumiType?: unknown }).__pulumiType === token
  );
}

/** Resource options accepted by every upgrade-guard resource. */
export type ResourceOptions = pulumi.CustomResourceOptions;
