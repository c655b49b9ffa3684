// Plain JavaScript and JSON callers can hand the exported helpers anything. Each one either names
// the bad argument in an InputError or, for the redaction helpers used on error paths, copes; none
// may fail with a TypeError from deep inside.
import * as provider from "../src/index";
import { InputError } from "../src/errors";

type Exported = Record<string, (...args: unknown[]) => unknown>;
const api = provider as unknown as Exported;

const mustName: ReadonlyArray<[name: string, args: unknown[], path: string]> = [
  ["mapCcePrecheckItem", [null, {}], "item"],
  ["mapCcePrecheckItem", [{}, undefined], "context"],
  ["ccePrecheckCheckRef", [null], "task"],
  ["ccePrecheckCheckRef", [{ metadata: {} }], "task.status"],
  ["ccePrecheckFindings", [{ status: {} }], "task.metadata"],
  ["ccePrecheckState", [undefined], "phase"],
  ["cceAddonTaskState", [7], "status"],
  ["mapCceAddonRisk", [null, { metadata: {}, status: {} }], "risk"],
  ["cceAddonCheckRef", ["task-1"], "task"],
  ["cceAddonFindings", [{ metadata: {}, status: { riskList: "none" } }], "task.status.riskList"],
  ["latestAddonChecks", [{}], "tasks"],
  ["latestAddonChecks", [[null]], "tasks.0"],
  ["classifyAckItem", [null], "item"],
  ["ackCheckState", [null], "status"],
  ["ackCheckFindings", [undefined], "check"],
  ["ackCheckFindings", [{ check_id: "c" }], "check.check_items"],
  ["ackCheckFindings", [{ check_id: "c", check_items: { Node: "x" } }], "check.check_items.Node"],
  ["ackCheckRef", [null], "check"],
  ["snapshotDigest", [null], "snapshot"],
  ["worstSeverityOf", [undefined], "findings"],
  ["toApiError", ["cce", "ShowCluster", undefined], "response"],
  ["createTransport", [null], "options"],
  ["checkFreshness", [undefined, { now: 0 }], "check"],
  ["selectLatestCheck", ["items", {}], "items"],
  ["nextPollInterval", [null, 2_500, 30_000], "elapsedMs"],
  ["nextPollInterval", [1_000, 2_500, Number.NaN], "maxIntervalMs"],
];

describe("exported helpers called with the wrong shape", () => {
  it.each(mustName)("%s throws an InputError naming the bad argument", (name, args, path) => {
    const fn = api[name];
    expect(typeof fn).toBe("function");
    let caught: unknown;
    try {
      fn?.(...args);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toContain(name);
    expect((caught as InputError).issues.map((issue) => issue.path)).toContain(path);
  });

  it("the redaction helpers, used on error paths, never throw", () => {
    for (const value of [null, undefined, 42, {}]) {
      expect(typeof provider.redact(value as never)).toBe("string");
      expect(provider.redactHeaders(value as never)).toEqual({});
      expect(() => provider.registerSecret(value as never)).not.toThrow();
    }
    expect(provider.parseVendorError(undefined as never)).toEqual({
      code: undefined,
      message: undefined,
      requestId: undefined,
    });
  });
});
