/**
 * Temporary credentials (STS AssumeRole, an instance's metadata service, an IAM token) cached and
 * refreshed before they expire: by default when less than 3 minutes are left, or halfway through a life shorter than
 * twice that. Callers asking while a fetch is under way share it (single flight); a caller that
 * aborts stops waiting, and the fetch is cancelled only when every caller waiting for it has aborted
 * (each fetch also has its own deadline). A failed fetch is not cached: the next call tries again.
 * A failed refresh of credentials that have not expired yet gives those credentials instead of the
 * error. The clock is injected.
 */
import { untilAborted } from "../transport/clock";
import { TransportError } from "../errors";

/** Refresh when less than this is left before `expiresAt`. */
export const TEMPORARY_REFRESH_BEFORE_EXPIRY_MS = 3 * 60_000;

export interface Expiring<T> {
  readonly value: T;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface TemporaryCredentialsSource<T> {
  /** Valid credentials, fetched or refreshed if needed. */
  get(signal?: AbortSignal): Promise<T>;
  /** Forgets the cached credentials, so the next `get` fetches new ones. */
  invalidate(): void;
}

export interface TemporaryCredentialsOptions<T> {
  /**
   * Fetches fresh credentials; it must bound its own time (a deadline), and should stop when
   * `signal` aborts (nobody is left waiting for it).
   */
  readonly fetch: (signal: AbortSignal) => Promise<Expiring<T>>;
  readonly clock?: { now(): number };
  readonly refreshBeforeExpiryMs?: number;
  /** Names the source in the error of a caller that aborted. */
  readonly operation: string;
  /** The aborted caller's error message and the cancelled fetch's reason, when not the generic ones. */
  readonly messages?: { readonly aborted: string; readonly cancelled: string };
}

/** One fetch shared by every caller that asked while it was under way. */
interface Flight<T> {
  readonly request: Promise<T>;
  readonly controller: AbortController;
  /** Callers still waiting for it; when the last one aborts, the fetch is cancelled. */
  waiters: number;
}

export function createTemporaryCredentialsSource<T>(
  options: TemporaryCredentialsOptions<T>,
): TemporaryCredentialsSource<T> {
  const clock = options.clock ?? { now: () => Date.now() };
  const margin = options.refreshBeforeExpiryMs ?? TEMPORARY_REFRESH_BEFORE_EXPIRY_MS;
  let cached: { value: T; refreshAt: number; expiresAt: number } | undefined;
  let inFlight: Flight<T> | undefined;
  let generation = 0;

  const refresh = (): Flight<T> => {
    const started = generation;
    const controller = new AbortController();
    const request = options.fetch(controller.signal).then(
      (fresh) => {
        const now = clock.now();
        const { expiresAt } = fresh;
        const refreshAt = expiresAt - Math.min(margin, Math.max(0, (expiresAt - now) / 2));
        if (started === generation) cached = { value: fresh.value, refreshAt, expiresAt };
        return fresh.value;
      },
      (error: unknown) => {
        // Refreshing early is a precaution: keys still valid beat the error (the next call retries).
        if (cached !== undefined && clock.now() < cached.expiresAt) return cached.value;
        throw error;
      },
    );
    const flight: Flight<T> = { request, controller, waiters: 0 };
    const clear = (): void => {
      if (inFlight === flight) inFlight = undefined;
    };
    request.then(clear, clear);
    return flight;
  };

  const abortError = (signal: AbortSignal): TransportError =>
    new TransportError(
      "ABORTED",
      options.messages?.aborted ?? `${options.operation}: aborted while waiting for credentials`,
      { operation: options.operation, attempts: 0, ambiguous: false, cause: signal.reason },
    );

  return {
    get(signal?: AbortSignal): Promise<T> {
      if (cached !== undefined && clock.now() < cached.refreshAt) return Promise.resolve(cached.value);
      if (signal?.aborted === true) return Promise.reject(abortError(signal));
      // At most one fetch in flight, however many callers ask.
      const flight = (inFlight ??= refresh());
      flight.waiters += 1;
      // The last caller to give up cancels the fetch: nobody is left to use its keys, and an
      // abandoned fetch must not hold a connection (and `transport.close()`) until its timeout.
      const leave = (): void => {
        flight.waiters -= 1;
        if (flight.waiters > 0) return;
        if (inFlight === flight) inFlight = undefined;
        flight.controller.abort(
          new Error(options.messages?.cancelled ?? `every caller waiting for ${options.operation} aborted`),
        );
      };
      return untilAborted(flight.request, signal, () => {
        leave();
        return abortError(signal as AbortSignal);
      });
    },
    invalidate(): void {
      generation += 1;
      cached = undefined;
      inFlight = undefined;
    },
  };
}
