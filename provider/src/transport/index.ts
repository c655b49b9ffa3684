/** The HTTP layer of @upgrade-guard/provider: contract types, the undici transport and its parts. */
export {
  type Dispatcher,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type RetryMode,
  type SendOptions,
  type Transport,
  type TransportTimeouts,
  type RetryOptions,
  type LimitOptions,
  type TransportClock,
  type TransportLogEntry,
  type TransportOptions,
} from "./types";
export { createTransport } from "./transport";
export { systemClock } from "./clock";
export { DEFAULT_TIMEOUTS, DEFAULT_RETRY, DEFAULT_LIMITS, MAX_RESPONSE_BODY_BYTES } from "./defaults";
export {
  classifyResponse,
  classifyNetworkError,
  type ResponseVerdict,
  type NetworkVerdict,
} from "./classify";
export { backoffDelayMs, serverRetryAfterMs, retryDelayMs } from "./retry";
export { redactUrl } from "./redact-url";
