/**
 * @upgrade-guard/provider: everything that talks to the clouds.
 * The public surface is listed here by name (no `export *`), so a change to it is a visible diff.
 */
export {
  UpgradeGuardError,
  ConfigError,
  InputError,
  TransportError,
  ApiError,
  ResponseShapeError,
  WaitError,
  type ErrorCode,
  type Cloud,
  type ApiErrorCategory,
  type InputIssue,
} from "./errors";
export { redact, redactHeaders } from "./internal/redact";
export { normalizeTimestamp, parseTimestamp } from "./internal/timestamps";
