/**
 * The content digest of a readiness snapshot: equal facts give equal digests, whenever and however
 * often they are observed. Pulumi diffs and caches compare digests instead of whole snapshots.
 *
 * Facts are everything except `observedAt` (when we looked), `verdict` and `reasons` (derived,
 * and the reasons mention ages that change with the clock) and the digest itself.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { parseArgs } from "../internal/validate";
import { type ReadinessSnapshot, readinessSnapshotSchema } from "./model";

export type SnapshotFacts = Omit<ReadinessSnapshot, "observedAt" | "verdict" | "reasons" | "digest">;

/**
 * JSON with object keys sorted at every depth and `undefined` members dropped, so that two equal
 * values serialize to the same bytes whatever order their keys were built in. Array order is kept:
 * it is meaningful (builders sort findings deterministically before this runs).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // Non-finite numbers and undefined have no JSON form; null is what JSON.stringify would emit in arrays.
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(",")}}`;
}

/** The argument of `snapshotDigest`: a snapshot's facts, with or without what is not hashed. */
const digestArgSchema = z.object({
  snapshot: readinessSnapshotSchema.partial({ observedAt: true, verdict: true, reasons: true, digest: true }),
});

/** `sha256:<hex>` over the canonical JSON of the snapshot's facts. */
export function snapshotDigest(snapshot: SnapshotFacts | ReadinessSnapshot): string {
  parseArgs(digestArgSchema, { snapshot }, "snapshotDigest");
  return factsDigest(snapshot);
}

const NOT_HASHED: ReadonlySet<string> = new Set(["observedAt", "verdict", "reasons", "digest"]);

/** `snapshotDigest` of facts already known to be well formed (a builder's). */
export function factsDigest(snapshot: SnapshotFacts | ReadinessSnapshot): string {
  const facts = Object.fromEntries(Object.entries(snapshot).filter(([key]) => !NOT_HASHED.has(key)));
  return `sha256:${createHash("sha256").update(canonicalJson(facts)).digest("hex")}`;
}
