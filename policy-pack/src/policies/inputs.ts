/**
 * Reading resource inputs the way a fail-closed policy must.
 *
 * During preview the policy SDK wraps `props` in `unknownCheckingProxy`: touching a value that is not
 * known yet throws `UnknownValueError`, which the SDK would turn into an ADVISORY "can't run policy
 * during preview" note, i.e. the upgrade would pass the preview unchecked. Every read here catches
 * that error and returns `{ state: "unknown" }` instead, so the policy decides what an unknown means.
 *
 * Props that did not come through the proxy (direct calls, stack policies fed raw objects) may still
 * hold the engine's unknown sentinels; they are recognised too.
 */
import { UnknownValueError } from "@pulumi/policy";

/**
 * The engine's sentinels for values unknown during preview (one per value type). The engine sends
 * the string one for every type on the wire; the others appear after deserialization by type.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export type InputRead<T> =
  | { readonly state: "known"; readonly value: T }
  | { readonly state: "absent" }
  | { readonly state: "unknown"; readonly path: string }
  | { readonly state: "invalid"; readonly path: string; readonly problem: string };

/** True for the policy SDK's unknown-value error, from whichever copy of the SDK threw it. */
export function isUnknownValueError(error: unknown): boolean {
  if (typeof UnknownValueError === "function" && error instanceof UnknownValueError) return true;
  // A second copy of @pulumi/policy would make instanceof fail; the class name still tells.
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { constructor?: { name?: string } }).constructor?.name === "UnknownValueError"
  );
}

export function isUnknownSentinel(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** Reads `props[path[0]][path[1]]…`, classifying the result instead of throwing. */
export function readInput(props: unknown, path: readonly string[]): InputRead<unknown> {
  const dotted = path.join(".");
  try {
    let value: unknown = props;
    for (const key of path) {
      if (value === null || value === undefined) return { state: "absent" };
      if (typeof value !== "object") {
        return { state: "invalid", path: dotted, problem: `expected an object before "${key}"` };
      }
      value = (value as Record<string, unknown>)[key];
      if (isUnknownSentinel(value)) return { state: "unknown", path: dotted };
    }
    if (value === null || value === undefined) return { state: "absent" };
    return { state: "known", value };
  } catch (error) {
    if (isUnknownValueError(error)) return { state: "unknown", path: unknownPath(error, dotted) };
    throw error;
  }
}

/** The path the SDK's error names (`props` of `UnknownValueError`), else `fallback`. */
function unknownPath(error: unknown, fallback: string): string {
  const props = (error as { props?: unknown }).props;
  return Array.isArray(props) && props.length > 0 ? props.map(String).join(".") : fallback;
}

/** Reads a string input; an empty or blank string counts as absent. */
export function readString(props: unknown, path: readonly string[]): InputRead<string> {
  const read = readInput(props, path);
  if (read.state !== "known") return read;
  if (typeof read.value === "number" && Number.isFinite(read.value)) {
    return { state: "known", value: String(read.value) };
  }
  if (typeof read.value !== "string") {
    return { state: "invalid", path: path.join("."), problem: `expected a string, got ${typeof read.value}` };
  }
  const trimmed = read.value.trim();
  return trimmed === "" ? { state: "absent" } : { state: "known", value: trimmed };
}

/**
 * Reads a version input: a string, like `readString`, but a number is INVALID rather than read as
 * its text. A YAML or JSON program that writes `version: 1.30` sends the number 1.3, which is a
 * different version; quoting it is the only fix, so the policy says so instead of judging "1.3".
 */
export function readVersion(props: unknown, path: readonly string[]): InputRead<string> {
  const read = readInput(props, path);
  if (read.state === "known" && typeof read.value === "number") {
    return {
      state: "invalid",
      path: path.join("."),
      problem:
        `expected a string, got the number ${String(read.value)} (a number drops trailing zeros, so 1.30 ` +
        `reads as 1.3: write the version in quotes)`,
    };
  }
  return readString(props, path);
}

/**
 * Copies a (possibly proxied) input object into a plain value, so it can be parsed with zod or
 * compared without the proxy throwing half-way. Unknown anywhere inside makes the whole read unknown.
 */
export function readPlain(props: unknown, path: readonly string[]): InputRead<unknown> {
  const read = readInput(props, path);
  if (read.state !== "known") return read;
  try {
    return { state: "known", value: copyPlain(read.value, path.join(".")) };
  } catch (error) {
    if (error instanceof UnknownInside) return { state: "unknown", path: error.path };
    if (isUnknownValueError(error)) return { state: "unknown", path: unknownPath(error, path.join(".")) };
    throw error;
  }
}

class UnknownInside extends Error {
  constructor(readonly path: string) {
    super(`unknown value at ${path}`);
  }
}

function copyPlain(value: unknown, path: string): unknown {
  if (isUnknownSentinel(value)) throw new UnknownInside(path);
  if (Array.isArray(value)) {
    // An index loop rather than map(): species lookups through the SDK's proxy are best avoided.
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(copyPlain(value[i], `${path}.${i}`));
    return out;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key] = copyPlain((value as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return out;
  }
  return value;
}
