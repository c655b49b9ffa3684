/**
 * An undici Agent that tells an observer when each request leaves and when its answer has fully
 * arrived (or failed), with the raw status and body. Handed to the clients as their `dispatcher`, it
 * lets tests see the exact bytes the emulator sent (to prove a quirk was really on the wire) and
 * know when no request is in flight (to move virtual time only between requests).
 */
import { Agent, type Dispatcher } from "undici";

export interface ObservedExchange {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  /** 0 when no answer arrived. */
  readonly status: number;
  readonly body: string;
  readonly error?: unknown;
}

export interface ExchangeObserver {
  started?(method: string, path: string): void;
  finished?(exchange: ObservedExchange): void;
}

type Handler = Dispatcher.DispatchHandler;
type Controller = Dispatcher.DispatchController;
type Headers = Parameters<NonNullable<Handler["onResponseStart"]>>[2];
type Socket = Parameters<NonNullable<Handler["onRequestUpgrade"]>>[3];

/** Delegates every callback, noting the status and body, and reports the end exactly once. */
class ObservingHandler implements Handler {
  private status = 0;
  private readonly chunks: Buffer[] = [];
  private done = false;

  constructor(
    private readonly inner: Handler,
    private readonly method: string,
    private readonly path: string,
    private readonly observer: ExchangeObserver,
  ) {}

  onRequestStart(controller: Controller, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Controller, statusCode: number, headers: Headers, socket: Socket): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Controller,
    statusCode: number,
    headers: Headers,
    statusMessage?: string,
  ): void {
    this.status = statusCode;
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk));
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Controller, trailers: Headers): void {
    this.finish();
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Controller, error: Error): void {
    this.finish(error);
    this.inner.onResponseError?.(controller, error);
  }

  private finish(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.observer.finished?.({
      method: this.method,
      path: this.path,
      status: this.status,
      body: Buffer.concat(this.chunks).toString("utf8"),
      ...(error === undefined ? {} : { error }),
    });
  }
}

/** A keep-alive Agent reporting to `observer`; close it after the test (clients do not close injected dispatchers). */
export function observingAgent(observer: ExchangeObserver): Dispatcher & { close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 1_000 });
  const composed = agent.compose(
    (dispatch) =>
      (options: Dispatcher.DispatchOptions, handler: Handler): boolean => {
        const method = String(options.method);
        const path = String(options.path);
        observer.started?.(method, path);
        return dispatch(options, new ObservingHandler(handler, method, path, observer));
      },
  );
  return composed as Dispatcher & { close(): Promise<void> };
}

/** An agent that keeps every exchange, in order of completion. */
export function recordingAgent(): {
  readonly agent: Dispatcher & { close(): Promise<void> };
  readonly exchanges: ObservedExchange[];
} {
  const exchanges: ObservedExchange[] = [];
  return { agent: observingAgent({ finished: (exchange) => exchanges.push(exchange) }), exchanges };
}
