/**
 * The per-process cache behind the policies' cloud lookups.
 *
 * The analyzer process lives for one `pulumi preview` or `pulumi up`, and Analyze runs once per
 * resource, so a stack with 200 resources on 50 clusters must cost 50 lookups, not 200:
 * - concurrent requests for the same key share ONE promise (no thundering herd);
 * - a successful answer is kept for the life of the process (its age is judged by `evaluate`
 *   against the check's own timestamps, so keeping it never makes a stale check look fresh);
 * - a failed answer is kept for `errorTtlMs` (default 30 s): every resource of that cluster in the
 *   same run gets the same error without hammering an API that just failed (a 401 or a throttle
 *   would only get worse), and a long `pulumi up` retries after the pause;
 * - the cache is bounded (`maxEntries`, default 2,000): the least recently used entry is dropped
 *   first, so a huge stack cannot grow memory without limit.
 */

export interface LookupCacheOptions {
  /** Entries kept at most; the least recently used goes first. Default 2,000. */
  readonly maxEntries?: number;
  /** How long a failure is served from the cache before a new attempt. Default 30 s; 0 disables. */
  readonly errorTtlMs?: number;
  /** Clock for the error TTL (epoch ms); injectable for tests. */
  readonly now?: () => number;
}

interface Entry<V> {
  readonly promise: Promise<V>;
  /** Set when the promise rejected: the time it did. */
  failedAt?: number;
}

export const DEFAULT_MAX_CACHE_ENTRIES = 2_000;
export const DEFAULT_ERROR_TTL_MS = 30_000;

export class LookupCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly maxEntries: number;
  private readonly errorTtlMs: number;
  private readonly now: () => number;
  /** How many times a loader ran (cache misses), for tests and the benchmark. */
  loads = 0;

  constructor(options: LookupCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_CACHE_ENTRIES);
    this.errorTtlMs = Math.max(0, options.errorTtlMs ?? DEFAULT_ERROR_TTL_MS);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached answer for `key`, or the result of `load()` shared by every concurrent caller. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      const expiredFailure =
        existing.failedAt !== undefined && this.now() - existing.failedAt >= this.errorTtlMs;
      if (!expiredFailure) {
        // Re-insert to mark it most recently used.
        this.entries.delete(key);
        this.entries.set(key, existing);
        return existing.promise;
      }
      this.entries.delete(key);
    }
    this.loads += 1;
    const entry: Entry<V> = { promise: Promise.resolve().then(load) };
    entry.promise.catch(() => {
      entry.failedAt = this.now();
      // A zero TTL means "do not cache failures": forget it now, unless a newer entry replaced it.
      if (this.errorTtlMs === 0 && this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    this.evictOverflow();
    return entry.promise;
  }

  /** The entry for `key` if there is one (settled or in flight), without loading or reordering. */
  peek(key: string): Promise<V> | undefined {
    return this.entries.get(key)?.promise;
  }

  /** Stores an answer obtained another way (e.g. a cluster found by name, stored under its id too). */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { promise: Promise.resolve(value) });
    this.evictOverflow();
  }

  private evictOverflow(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
