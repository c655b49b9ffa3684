import { LookupCache } from "../../src/policies/lookup-cache";

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("LookupCache", () => {
  it("shares one load between concurrent callers of the same key", async () => {
    const cache = new LookupCache<string>();
    const gate = deferred<string>();
    const load = jest.fn(() => gate.promise);
    const callers = Array.from({ length: 10 }, () => cache.get("cluster-a", load));
    gate.resolve("facts");
    await expect(Promise.all(callers)).resolves.toEqual(Array(10).fill("facts"));
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.loads).toBe(1);
  });

  it("keeps a success for the life of the cache, per key", async () => {
    let now = 0;
    const cache = new LookupCache<string>({ now: () => now });
    const load = jest.fn(async () => "facts");
    await cache.get("a", load);
    now += 24 * 60 * 60 * 1000;
    await cache.get("a", load);
    await cache.get("b", load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("serves a failure for errorTtlMs, then loads again", async () => {
    let now = 1_000;
    const cache = new LookupCache<string>({ now: () => now, errorTtlMs: 30_000 });
    const load = jest.fn().mockRejectedValueOnce(new Error("HTTP 500")).mockResolvedValue("facts");
    await expect(cache.get("a", load)).rejects.toThrow("HTTP 500");
    now += 29_999;
    await expect(cache.get("a", load)).rejects.toThrow("HTTP 500");
    expect(load).toHaveBeenCalledTimes(1);
    now += 1;
    await expect(cache.get("a", load)).resolves.toBe("facts");
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("does not keep failures when errorTtlMs is 0", async () => {
    const cache = new LookupCache<string>({ errorTtlMs: 0 });
    const load = jest.fn().mockRejectedValueOnce(new Error("HTTP 401")).mockResolvedValue("facts");
    await expect(cache.get("a", load)).rejects.toThrow("HTTP 401");
    await expect(cache.get("a", load)).resolves.toBe("facts");
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("is bounded: the least recently used entry goes first", async () => {
    const cache = new LookupCache<string>({ maxEntries: 2 });
    const load = jest.fn(async () => "x");
    await cache.get("a", load);
    await cache.get("b", load);
    await cache.get("a", load); // a is now the most recently used
    await cache.get("c", load); // evicts b
    expect(cache.size).toBe(2);
    await cache.get("a", load);
    expect(load).toHaveBeenCalledTimes(3);
    await cache.get("b", load);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it("stores values found another way, within the bound", async () => {
    const cache = new LookupCache<string>({ maxEntries: 1 });
    cache.set("id:1", "cluster");
    const load = jest.fn(async () => "loaded");
    await expect(cache.get("id:1", load)).resolves.toBe("cluster");
    cache.set("id:2", "other");
    expect(cache.size).toBe(1);
    expect(load).not.toHaveBeenCalled();
  });
});
