import {
  classifyNetworkError,
  classifyResponse,
  errorCodesOf,
  vendorCodesOf,
} from "../../src/transport/classify";
import { backoffDelayMs, retryDelayMs, serverRetryAfterMs } from "../../src/transport/retry";
import { codedError } from "./helpers";

const options = { baseDelayMs: 200, maxDelayMs: 5000 };

describe("backoff with full jitter", () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1600],
    [5, 3200],
    [6, 5000], // capped
    [20, 5000],
  ])("attempt %i draws from [0, %i)", (attempt, ceiling) => {
    expect(backoffDelayMs(attempt, options, () => 0)).toBe(0);
    expect(backoffDelayMs(attempt, options, () => 0.5)).toBe(Math.floor(ceiling / 2));
    const nearlyOne = backoffDelayMs(attempt, options, () => 0.999999);
    expect(nearlyOne).toBeLessThan(ceiling);
    expect(nearlyOne).toBeGreaterThanOrEqual(ceiling - 1);
  });

  it("stays within bounds for a seeded sequence of random values", () => {
    // A small deterministic LCG stands in for Math.random.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const delays = Array.from({ length: 200 }, (_, i) => [
      i % 8,
      backoffDelayMs((i % 8) + 1, options, random),
    ]);
    for (const [index, delay] of delays) {
      const ceiling = Math.min(5000, 200 * 2 ** (index ?? 0));
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
    // Jitter actually varies.
    expect(new Set(delays.map(([, d]) => d)).size).toBeGreaterThan(50);
  });
});

describe("server retry hints", () => {
  const now = Date.parse("2025-08-05T09:10:44Z");
  it.each([
    [{ "retry-after": "3" }, 3000],
    [{ "retry-after": "0" }, 0],
    [{ "retry-after": "Tue, 05 Aug 2025 09:10:54 GMT" }, 10_000],
    [{ "retry-after": "Tue, 05 Aug 2025 09:00:00 GMT" }, 0], // in the past
    [{ "x-acs-retry-after": "2000" }, 2000], // milliseconds, as the Alibaba SDK reads it
    [{ "x-acs-retry-after": "500" }, 500],
    [{ "retry-after": "4", "x-acs-retry-after": "9000" }, 4000], // the standard header wins
    [{ "retry-after": "soon" }, undefined],
    [{ "x-acs-retry-after": "-1" }, undefined],
    [{}, undefined],
  ])("%j -> %s ms", (headers, expected) => {
    expect(serverRetryAfterMs(headers, now)).toBe(expected);
  });

  it("uses the hint over backoff, capped at maxDelayMs", () => {
    const clock = { now: () => now, random: () => 0.5 };
    expect(retryDelayMs(1, { "retry-after": "3" }, options, clock)).toBe(3000);
    expect(retryDelayMs(1, { "retry-after": "60" }, options, clock)).toBe(5000);
    expect(retryDelayMs(1, { "x-acs-retry-after": "60000" }, options, clock)).toBe(5000);
    expect(retryDelayMs(3, {}, options, clock)).toBe(400);
    expect(retryDelayMs(3, undefined, options, clock)).toBe(400);
  });
});

describe("response classification", () => {
  it.each([
    [200, "{}", false, false],
    [201, "{}", false, false],
    [302, "{}", false, false],
    [400, "{}", false, false],
    [401, "{}", false, false],
    [403, "{}", false, false],
    [404, "{}", false, false],
    [409, "{}", false, false],
    [429, "{}", true, true],
    [500, "{}", true, false],
    [502, "not json", true, false],
    [503, "{}", true, true],
    [504, "{}", true, false],
    [429, '{"error_code":"APIGW.0308"}', true, true],
    [400, '{"Code":"Throttling"}', true, true],
    [400, '{"Code":"Throttling.Api"}', true, true],
    [400, '{"code":"Rejected.Throttling"}', true, true],
    [403, '{"Code":"Throttling.User"}', false, false],
    [400, '{"Code":"ServiceUnavailable"}', true, true],
    [400, '{"Code":"SignatureDoesNotMatch"}', false, false],
    [400, '["Throttling"]', false, false],
  ])("HTTP %i %s -> retryable %s, not processed %s", (status, body, retryable, notProcessed) => {
    const verdict = classifyResponse(status, body);
    expect(verdict.retryable).toBe(retryable);
    expect(verdict.notProcessed).toBe(notProcessed);
  });

  it("reads every vendor code key", () => {
    expect(vendorCodesOf('{"error_code":"A","Code":"B","code":"C"}')).toEqual(["A", "B", "C"]);
    expect(vendorCodesOf('{"code":401}')).toEqual([]);
    expect(vendorCodesOf("<Error/>")).toEqual([]);
  });
});

describe("network error classification", () => {
  it.each([
    ["ECONNREFUSED", true, false, false],
    ["UND_ERR_CONNECT_TIMEOUT", true, false, true],
    ["EHOSTUNREACH", true, false, false],
    ["ECONNRESET", true, true, false],
    ["EPIPE", true, true, false],
    ["ETIMEDOUT", true, true, true],
    ["UND_ERR_SOCKET", true, true, false],
    ["UND_ERR_HEADERS_TIMEOUT", true, true, true],
    ["UND_ERR_BODY_TIMEOUT", true, true, true],
    ["ENOTFOUND", false, false, false],
    ["SOMETHING_ELSE", false, true, false],
  ])("%s -> retryable %s, ambiguous %s, timeout %s", (code, retryable, ambiguous, timeout) => {
    const verdict = classifyNetworkError(codedError(code));
    expect(verdict).toMatchObject({ retryable, ambiguous, timeout, code });
  });

  it("walks causes and AggregateError members", () => {
    const nested = new Error("fetch failed", {
      cause: new AggregateError([codedError("ECONNREFUSED"), codedError("ECONNREFUSED")], "connect"),
    });
    expect(errorCodesOf(nested)).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
    expect(classifyNetworkError(nested)).toMatchObject({ retryable: true, ambiguous: false });
  });

  it("treats an error without any code as not retryable and ambiguous", () => {
    expect(classifyNetworkError(new Error("?"))).toMatchObject({ retryable: false, ambiguous: true });
    expect(classifyNetworkError("a string")).toMatchObject({ retryable: false, ambiguous: true });
  });

  it("survives a cause cycle", () => {
    const a = codedError("ECONNRESET") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(classifyNetworkError(b)).toMatchObject({ retryable: true, ambiguous: true });
  });
});
