/**
 * Temporary credentials (STS AssumeRole, an instance's metadata service) cached and refreshed before
 * they expire: by default when less than 3 minutes are left, or halfway through a life shorter than
 * twice that. Callers asking while a fetch is under way share it (single flight); a caller that
 * aborts stops waiting without cancelling the fetch the others wait for (each fetch has its own
 * deadline). A failed fetch is not cached: the next call tries again. The clock is injected.
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
  /** Fetches fresh credentials; it must bound its own time (a deadline). */
  readonly fetch: () => Promise<Expiring<T>>;
  readonly clock?: { now(): number };
  readonly refreshBeforeExpiryMs?: number;
  /** Names the source in the error of a caller that aborted. */
  readonly operation: string;
}

export function createTemporaryCredentialsSource<T>(
  options: TemporaryCredentialsOptions<T>,
): TemporaryCredentialsSource<T> {
  const clock = options.clock ?? { now: () => Date.now() };
  const margin = options.refreshBeforeExpiryMs ?? TEMPORARY_REFRESH_BEFORE_EXPIRY_MS;
  let cached: { value: T; refreshAt: number } | undefined;
  let inFlight: Promise<T> | undefined;
  let generation = 0;

  const refresh = (): Promise<T> => {
    const started = generation;
    const flight = options.fetch().then((fresh) => {
      const now = clock.now();
      const refreshAt = fresh.expiresAt - Math.min(margin, Math.max(0, (fresh.expiresAt - now) / 2));
      if (started === generation) cached = { value: fresh.value, refreshAt };
      return fresh.value;
    });
    inFlight = flight;
    const clear = (): void => {
      if (inFlight === flight) inFlight = undefined;
    };
    flight.then(clear, clear);
    return flight;
  };

  return {
    get(signal?: AbortSignal): Promise<T> {
      if (cached !== undefined && clock.now() < cached.refreshAt) return Promise.resolve(cached.value);
      const flight = inFlight ?? refresh();
      return untilAborted(
        flight,
        signal,
        () =>
          new TransportError("ABORTED", `${options.operation}: aborted while waiting for credentials`, {
            operation: options.operation,
            attempts: 0,
            ambiguous: false,
            cause: signal?.reason,
          }),
      );
    },
    invalidate(): void {
      generation += 1;
      cached = undefined;
      inFlight = undefined;
    },
  };
}
