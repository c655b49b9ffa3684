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
import { type FaultAction, type FaultTable } from "../faults/faults";
import { type Store } from "../state/store";
import { type TemporaryKeyBook } from "../auth/temporary-keys";
import { type VirtualClock } from "../util/clock";
import { detectDialect, dialectOfCloud, dialectOfService, type Dialect } from "./dialect";
import { readBody, resetConnection, splitPath, writeAnswer, type Answer, type Breakage } from "./http-io";
import { type RequestLog } from "./request-log";
import { type Principal, type RouteMatch, type Router } from "./router";
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
  /** Resolves once the changes made so far are on disk (the state file), at once without one. */
  durable(): Promise<void>;
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

/** What the fault stage lets through: how to break the answer, or that there will be none. */
type FaultVerdict = Breakage | "resetBefore" | "gone";

const ANONYMOUS: Principal = { cloud: "anonymous" };

export class RequestPipeline {
  private closing = false;
  /** Pending fault latencies, released on close so no timer outlives the server. */
  private readonly delays = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly state: PipelineState,
    private readonly reportError: (error: unknown) => void,
  ) {}

  /** Serves one vendor-API request (`rawPath`/`rawQuery` as received, split at the `?`). */
  async serve(req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string): Promise<void> {
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
      faultIds: [],
    };
    const outcome = await this.runStages(exchange).catch((error: unknown) => this.failure(exchange, error));
    // Acknowledge only what is kept: with a state file, a change this request made is on disk first.
    await this.state.durable();
    this.respond(exchange, res, outcome);
  }

  private async runStages(exchange: Exchange): Promise<Outcome> {
    const body = await this.read(exchange);
    const match = this.route(exchange);
    const verdict = await this.applyFaults(exchange, match);
    if (verdict === "resetBefore" || verdict === "gone") return { kind: verdict };
    const now = this.state.clock.now();
    this.state.store.settle(now);
    exchange.principal = this.authenticate(exchange, match, body, now);
    return {
      kind: "answer",
      answer: this.handle(exchange, match, body, now),
      breakage: verdict,
      errorCode: undefined,
    };
  }

  private async read(exchange: Exchange): Promise<Buffer> {
    const read = await readBody(exchange.req);
    exchange.requestBytes = read.bytes;
    exchange.mustClose = read.mustClose;
    if (read.tooLarge) throw exchange.dialect.tooLarge();
    return read.body;
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
  private async applyFaults(exchange: Exchange, match: RouteMatch): Promise<FaultVerdict> {
    const { service, operation } = match.route;
    const decision = this.state.faults.decide(
      { service, operation, method: exchange.method, path: exchange.rawPath },
      this.state.clock.now(),
    );
    exchange.faultIds = decision.ruleIds;
    if (decision.latencyMs > 0) {
      await this.delay(decision.latencyMs);
      if (this.closing) return "gone";
    }
    const action = decision.action;
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
        throw exchange.dialect.throttled(action);
      case "error":
        throw injectedError(exchange.dialect, action);
    }
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
      headersDistinct: req.headersDistinct as Record<string, string[]>,
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
        query: new URLSearchParams(exchange.rawQuery),
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
      this.record({ ...exchange, status: 0, errorCode: "ConnectionReset" });
      return;
    }
    writeAnswer(exchange.req, res, outcome.answer, outcome.breakage, exchange.mustClose);
    this.record({ ...exchange, status: outcome.answer.status, errorCode: outcome.errorCode });
  }

  private record(
    entry: Exchange & { readonly status: number; readonly errorCode: string | undefined },
  ): void {
    const { log, clock } = this.state;
    if (log.capacity === 0) return;
    const { principal, match } = entry;
    log.add({
      seq: log.nextSeq(),
      time: new Date(clock.wallNow()).toISOString(),
      method: entry.req.method ?? "",
      path: entry.rawPath,
      query: entry.rawQuery,
      cloud: entry.dialect.cloud,
      service: match?.route.service,
      operation: match?.route.operation,
      status: entry.status,
      errorCode: entry.errorCode,
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

/** An answer with the dialect's headers (content type, request id), the reply's own on top. */
function answerOf(
  exchange: Exchange,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): Answer {
  return {
    status,
    headers: { ...exchange.dialect.responseHeaders(exchange.requestId, text !== ""), ...headers },
    text,
  };
}

/** The vendor error an `error` fault asks for, with the dialect's wait header when it sets one. */
function injectedError(dialect: Dialect, action: Extract<FaultAction, { kind: "error" }>): VendorError {
  const error = dialect.faultError(action.status, action.code, action.message);
  if (action.retryAfterSeconds === undefined) return error;
  return new VendorError(error.status, error.format, error.code, error.message, {
    ...error.headers,
    [dialect.retryAfterHeader]: String(action.retryAfterSeconds),
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
