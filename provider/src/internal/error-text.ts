/**
 * Rewrites the text of an error in place, along its causes: the one walk behind the provider's
 * redaction of errors and the SDK's masking of secret arguments. In place, so the error keeps its
 * class, `code` and fields and callers still branch on them.
 */

/** How deep a chain of causes is followed: deeper ones are cut off rather than walked forever. */
const MAX_CAUSE_DEPTH = 8;

/** `error` and its causes, as far as `MAX_CAUSE_DEPTH` (a chain that loops ends there too). */
export function* errorChain(error: unknown): Generator<Error> {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    yield current;
    current = current.cause;
  }
}

/**
 * `error` with `rewrite` applied to the message, the stack and every other own string field (a
 * vendor's message, a request id) of it and of each cause. A string thrown is rewritten and
 * returned; anything else that is not an Error is returned as it is.
 */
export function rewriteErrorText<E>(error: E, rewrite: (text: string) => string): E {
  if (typeof error === "string") return rewrite(error) as E;
  for (const link of errorChain(error)) {
    for (const key of new Set(["message", "stack", ...Object.keys(link)])) {
      const text: unknown = Reflect.get(link, key);
      if (typeof text !== "string") continue;
      const enumerable = Object.getOwnPropertyDescriptor(link, key)?.enumerable ?? false;
      try {
        Object.defineProperty(link, key, {
          value: rewrite(text),
          writable: true,
          configurable: true,
          enumerable,
        });
      } catch {
        // A non-configurable property: nothing safer can be done in place than leaving it.
      }
    }
  }
  return error;
}
