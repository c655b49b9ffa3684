/**
 * Building blocks for the response schemas of both clouds. They absorb the differences between
 * what the vendors document and what they send (docs/cce.md#docs-versus-sdk, docs/ack.md#docs-versus-sdk) so that everything above the clients
 * sees one shape.
 */
import { z } from "zod";
import { normalizeTimestamp } from "../../internal/timestamps";
import { isRecord } from "../../internal/validate";

const timestampInput = z.union([z.string(), z.number()]);

/**
 * A timestamp in any format the clouds use (RFC 3339, Go `time.Time.String()`, zone-less
 * `YYYY-MM-DD HH:mm:ss`, epoch milliseconds as string or number), output as ISO 8601 UTC.
 * A value that is none of these is a shape error: silently keeping it would break "latest" logic.
 */
export const isoTimestamp = timestampInput.transform((value, ctx) => {
  const iso = normalizeTimestamp(value);
  if (iso === undefined) {
    ctx.addIssue({ code: "custom", message: `not a timestamp: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return iso;
});

/**
 * An optional timestamp. Vendors send `""` or `null` for "not yet" (e.g. the end time of a running
 * task); both become absent.
 */
export const optionalIsoTimestamp = z
  .preprocess((value) => (value === "" || value === null ? undefined : value), isoTimestamp.optional())
  .optional();

/** A string field vendors may also send as `null`; `null` becomes absent. */
export const optionalString = z
  .preprocess((value) => (value === null ? undefined : value), z.string().optional())
  .optional();

/**
 * A list the vendor sometimes sends as a single object (CCE `items`, docs/cce.md#docs-versus-sdk C1 and C12),
 * or omits / sends as `null` when empty. Always output as an array.
 */
export function arrayOrSingle<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]),
    z.array(item),
  );
}

/** A boolean sent as a boolean or as the string "true"/"false" (CCE `lineStatuses[].critical`). */
export const looseBoolean = z.preprocess((value) => {
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "true") return true;
    if (text === "false") return false;
  }
  return value;
}, z.boolean());

/** Any JSON object, kept as is (vendor maps whose keys we do not interpret). */
export const jsonObject = z.record(z.string(), z.unknown());

/** Renames `from` to `to` on a plain object when only `from` is present; other values pass through. */
export function renameKey(value: unknown, from: string, to: string): unknown {
  if (!isRecord(value) || !(from in value)) return value;
  const { [from]: moved, ...rest } = value;
  return to in rest && rest[to] !== undefined ? rest : { ...rest, [to]: moved };
}

/** The response schemas of operations documented to answer with no body (see `answersEmpty`). */
const EMPTY_ANSWERS = new WeakSet<z.ZodType>();

/**
 * Marks the schema of an operation the vendor documents as answering with no body (ACK CancelTask):
 * only such an operation may answer a 2xx with nothing. Any other empty answer is an error, never an
 * empty result (an empty list would read as "no checks", which the gate must not be told).
 */
export function answersEmpty<S extends z.ZodType>(schema: S): S {
  EMPTY_ANSWERS.add(schema);
  return schema;
}

/** True for a schema marked with `answersEmpty`. */
export function mayAnswerEmpty(schema: z.ZodType): boolean {
  return EMPTY_ANSWERS.has(schema);
}
