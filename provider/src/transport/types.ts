/**
 * The contract of the HTTP layer. Everything above `transport/` speaks these types; only
 * `transport/` imports undici (a lint rule enforces it).
 */
import type { Dispatcher } from "undici";
import type { Cloud } from "../errors";

/** Re-exported so upper layers can accept an injected dispatcher without importing undici. */
export type { Dispatcher };

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Absolute URL, query string included. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes to send (signers hash this string). */
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** From `X-Request-Id` or `x-acs-request-id`. */
  readonly requestId: string | undefined;
  /** How many attempts it took (1 = no retry). */
  readonly attempts: number;
}

/**
 * - `idempotent`: reads and other safe calls; retried on network errors, 5xx and throttling.
 * - `create`: task-creating POSTs; retried only when the request certainly did not reach the server
 *   (connection refused, throttled or 503 before processing). After an ambiguous failure the
 *   transport throws a `TransportError` with `ambiguous: true`, or returns the 5xx answer, and the
 *   caller looks for the task it may have created (clients/common/create-recovery.ts).
 */
export type RetryMode = "idempotent" | "create";

export interface SendOptions {
  readonly cloud: Cloud;
  /** Vendor operation name, for errors and logs (`ShowPreCheck`, `GetClusterCheck`). */
  readonly operation: string;
  readonly retryMode: RetryMode;
  /** Called per attempt (fresh date and nonce), with the signal so a slow IAM token fetch can stop. */
  readonly sign?: (request: HttpRequest, signal?: AbortSignal) => HttpRequest | Promise<HttpRequest>;
  readonly signal?: AbortSignal;
  /**
   * Who is calling, as a non-secret key (a digest of the access key id, never the key): the
   * limits are per cloud, endpoint, account and operation, so two accounts' requests never share a bucket.
   */
  readonly account?: string;
  /** Limits configured for the account (its rate), over the transport's own where it has none set. */
  readonly limits?: Partial<LimitOptions>;
}

export interface Transport {
  /**
   * Sends the request with retries. Resolves with the final HTTP response whatever its status
   * (callers map non-2xx to `ApiError`); rejects with `TransportError` when no response came.
   */
  send(request: HttpRequest, options: SendOptions): Promise<HttpResponse>;
  /** Closes the dispatcher if the transport created it. */
  close(): Promise<void>;
}

export interface TransportTimeouts {
  /** TCP/TLS connect timeout. Default 10 s. */
  readonly connectMs: number;
  /** Time to the response headers. Default 30 s. */
  readonly headersMs: number;
  /** Time between body chunks. Default 30 s. */
  readonly bodyMs: number;
}

export interface RetryOptions {
  /** Attempts in all, first included. Default 4. */
  readonly maxAttempts: number;
  /** First backoff ceiling; full jitter picks uniformly in [0, ceiling]. Default 200 ms. */
  readonly baseDelayMs: number;
  /** Cap of one backoff, and of a server's wait hint (`Retry-After`, `x-acs-retry-after`). Default 20 s. */
  readonly maxDelayMs: number;
  /** Overall deadline of one `send`, all attempts and waits included. Default 120 s. */
  readonly deadlineMs: number;
}

/** Limits per cloud, endpoint (origin), account and operation; see docs/rate-limits.md for the defaults. */
export interface LimitOptions {
  /** Requests in flight. Default 16. */
  readonly concurrency: number;
  /**
   * Requests per second: the start and the ceiling of the adaptive rate (halved on a throttling
   * answer, recovered on the others). Default 100.
   */
  readonly ratePerSecond: number;
  /** Token-bucket size: requests sent at once before the rate applies. Default 100. */
  readonly burst: number;
}

/** Clock and randomness, injected so retry and rate-limit tests run without real time. */
export interface TransportClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export interface TransportLogEntry {
  readonly operation: string;
  readonly method: HttpMethod;
  /** Redacted. */
  readonly url: string;
  readonly attempt: number;
  readonly status?: number;
  readonly requestId?: string;
  readonly error?: string;
  readonly retryInMs?: number;
  readonly durationMs: number;
}

export interface TransportOptions {
  /** An undici Agent by default; a MockAgent in unit tests. */
  readonly dispatcher?: Dispatcher;
  /** Connect, headers and body timeouts; each unset one keeps its default. */
  readonly timeouts?: Partial<TransportTimeouts>;
  /** Attempts, backoff and the overall deadline of one `send`; each unset one keeps its default. */
  readonly retry?: Partial<RetryOptions>;
  /** Concurrency and rate limits per origin; each unset one keeps its default. */
  readonly limits?: Partial<LimitOptions>;
  /** Time and randomness for backoff and rate limits; the real clock by default. */
  readonly clock?: TransportClock;
  /** Receives one entry per attempt, already redacted. */
  readonly log?: (entry: TransportLogEntry) => void;
  /** The `User-Agent` header sent; `upgrade-guard/<version> (node <version>)` by default. */
  readonly userAgent?: string;
  /**
   * Share an identical read already in flight instead of sending it again (default true). False:
   * every call sends its own request, e.g. to measure the cloud's rate limits call by call.
   */
  readonly shareReads?: boolean;
}

/** `T` with its members writable: for option objects built member by member on a hot path. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
