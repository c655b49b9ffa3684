/**
 * The one module that performs HTTP (a lint rule keeps undici here). One `send` is a loop of
 * attempts; each attempt waits for a per-origin slot and rate token, asks the caller to sign (fresh
 * date and nonce), dispatches through undici, reads the body with a size cap, then decides from the
 * classification tables whether to return, throw or wait and try again.
 *
 * Deadline policy: the deadline covers the whole send, queueing and backoff included. A wait that
 * would end after the deadline is not started. When the last attempt produced an HTTP answer, that
 * answer is returned (the caller maps it to an `ApiError` that carries the vendor code and request
 * id, which says more than "deadline exceeded"); when it produced no answer, the send rejects with
 * `TransportError("DEADLINE_EXCEEDED")`. The exception: when the server asked for a wait
 * (`Retry-After`, `x-acs-retry-after`) that ends after the deadline, the send fails at once with a
 * `DEADLINE_EXCEEDED` that says how long the server asked for and which option sets the deadline,
 * rather than returning an answer that reads as a plain throttle.
 */
import type * as Undici from "undici";
import { type Dispatcher } from "undici";
import { InputError, TransportError, type TransportErrorCode } from "../errors";
import { redact } from "../internal/redact";
import { parseOptions } from "../internal/validate";
import { attempt, AttemptDeadlineError, originOf } from "./attempt";
import { classifyNetworkError, classifyResponse, vendorCodesOf } from "./classify";
import { transportOptionsSchema } from "./options";
import { systemClock } from "./clock";
import {
  DEFAULT_LIMITS,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUTS,
  DEFAULT_USER_AGENT,
  MAX_RESPONSE_BODY_BYTES,
  THROTTLED_ATTEMPTS_FACTOR,
} from "./defaults";
import { createOriginLimits, LimitWaitError, type OriginLimiter, type WaitContext } from "./limits";
import { redactUrl } from "./redact-url";
import { retryDelay, retryDelayMs, type RetryDelay } from "./retry";
import {
  type HttpRequest,
  type HttpResponse,
  type Mutable,
  type RetryOptions,
  type SendOptions,
  type Transport,
  type TransportClock,
  type TransportLogEntry,
  type TransportOptions,
} from "./types";

/**
 * undici, loaded at the first request rather than at import: it is a tenth of a second of start-up
 * that every `pulumi preview` importing the SDK would otherwise pay, most of them sending nothing.
 * `require`, not `import()`: the compiled CommonJS then loads the same way under node and jest.
 */
let undiciModule: typeof Undici | undefined;
function undici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (undiciModule ??= require("undici") as typeof Undici);
}

/** An answer while its send decides what to do with it; `attempts` is set when it is returned. */
type AttemptResponse = Mutable<HttpResponse>;

type Outcome = { kind: "response"; response: AttemptResponse } | { kind: "failure"; error: unknown };

type Step =
  | { action: "return"; response: AttemptResponse }
  | { action: "throw"; error: TransportError }
  | { action: "retry"; delayMs: number };

/** One send's state, which the attempt helpers read and update. */
interface SendState {
  readonly request: HttpRequest;
  readonly options: SendOptions;
  readonly deadline: number;
  readonly limiter: OriginLimiter;
  mayHaveReachedServer: boolean;
  redactedUrl: string | undefined;
}

/** The defaults overlaid with the given settings; a setting given as `undefined` keeps its default. */
function withDefaults<T extends object>(defaults: T, given: unknown): T {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  if (typeof given === "object" && given !== null)
    for (const [key, value] of Object.entries(given)) if (value !== undefined) out[key] = value;
  return out as T;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as Partial<PromiseLike<T>>).then === "function";
}

/** An AbortSignal, or anything shaped like one (another realm's, a polyfill's). */
function isSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function"
  );
}

/**
 * One read in flight that identical reads join. It runs on a signal of its own, never a caller's:
 * each caller waits with its own deadline and abort signal, and the read is stopped only when every
 * caller has stopped waiting.
 */
interface SharedRead {
  readonly promise: Promise<HttpResponse>;
  /** When the read's own send gives up; a caller whose deadline ends much later sends its own read. */
  readonly deadline: number;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * Identical reads in flight at once, shared by every transport of the process on the real clock and
 * the default dispatcher (as the limiters are): fifty data-function calls for one cluster at once
 * send each read once. Keyed by cloud, account, operation and URL.
 */
const processReads = new Map<string, SharedRead>();

/**
 * A read whose deadline ends at most this much before a new caller's is still joined: callers with
 * the same deadline setting arrive a few ms apart, and sending each its own read would undo the
 * sharing. Such a caller may see the read's deadline failure up to this much before its own.
 */
const JOIN_SLACK_MS = 1000;

/**
 * The HTTP layer both clients use: retries, deadlines, per-origin limits and redacted logs in one
 * place. Throws `InputError` naming every unknown or ill-typed option (with a did-you-mean for a
 * near miss); opens no connection until the first `send`.
 */
export function createTransport(options: TransportOptions = {}): Transport {
  return createDisposableTransport(options);
}

/** A transport for one short job (a credential fetch), which can also be ended at once. */
export interface DisposableTransport extends Transport {
  /**
   * Closes the dispatcher it created without waiting: what is still queued fails at once. `close`
   * waits for a pending connect to time out, which against a host that drops SYNs is the whole
   * connect timeout.
   */
  destroy(): Promise<void>;
}

/** `createTransport`, with `destroy` as well (internal: the public `Transport` has no such member). */
export function createDisposableTransport(options: TransportOptions = {}): DisposableTransport {
  parseOptions(transportOptionsSchema, options, "createTransport");
  const timeouts = withDefaults(DEFAULT_TIMEOUTS, options.timeouts);
  const retry: RetryOptions = withDefaults(DEFAULT_RETRY, options.retry);
  const limits = withDefaults(DEFAULT_LIMITS, options.limits);
  // A rate set on the transport itself wins over the account's configured one.
  const explicitRate = options.limits?.ratePerSecond !== undefined;

  const clock: TransportClock = options.clock ?? systemClock;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  // On the real clock, limits are shared per origin across the process (see createOriginLimits); a
  // transport with an injected clock keeps its own, since a bucket must not mix two clocks' times.
  const limiterFor = createOriginLimits(limits, options.clock === undefined ? "process" : "transport");
  // Reads are coalesced process-wide only where they would share limits and connections anyway.
  const readsInFlight =
    options.clock === undefined && options.dispatcher === undefined
      ? processReads
      : new Map<string, SharedRead>();
  let ownedAgent: Undici.Agent | undefined;

  // Created on first use so that merely building a transport opens nothing.
  const dispatcher = (): Dispatcher =>
    options.dispatcher ??
    (ownedAgent ??= new (undici().Agent)({
      connect: { timeout: timeouts.connectMs },
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
    }));

  const emit = (entry: TransportLogEntry): void => {
    if (options.log === undefined) return;
    try {
      options.log(entry);
    } catch {
      // a failing logger must not fail the request
    }
  };

  /** One attempt (see attempt.ts), its undici timeouts no longer than what is left of the deadline. */
  async function dispatch(
    request: HttpRequest,
    signal: AbortSignal | undefined,
    deadline: number,
  ): Promise<HttpResponse> {
    const remainingMs = Math.max(1, deadline - clock.now());
    const headers: Record<string, string> = { "user-agent": userAgent };
    for (const name in request.headers) headers[name.toLowerCase()] = request.headers[name] as string;
    const answer = await attempt(request, {
      dispatcher: dispatcher(),
      headers,
      headersTimeoutMs: Math.min(timeouts.headersMs, remainingMs),
      bodyTimeoutMs: Math.min(timeouts.bodyMs, remainingMs),
      remainingMs,
      maxBodyBytes: MAX_RESPONSE_BODY_BYTES,
      signal,
    });
    // `attempts` is set by the send that returns it.
    return {
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      requestId: answer.headers["x-request-id"] ?? answer.headers["x-acs-request-id"],
      attempts: 0,
    };
  }

  /**
   * A read that is already in flight with the same key is not sent again: its caller gets the same
   * answer. Only reads that name their account are shared, and only while in flight: a later read
   * is fresh. Each caller keeps its own deadline and abort signal (see `join`); one whose deadline
   * ends more than JOIN_SLACK_MS after the read's own sends a read of its own, which later callers
   * then join.
   */
  function send(request: HttpRequest, sendOptions: SendOptions): Promise<HttpResponse> {
    const { signal } = sendOptions;
    // Without an account key two callers with different credentials could share an answer. A wrong
    // signal goes to sendNow, which names it.
    if (
      options.shareReads === false ||
      request.method !== "GET" ||
      sendOptions.retryMode !== "idempotent" ||
      sendOptions.account === undefined ||
      (signal !== undefined && !isSignal(signal))
    )
      return sendNow(request, sendOptions);
    const key = `${sendOptions.cloud}\n${sendOptions.account}\n${sendOptions.operation}\n${request.url}\n${JSON.stringify(request.headers)}`;
    const deadline = clock.now() + retry.deadlineMs;
    let shared = readsInFlight.get(key);
    if (shared === undefined || shared.deadline < deadline - JOIN_SLACK_MS) {
      const controller = new AbortController();
      const { signal: _callers, ...rest } = sendOptions;
      const read: SharedRead = {
        // Removed once settled, through the promise: a send that fails before its first await (a
        // signer that throws) settles only after this entry is stored.
        promise: sendNow(request, { ...rest, signal: controller.signal }, deadline).finally(() => {
          if (readsInFlight.get(key) === read) readsInFlight.delete(key);
        }),
        deadline,
        controller,
        waiters: 0,
      };
      // Its callers see its outcome through `join`; one left unwatched (all gone) is not unhandled.
      read.promise.catch(() => undefined);
      readsInFlight.set(key, read);
      shared = read;
    }
    return join(shared, key, request, sendOptions, deadline);
  }

  /**
   * Waits for a shared read until it settles, this caller's deadline passes or its signal aborts.
   * The last caller to stop waiting stops the read and forgets it, so no later caller joins a
   * read that is being cancelled.
   */
  function join(
    shared: SharedRead,
    key: string,
    request: HttpRequest,
    sendOptions: SendOptions,
    deadline: number,
  ): Promise<HttpResponse> {
    const { signal } = sendOptions;
    // The read gives up no more than JOIN_SLACK_MS before this caller would: a timer only for a caller
    // that would give up first.
    const ownTimer = deadline < shared.deadline;
    shared.waiters += 1;
    // A caller that can neither abort nor time out first waits to the end: never counted out.
    if (signal === undefined && !ownTimer) return shared.promise;
    return new Promise<HttpResponse>((resolve, reject) => {
      const stopTimer = new AbortController();
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        stopTimer.abort();
        signal?.removeEventListener("abort", onAbort);
        shared.waiters -= 1;
        if (shared.waiters === 0 && readsInFlight.get(key) === shared) {
          readsInFlight.delete(key);
          shared.controller.abort(new Error("every caller of a shared read stopped waiting"));
        }
        settle();
      };
      const fail = (code: TransportErrorCode, what: string, cause?: unknown): void =>
        finish(() => reject(joinFailure(request, sendOptions, code, what, cause)));
      const onAbort = (): void =>
        fail("ABORTED", "aborted while waiting for the same read in flight", signal?.reason);
      shared.promise.then(
        (response) => finish(() => resolve(response)),
        (error: unknown) => finish(() => reject(error)),
      );
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
      if (ownTimer)
        clock.sleep(Math.max(0, deadline - clock.now()), stopTimer.signal).then(
          () =>
            fail(
              "DEADLINE_EXCEEDED",
              `deadline of ${retry.deadlineMs} ms passed while waiting for the same read in flight`,
            ),
          () => undefined,
        );
    });
  }

  /** A caller of a shared read stopped waiting: the read was sent, so it may have reached the server. */
  function joinFailure(
    request: HttpRequest,
    sendOptions: SendOptions,
    code: TransportErrorCode,
    what: string,
    cause: unknown,
  ): TransportError {
    return new TransportError(
      code,
      `${label({ request, options: sendOptions, redactedUrl: undefined })}: ${what}`,
      {
        operation: sendOptions.operation,
        attempts: 0,
        ambiguous: true,
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }

  /** What one send's errors and log entries say; built only when one is needed. */
  function label(send: Pick<SendState, "request" | "options" | "redactedUrl">): string {
    send.redactedUrl ??= redactUrl(send.request.url);
    return `${send.options.cloud.toUpperCase()} ${send.options.operation} (${send.request.method} ${send.redactedUrl})`;
  }

  function failure(
    send: SendState,
    code: TransportErrorCode,
    what: string,
    attempts: number,
    cause?: unknown,
  ): TransportError {
    return new TransportError(
      code,
      `${label(send)}: ${what} after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
      {
        operation: send.options.operation,
        attempts,
        ambiguous: send.mayHaveReachedServer,
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }

  /** A wait for a slot or token failed; `attempt` never started, so the attempts made are one fewer. */
  function queueFailure(send: SendState, error: unknown, attempt: number): unknown {
    if (!(error instanceof LimitWaitError)) return error;
    log(send, attempt, 0, { error: error.message });
    if (error.reason === "aborted") return failure(send, "ABORTED", "aborted while queued", attempt - 1);
    const what = `deadline of ${retry.deadlineMs} ms passed while queued`;
    return failure(send, "DEADLINE_EXCEEDED", what, attempt - 1);
  }

  function waitContext(send: SendState): WaitContext {
    const signal = send.options.signal;
    return signal === undefined
      ? { clock, deadline: send.deadline }
      : { clock, deadline: send.deadline, signal };
  }

  /** The server asked for a wait that ends after the deadline: say so, and how to allow it. */
  function hintPastDeadline(
    send: SendState,
    response: AttemptResponse,
    delay: RetryDelay,
    attempt: number,
  ): TransportError {
    const seconds = (ms: number): string => `${Math.ceil(ms / 100) / 10} s`;
    const hint = delay.hint as NonNullable<RetryDelay["hint"]>;
    const capped =
      delay.ms < hint.ms ? ` (upgrade-guard waits at most ${seconds(delay.ms)}, retry.maxDelayMs)` : "";
    const left = Math.max(0, send.deadline - clock.now());
    const code = vendorCodesOf(response.body)[0];
    const answer = [`HTTP ${response.status}`, code, response.requestId && `request id ${response.requestId}`]
      .filter(Boolean)
      .join(", ");
    const what =
      `the service asked (${hint.header}) to wait ${seconds(hint.ms)} before another attempt${capped}, ` +
      `but only ${seconds(left)} are left of the ${seconds(retry.deadlineMs)} deadline (${answer}); ` +
      "raise the deadline with retry.deadlineMs (a client's transport.retry.deadlineMs) or try again later";
    return failure(send, "DEADLINE_EXCEEDED", what, attempt);
  }

  function decide(send: SendState, outcome: Outcome, attempt: number): Step {
    const { limiter } = send;
    const { operation, retryMode, signal } = send.options;
    if (outcome.kind === "response") {
      const { response } = outcome;
      const verdict = classifyResponse(response.status, response.body);
      // The rate follows the server: down on "too many requests", back up on any other answer.
      if (verdict.throttled) {
        limiter.bucket.throttled(clock.now());
        limiter.account.throttled(operation, clock.now());
      } else {
        limiter.bucket.answered(clock.now());
        limiter.account.answered(clock.now());
      }
      const allowed = verdict.retryable && (retryMode === "idempotent" || verdict.notProcessed);
      // A throttled request was not processed and the limiter has already slowed down: it may wait
      // longer (the vendors' advice is to wait and retry), still within the deadline.
      const attempts =
        verdict.throttled && retry.maxAttempts > 1
          ? retry.maxAttempts * THROTTLED_ATTEMPTS_FACTOR
          : retry.maxAttempts;
      if (!allowed || attempt >= attempts) return { action: "return", response };
      const delay = retryDelay(attempt, response.headers, retry, clock);
      if (clock.now() + delay.ms > send.deadline) {
        if (delay.hint === undefined) return { action: "return", response };
        return { action: "throw", error: hintPastDeadline(send, response, delay, attempt) };
      }
      return { action: "retry", delayMs: delay.ms };
    }
    const { error } = outcome;
    // Built on this failure path only, so an answered attempt allocates no closure.
    const thrown = (code: TransportErrorCode, what: string): Step => ({
      action: "throw",
      error: failure(send, code, what, attempt, error),
    });
    if (error instanceof AttemptDeadlineError) {
      // It was sent, and part of the answer may have come: whether it was processed is unknown.
      send.mayHaveReachedServer = true;
      return thrown("DEADLINE_EXCEEDED", `deadline of ${retry.deadlineMs} ms passed (${error.message})`);
    }
    if (signal?.aborted) {
      send.mayHaveReachedServer = true; // it was dispatched; whether it arrived is unknown
      return thrown("ABORTED", "aborted");
    }
    const verdict = classifyNetworkError(error);
    if (verdict.ambiguous) send.mayHaveReachedServer = true;
    const what = `${verdict.timeout ? "timed out" : "network error"} (${describeError(error)})`;
    if (verdict.timeout && clock.now() >= send.deadline) return thrown("DEADLINE_EXCEEDED", what);
    const allowed = verdict.retryable && (retryMode === "idempotent" || !verdict.ambiguous);
    if (!allowed || attempt >= retry.maxAttempts)
      return thrown(verdict.timeout ? "TIMEOUT" : "NETWORK", what);
    const delayMs = retryDelayMs(attempt, undefined, retry, clock);
    if (clock.now() + delayMs > send.deadline) {
      return thrown("DEADLINE_EXCEEDED", `${what}; no time left for another attempt`);
    }
    return { action: "retry", delayMs };
  }

  /** One log entry of a send: what every entry names, and what this one says. */
  function log(
    send: SendState,
    attempt: number,
    durationMs: number,
    says: Pick<TransportLogEntry, "status" | "requestId" | "error" | "retryInMs">,
  ): void {
    send.redactedUrl ??= redactUrl(send.request.url);
    emit({
      operation: send.options.operation,
      method: send.request.method,
      url: send.redactedUrl,
      attempt,
      durationMs,
      ...says,
    });
  }

  function logAttempt(
    send: SendState,
    attempt: number,
    startedAt: number,
    outcome: Outcome,
    step: Step,
  ): void {
    log(send, attempt, Math.max(0, clock.now() - startedAt), {
      ...(outcome.kind === "response"
        ? {
            status: outcome.response.status,
            ...(outcome.response.requestId === undefined ? {} : { requestId: outcome.response.requestId }),
          }
        : { error: redact(describeError(outcome.error)) }),
      ...(step.action === "retry" ? { retryInMs: step.delayMs } : {}),
    });
  }

  /**
   * The attempts of one send. The helpers above take the send's state instead of closing over it,
   * so a call that succeeds at the first attempt allocates no closures (this runs on every call).
   */
  async function sendNow(
    request: HttpRequest,
    sendOptions: SendOptions,
    deadline = clock.now() + retry.deadlineMs,
  ): Promise<HttpResponse> {
    const { signal } = sendOptions;
    // A wrong signal (from an untyped caller's call options) would otherwise fail inside undici as
    // a "network error" and be retried.
    if (signal !== undefined && !isSignal(signal))
      throw new InputError(`${String(sendOptions.cloud).toUpperCase()} ${sendOptions.operation}`, [
        { path: "signal", message: "must be an AbortSignal" },
      ]);
    const state: SendState = {
      request,
      options: sendOptions,
      deadline,
      // Both clouds throttle each API per account (docs/rate-limits.md), so each operation has its
      // own bucket: a burst of one operation's calls never slows another's, and each adapts to its
      // own quota.
      limiter: limiterFor(
        `${sendOptions.cloud}|${originOf(request.url)}|${sendOptions.account ?? ""}`,
        sendOptions.operation,
        explicitRate ? undefined : sendOptions.limits,
      ),
      // True once any attempt may have reached the server; reported on every TransportError.
      mayHaveReachedServer: false,
      redactedUrl: undefined,
    };
    const { limiter } = state;

    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) throw failure(state, "ABORTED", "aborted", attempt - 1, signal.reason);
      if (clock.now() >= deadline) {
        throw failure(state, "DEADLINE_EXCEEDED", `deadline of ${retry.deadlineMs} ms passed`, attempt - 1);
      }

      // A call that finds a free slot and tokens pays no promise for them (the common case; the
      // waits below are for a busy endpoint).
      let release = limiter.concurrency.tryAcquire();
      if (release === undefined) {
        try {
          release = await limiter.concurrency.acquire(waitContext(state));
        } catch (error) {
          throw queueFailure(state, error, attempt);
        }
      }

      let step: Step;
      try {
        try {
          if (!limiter.bucket.tryTake(clock.now())) await limiter.bucket.take(waitContext(state));
          if (!limiter.account.tryTake(clock.now())) await limiter.account.take(waitContext(state));
        } catch (error) {
          throw queueFailure(state, error, attempt);
        }
        // Signed per attempt so each carries a fresh date and nonce. Signing errors (an IAM
        // failure while fetching a token) are the caller's own errors and pass through untouched.
        const signing = sendOptions.sign === undefined ? request : sendOptions.sign(request, signal);
        const signed = isThenable(signing) ? await signing : signing;
        // Aborted while signing (a token fetch can take a while): nothing was sent for this attempt.
        if (signal?.aborted) throw failure(state, "ABORTED", "aborted", attempt - 1, signal.reason);
        const startedAt = clock.now();
        let outcome: Outcome;
        try {
          outcome = { kind: "response", response: await dispatch(signed, signal, deadline) };
        } catch (error) {
          outcome = { kind: "failure", error };
        }
        step = decide(state, outcome, attempt);
        if (options.log !== undefined) logAttempt(state, attempt, startedAt, outcome, step);
      } finally {
        // Released after the log entry so the entry is written while the slot is still held.
        release();
      }

      if (step.action === "return") {
        step.response.attempts = attempt;
        return step.response;
      }
      if (step.action === "throw") throw step.error;
      try {
        await clock.sleep(step.delayMs, signal);
      } catch (error) {
        throw failure(state, "ABORTED", "aborted while waiting to retry", attempt, error);
      }
    }
  }

  async function end(how: "close" | "destroy"): Promise<void> {
    const agent = ownedAgent;
    ownedAgent = undefined;
    if (agent !== undefined) await agent[how]();
  }

  return { send, close: () => end("close"), destroy: () => end("destroy") };
}
