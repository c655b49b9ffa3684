/**
 * Pulumi's wire forms the engine handles: the unknown sentinel, secrets
 * (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`) and the
 * conversions between protobuf Structs and plain values.
 */
import { toStruct, UNKNOWN } from "./plugins";

export { toStruct, UNKNOWN };
/** The key that marks a special value, and the signature of a secret. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface SecretValue {
  readonly [SIG_KEY]: typeof SECRET_SIG;
  readonly value: unknown;
}

export type PropertyMap = Record<string, unknown>;

export function isSecret(value: unknown): value is SecretValue {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG &&
    "value" in (value as Record<string, unknown>)
  );
}

export function secret(value: unknown): SecretValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** The value with every secret wrapper removed (what a provider that does not accept secrets gets). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapSecrets(item)]));
  }
  return value;
}

/** True when a secret wrapper is anywhere inside `value`. */
export function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

/** True when the unknown sentinel is anywhere inside `value` (an output not known in preview). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** Every plaintext string inside secrets of `value`, so text output can mask them. */
export function secretStrings(value: unknown, into: Set<string> = new Set()): Set<string> {
  const collect = (item: unknown, inSecret: boolean): void => {
    if (isSecret(item)) return collect(item.value, true);
    if (typeof item === "string" && inSecret && item.length >= 4) into.add(item);
    else if (Array.isArray(item)) item.forEach((member) => collect(member, inSecret));
    else if (typeof item === "object" && item !== null)
      Object.values(item).forEach((member) => collect(member, inSecret));
    else if ((typeof item === "number" || typeof item === "boolean") && inSecret) into.add(String(item));
  };
  collect(value, false);
  return into;
}

/**
 * The engine's own re-marking after a provider that does not accept secrets: an output whose key
 * was a secret input is secret again (`annotateSecrets`).
 */
export function remarkSecrets(outputs: PropertyMap, inputs: PropertyMap): PropertyMap {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, value]) => [
      key,
      containsSecret(inputs[key]) && !isSecret(value) ? secret(value) : value,
    ]),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromStruct(struct: any): PropertyMap {
  return struct === undefined || struct === null ? {} : (struct.toJavaScript() as PropertyMap);
}
