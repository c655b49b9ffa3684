import type { z } from "zod";
import { InputError, type InputIssue } from "../errors";

/** Converts zod issues into our dotted-path issues. */
export function toIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/**
 * Validates the arguments of a public function. Throws an `InputError` naming `where` and listing
 * every bad field, so the caller can fix them all at once.
 */
export function parseArgs<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(where, toIssues(result.error));
  return result.data;
}
