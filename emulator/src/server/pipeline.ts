/**
 * The request pipeline of the vendor APIs (the control API is not part of it). A request passes
 * through small stages, in this order:
 *
 *   read the body → route → faults → authenticate → handle → respond and record
 *
 * A stage that refuses the request throws a `VendorError`, answered in the format of the request's
 * dialect (server/dialect.ts); every cloud-specific choice is the dialect's, none is made here. The
 * dialect is guessed from the headers and path until the route is known, then it is the route's.
 */
import { type IncomingMessage, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { type AccountBook } from "../auth/accounts";
import { type SignedRequestView } from "../auth/canonical";
import { type NonceCache } from "../auth/nonce-cache";
import { type FaultAction, type FaultDecision, type FaultTable } from "../faults/faults";
import { type Store } from "../state/store";
import { type TemporaryKeyBook } from "../auth/temporary-keys";
import { type VirtualClock } from "../util/clock";
import { detectDialect, dialectOfCloud, dialectOfService, type Dialect } from "./dialect";
import {
  bodyWithoutReading,
  readBody,
  resetConnection,
  splitPath,
  writeAnswer,
  type Answer,
  type BodyResult,
  type Breakage,
} from "./http-io";
import { type RequestLog } from "./request-log";
import { type Principal, type QueryParams, type RouteMatch, type Router } from "./router";
import { VendorError, vendorErrorBody } from "./vendor-errors";

/** What the pipeline reads of the emulator. Store, accounts and docQuirks change with the scenario: read per request. */
export interface PipelineState {
  readonly router: Router;
  readonly faults: FaultTable;
  readonly log: RequestLog;
  readonly nonces: NonceCache;
  readonly clock: VirtualClock;
  readonly store: Store;
  readonly accounts: AccountBook;
  readonly docQuirks: boolean;
  readonly temporaryKeys: TemporaryKeyBook;
  /**
   * Resolves once the changes made so far are on disk (the state file); undefined when nothing is
   * waiting to be written (no state file, or no change), so the pipeline need not wait at all.
   */
  durable(): Promise<void> | undefined;
}

/** What the pipeline has learnt about one request so far; its request-log entry is made from it. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  /** performance.now() at arrival. */
  readonly started: number;
  dialect: Dialect;
  requestId: string;
  requestBytes: number;
  /** The body was left unread: the connection cannot be reused. */
  mustClose: boolean;
  match: RouteMatch | undefined;
  principal: Principal;
  faultIds: readonly string[];
}

type Outcome =
  | {
      readonly kind: "answer";
      readonly answer: Answer;
      readonly breakage: Breakage;
      readonly errorCode: string | undefined;
    }
  /** A `reset: before` fault: the connection is dropped unanswered (logged as status 0). */
  | { readonly kind: "resetBefore" }
  /** The emulator closed while a latency fault waited: nothing to answer or log. */
  | { readonly kind: "gone" };

const ANONYMOUS: Principal = { cloud: "anonymous" };
const NO_FAULTS: readonly string[] = [];
const GONE: Outcome = { kind: "gone" };
const RESET_BEFORE: Outcome = { kind: "resetBefore" };
/** Handlers only read a query (`RouteRequest.query`), so requests without one share this. */
const NO_QUERY: QueryParams = new URLSearchParams();

export class RequestPipeline {
  private closing = false;
  /** Pending fault latencies, released on close so no timer outlives the server. */
  private readonly delays = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly state: PipelineState,
    private readonly reportError: (error: unknown) => void,
  ) {}

  /**
   * Serves one vendor-API request (`rawPath`/`rawQuery` as received, split at the `?`). Each stage
   * runs synchronously unless it has something to wait for (a body to read, a fault's latency, a
   * state-file write): a request that waits for nothing is answered within the call, without the
   * promises and microtask hops of an async chain (measured: bench/README.md, emulator throughput).
   * Returns a promise only when something waits; it never rejects for a refused request.
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    rawPath: string,
    rawQuery: string,
  ): Promise<void> | undefined {
    const dialect = detectDialect(rawPath, req.headers);
    const exchange: Exchange = {
      req,
      method: req.method ?? "GET",
      rawPath,
      rawQuery,
      started: performance.now(),
      dialect,
      requestId: dialect.requestId(),
      requestBytes: 0,
      mustClose: false,
      match: undefined,
      principal: ANONYMOUS,
      faultIds: NO_FAULTS,
    };
    const body = bodyWithoutReading(req);
    if (body !== undefined) return this.afterRead(exchange, res, body);
    return readBody(req).then((read) => this.afterRead(exchange, res, read));
  }

  private afterRead(exchange: Exchange, res: ServerResponse, read: BodyResult): Promise<void> | undefined {
    exchange.requestBytes = read.bytes;
    exchange.mustClose = read.mustClose;
    let outcome: Outcome | Promise<Outcome>;
    try {
      if (read.tooLarge) throw exchange.dialect.tooLarge();
      outcome = this.afterBody(exchange, read.body);
    } catch (error) {
      outcome = this.failure(exchange, error);
    }
    if (outcome instanceof Promise) {
      return outcome
        .catch((error: unknown) => this.failure(exchange, error))
        .then((settled) => this.finish(exchange, res, settled));
    }
    return this.finish(exchange, res, outcome);
  }

  /** Acknowledges only what is kept: with a state file, a change this request made is on disk first. */
  private finish(exchange: Exchange, res: ServerResponse, outcome: Outcome): Promise<void> | undefined {
    const written = this.state.durable();
    if (written === undefined) {
      this.respond(exchange, res, outcome);
      return undefined;
    }
    return written.then(() => this.respond(exchange, res, outcome));
  }

  /** Route and faults, then (after a fault's latency, if any) authenticate and handle. */
  private afterBody(exchange: Exchange, body: Buffer): Outcome | Promise<Outcome> {
    const match = this.route(exchange);
    const decision = this.decideFaults(exchange, match);
    if (decision.latencyMs <= 0) return this.afterFaults(exchange, match, body, decision.action);
    return this.delay(decision.latencyMs).then(() =>
      this.closing ? GONE : this.afterFaults(exchange, match, body, decision.action),
    );
  }

  private afterFaults(
    exchange: Exchange,
    match: RouteMatch,
    body: Buffer,
    action: FaultAction | undefined,
  ): Outcome {
    const breakage = faultBreakage(exchange.dialect, action);
    if (breakage === "resetBefore") return RESET_BEFORE;
    const now = this.state.clock.now();
    this.state.store.settle(now);
    exchange.principal = this.authenticate(exchange, match, body, now);
    const answer = this.handle(exchange, match, body, now);
    // An `afterProcessing` error: the change is made, the caller gets only the error.
    if (action?.kind === "error" && action.afterProcessing === true)
      throw injectedError(exchange.dialect, action);
    return { kind: "answer", answer, breakage, errorCode: undefined };
  }

  /** Finds the route; from here on the request speaks its service's dialect. */
  private route(exchange: Exchange): RouteMatch {
    const segments = splitPath(exchange.rawPath);
    if (segments === undefined) throw exchange.dialect.badRequest("malformed URL encoding");
    const match = this.state.router.match(exchange.method, segments);
    if (match === undefined) throw exchange.dialect.apiNotFound();
    exchange.match = match;
    const dialect = dialectOfService(match.route.service);
    if (dialect !== exchange.dialect) {
      exchange.dialect = dialect;
      exchange.requestId = dialect.requestId();
    }
    return match;
  }

  /** Faults act after routing and before authentication. */
  private decideFaults(exchange: Exchange, match: RouteMatch): FaultDecision {
    const { service, operation } = match.route;
    const decision = this.state.faults.decide(
      { service, operation, method: exchange.method, path: exchange.rawPath },
      this.state.clock.now(),
    );
    if (decision.ruleIds.length > 0) exchange.faultIds = decision.ruleIds;
    return decision;
  }

  private authenticate(exchange: Exchange, match: RouteMatch, body: Buffer, now: number): Principal {
    const { route } = match;
    if (route.auth === "none") return ANONYMOUS;
    const { req } = exchange;
    const view: SignedRequestView = {
      method: exchange.method,
      rawPath: exchange.rawPath,
      rawQuery: exchange.rawQuery,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
    };
    const { accounts, store, nonces, clock, temporaryKeys } = this.state;
    return dialectOfCloud(route.auth).authenticate(
      view,
      { accounts, store, nonces, wallNow: clock.wallNow(), now, temporaryKeys },
      route,
    );
  }

  private handle(exchange: Exchange, match: RouteMatch, body: Buffer, now: number): Answer {
    const { store, accounts, docQuirks, temporaryKeys } = this.state;
    const reply = match.route.handler(
      {
        method: exchange.method,
        params: match.params,
        query: exchange.rawQuery === "" ? NO_QUERY : new URLSearchParams(exchange.rawQuery),
        headers: exchange.req.headers,
        body,
        principal: exchange.principal,
        requestId: exchange.requestId,
      },
      { store, accounts, now, docQuirks, temporaryKeys },
    );
    const text = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
    return answerOf(exchange, reply.status, text, reply.headers);
  }

  /** Any stage's refusal, in the dialect's format; anything but a VendorError is a bug, reported. */
  private failure(exchange: Exchange, error: unknown): Outcome {
    if (!(error instanceof VendorError)) this.reportError(error);
    const failure = error instanceof VendorError ? error : exchange.dialect.internalError();
    const text = JSON.stringify(vendorErrorBody(failure, exchange.requestId));
    return {
      kind: "answer",
      answer: answerOf(exchange, failure.status, text, failure.headers),
      breakage: undefined,
      errorCode: failure.code,
    };
  }

  private respond(exchange: Exchange, res: ServerResponse, outcome: Outcome): void {
    if (outcome.kind === "gone") return;
    if (outcome.kind === "resetBefore") {
      resetConnection(exchange.req);
      this.record(exchange, 0, "ConnectionReset");
      return;
    }
    writeAnswer(exchange.req, res, outcome.answer, outcome.breakage, exchange.mustClose);
    this.record(exchange, outcome.answer.status, outcome.errorCode);
  }

  private record(entry: Exchange, status: number, errorCode: string | undefined): void {
    const { log, clock } = this.state;
    if (log.capacity === 0) return;
    const { principal, match } = entry;
    log.add({
      seq: log.nextSeq(),
      wallMs: clock.wallNow(),
      method: entry.req.method ?? "",
      path: entry.rawPath,
      query: entry.rawQuery,
      cloud: entry.dialect.cloud,
      service: match?.route.service,
      operation: match?.route.operation,
      status,
      errorCode,
      requestId: entry.requestId,
      account: principal.cloud === "anonymous" ? undefined : principal.account.name,
      auth: authLabel(principal),
      faults: entry.faultIds,
      requestBytes: entry.requestBytes,
      durationMs: Math.round((performance.now() - entry.started) * 1000) / 1000,
    });
  }

  // --- fault latencies ---------------------------------------------------------------------------

  private delay(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, ms);
      this.delays.set(timer, resolve);
    });
  }

  /** Pending fault latencies, for tests and close. */
  pendingDelays(): number {
    return this.delays.size;
  }

  /** Stops waiting: clears every pending latency timer and lets its request finish at once. */
  shutdown(): void {
    this.closing = true;
    for (const [timer, resolve] of this.delays) {
      clearTimeout(timer);
      resolve();
    }
    this.delays.clear();
  }
}

/** How a fault's action breaks the answer; a throttle or error fault refuses the request instead. */
function faultBreakage(dialect: Dialect, action: FaultAction | undefined): Breakage | "resetBefore" {
  switch (action?.kind) {
    case undefined:
      return undefined;
    case "reset":
      return action.after ? "resetAfter" : "resetBefore";
    case "truncate":
      return "truncate";
    case "malformed":
      return "malformed";
    case "throttle":
      throw dialect.throttled(action);
    case "error":
      if (action.afterProcessing === true) return undefined;
      throw injectedError(dialect, action);
  }
}

/** An answer with the dialect's headers (content type, request id), the reply's own on top. */
function answerOf(
  exchange: Exchange,
  status: number,
  text: string,
  headers?: Readonly<Record<string, string>>,
): Answer {
  // responseHeaders makes a fresh object per call: the reply's own headers go straight onto it.
  const all = exchange.dialect.responseHeaders(exchange.requestId, text !== "");
  return { status, headers: headers === undefined ? all : Object.assign(all, headers), text };
}

/** The vendor error an `error` fault asks for, with the dialect's wait header when it sets one. */
function injectedError(dialect: Dialect, action: Extract<FaultAction, { kind: "error" }>): VendorError {
  const error = dialect.faultError(action.status, action.code, action.message);
  if (action.retryAfterSeconds === undefined) return error;
  return new VendorError(error.status, error.format, error.code, error.message, {
    ...error.headers,
    [dialect.retryAfterHeader]: dialect.retryAfterValue(action.retryAfterSeconds),
  });
}

/** The credential the request log names: `SDK-HMAC-SHA256`, `token`, `ACS3-HMAC-SHA256`, `HMAC-SHA1`. */
function authLabel(principal: Principal): string | undefined {
  switch (principal.cloud) {
    case "huawei":
      return principal.via === "token" ? "token" : "SDK-HMAC-SHA256";
    case "alibaba":
      return principal.algorithm;
    case "anonymous":
      return undefined;
  }
}
