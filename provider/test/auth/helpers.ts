import { ConfigError } from "../../src/errors";

/** The ConfigError `fn` throws, failing the test when it throws nothing or another error. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
