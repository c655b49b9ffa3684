/**
 * One HTTP attempt over undici's `dispatch`: the handler collects the answer itself. undici's
 * `request` wraps the same dispatch in a promise-returning handler, a body stream and a stream
 * consumer; a call's answer is small and read whole, and skipping those layers measured about 70 us
 * of CPU a call (a sixth of a bare signed call, see bench/README.md).
 *
 * Deadlines: undici's `headersTimeout` and `bodyTimeout` bound the wait for the headers and each gap
 * between body chunks; the attempt's own timer bounds the whole attempt, body included, and settles
 * it at once even while undici is still connecting.
 */
import type { Dispatcher } from "undici";
import type { HttpRequest, Mutable } from "./types";

/** The send's deadline passed during an attempt (before the answer or while its body was read). */
export class AttemptDeadlineError extends Error {
  readonly code = "UG_ATTEMPT_DEADLINE";
  constructor() {
    super("the deadline passed before the whole answer arrived");
  }
}

/** Raised while reading a body that exceeds the cap; not in any retry table, so never retried. */
export class ResponseTooLargeError extends Error {
  readonly code = "RESPONSE_TOO_LARGE";
  constructor(limit: number) {
    super(`response body exceeds ${limit} bytes`);
  }
}

/** What one attempt answers: the status, lower-case headers and the body decoded as UTF-8. */
export interface AttemptAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface AttemptSettings {
  readonly dispatcher: Dispatcher;
  /** Sent as the request's headers (already lower-case, `user-agent` included). */
  readonly headers: Record<string, string>;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  /** Milliseconds until the send's deadline: the attempt fails with `AttemptDeadlineError` then. */
  readonly remainingMs: number;
  readonly maxBodyBytes: number;
  readonly signal: AbortSignal | undefined;
}

/** Where the path (or, with no path, the query) of a URL starts: its length when it has neither. */
function pathStartOf(url: string): number {
  for (let index = url.indexOf("//") + 2; index < url.length; index++) {
    const char = url.charCodeAt(index);
    if (char === 0x2f /* / */ || char === 0x3f /* ? */) return index;
  }
  return url.length;
}

/**
 * The origin of a URL (`new URL(url).origin`: scheme, lower-case host, port unless the default),
 * remembered by the text before the path: a process talks to few endpoints, and parsing the whole
 * URL on every attempt is a measurable part of a call.
 */
export function originOf(url: string, pathStart = pathStartOf(url)): string {
  const prefix = url.slice(0, pathStart);
  let origin = origins.get(prefix);
  if (origin === undefined) {
    origin = new URL(prefix).origin;
    if (origins.size >= 256) origins.clear();
    origins.set(prefix, origin);
  }
  return origin;
}
const origins = new Map<string, string>();

/** The path and query of a URL, "/" put first when the path is empty. */
function pathOf(url: string, pathStart: number): string {
  if (pathStart === url.length) return "/";
  return url.charCodeAt(pathStart) === 0x3f ? `/${url.slice(pathStart)}` : url.slice(pathStart);
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** UTF-8 text of the body, a leading byte-order mark dropped (as undici's `body.text()` does). */
function decode(chunks: Buffer[], length: number): string {
  if (length === 0) return "";
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const start = length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString("utf8", start);
}

function fireDeadline(attempt: Attempt): void {
  attempt.fail(new AttemptDeadlineError());
}

/**
 * The dispatch handler of one attempt, which is also its settle-once state: a class rather than
 * closures, since one is built per attempt on every call.
 */
class Attempt implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private failure: unknown = undefined;
  private failed = false;
  /** True once the attempt has its outcome (at construction: the caller's signal was already aborted). */
  settled = false;
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly forwardAbort: (() => void) | undefined;

  constructor(
    private readonly settings: AttemptSettings,
    private readonly resolve: (answer: AttemptAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timer = setTimeout(fireDeadline, settings.remainingMs, this);
    this.timer.unref();
    const { signal } = settings;
    if (signal !== undefined) {
      this.forwardAbort = () => this.fail(signal.reason);
      if (signal.aborted) this.forwardAbort();
      else signal.addEventListener("abort", this.forwardAbort, { once: true });
    }
  }

  /** Ends the attempt with `error` (the first failure wins) and cancels the request in undici. */
  fail(error: unknown): void {
    if (this.settled || this.failed) return;
    this.failed = true;
    this.failure = error;
    // Before undici has connected there is nothing to cancel yet: `onRequestStart` does it then.
    this.controller?.abort(error instanceof Error ? error : new Error(String(error)));
    this.settle(error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.failed) controller.abort(this.failure instanceof Error ? this.failure : new Error("aborted"));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    this.headers = lowerCaseHeaders(headers);
    // A declared length over the cap fails before any of the body is read.
    const declared = Number(this.headers["content-length"]);
    if (declared > this.settings.maxBodyBytes)
      this.fail(new ResponseTooLargeError(this.settings.maxBodyBytes));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.failed) return;
    this.length += chunk.length;
    if (this.length > this.settings.maxBodyBytes) {
      this.fail(new ResponseTooLargeError(this.settings.maxBodyBytes));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.settle(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private settle(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const { signal } = this.settings;
    if (signal !== undefined && this.forwardAbort !== undefined)
      signal.removeEventListener("abort", this.forwardAbort);
    if (this.failed) this.reject(error);
    else this.resolve({ status: this.status, headers: this.headers, body: decode(this.chunks, this.length) });
  }
}

/** Sends `request` once and reads the whole answer; rejects with undici's error or one of the above. */
export function attempt(request: HttpRequest, settings: AttemptSettings): Promise<AttemptAnswer> {
  return new Promise<AttemptAnswer>((resolve, reject) => {
    const handler = new Attempt(settings, resolve, reject);
    if (handler.settled) return;
    const pathStart = pathStartOf(request.url);
    const options: Mutable<Dispatcher.DispatchOptions> = {
      // undici picks a connection pool by the origin.
      origin: originOf(request.url, pathStart),
      path: pathOf(request.url, pathStart),
      method: request.method as Dispatcher.HttpMethod,
      headers: settings.headers,
      headersTimeout: settings.headersTimeoutMs,
      bodyTimeout: settings.bodyTimeoutMs,
    };
    if (request.body !== undefined) options.body = request.body;
    try {
      settings.dispatcher.dispatch(options, handler);
    } catch (error) {
      // A dispatcher that throws instead of calling the handler (a closed agent, a custom one).
      handler.fail(error);
    }
  });
}
