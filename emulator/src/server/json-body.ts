/**
 * JSON request bodies, validated with zod; failures become the caller's vendor error. The services
 * declare their own schemas, independent of the provider's on purpose (README "Request bodies are
 * validated independently").
 */
import { type z } from "zod";
import { type VendorError } from "./vendor-errors";

export function parseJson(body: Buffer, invalid: (message: string) => VendorError): unknown {
  if (body.length === 0) throw invalid("the request body is empty");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw invalid("the request body is not valid JSON");
  }
}

export function validateBody<S extends z.ZodType>(
  schema: S,
  body: Buffer,
  invalid: (message: string) => VendorError,
): z.output<S> {
  const parsed = schema.safeParse(parseJson(body, invalid));
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((i) => `${i.path.length === 0 ? "body" : i.path.map(String).join(".")}: ${i.message}`)
    .join("; ");
  throw invalid(`invalid request body: ${detail}`);
}
