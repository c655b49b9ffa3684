/**
 * Limits found in review: clock advances past the largest Date, unwritable state files, latency
 * timers outliving close, summed latency, stale target versions and request-log capacity.
 */
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ScenarioError, startEmulator, StateFileError, validateScenario, type RunningEmulator } from "../src";
import { FaultTable, MAX_LATENCY_MS } from "../src/faults/faults";
import { control, huawei, HW_CREDS } from "./helpers/http";

const running: RunningEmulator[] = [];
async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator(options);
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const rejection = (action: () => unknown): Error => {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
};

describe("advancing the clock past the largest valid Date", () => {
  it.each([
    [{ advanceMs: 1e300 }, "advanceMs"],
    [{ advanceMs: 8.64e15 }, "advanceMs"],
    [{ advance: "99999999d" }, "advance"],
  ])("POST /__emulator/clock %j is a 400 naming %s, and the clock still works", async (body, field) => {
    const emulator = await start({ freezeClock: true });
    const before = (await control<{ nowMs: number }>(emulator.url, "GET", "clock")).body.nowMs;
    const answer = await control<{ error: string }>(emulator.url, "POST", "clock", body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(new RegExp(`^${field}: `));
    const after = await control<{ nowMs: number; now: string }>(emulator.url, "GET", "clock");
    expect(after.status).toBe(200);
    expect(after.body.nowMs).toBe(before);
    // Timestamps in answers still render.
    const cluster = emulator.control.clusters().find((c) => c.name === "cce-ready")!;
    const shown = await huawei(
      emulator.url,
      "GET",
      `/api/v3/projects/${HW_CREDS.projectId}/clusters/${cluster.id}`,
    );
    expect(shown.status).toBe(200);
  });

  it("the typed advanceClock throws a RangeError naming advanceMs and leaves the clock alone", async () => {
    const emulator = await start({ freezeClock: true });
    const before = emulator.control.clock().nowMs;
    expect(() => emulator.control.advanceClock(8.64e15)).toThrow(/advanceMs/);
    expect(() => emulator.control.advanceClock(8.64e15)).toThrow(RangeError);
    expect(emulator.control.clock().nowMs).toBe(before);
    // An ordinary advance still works afterwards.
    expect(emulator.control.advanceClock(3_600_000).nowMs).toBe(before + 3_600_000);
  });
});

describe("an unusable state file fails start-up, before listening", () => {
  it("a missing directory: StateFileError naming stateFile and the fix", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ugemu-limits-")), "missing", "s.json");
    const error = await startEmulator({ stateFile: file }).then(
      () => new Error("started"),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect(error.message).toMatch(/^stateFile .*s\.json: .*does not exist; create it or choose another path/);
  });

  it("a directory: says it is a directory, not to delete it", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "ugemu-limits-"));
    const error = await startEmulator({ stateFile: folder }).then(
      () => new Error("started"),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect(error.message).toMatch(/is a directory/);
    expect(error.message).not.toMatch(/delete/);
  });
});

describe("fault latency", () => {
  it("a pending latency timer does not outlive close()", async () => {
    // Spies on the real timer functions (every call goes through) to follow the latency's own timer.
    // Counting every timer in the process flaked in CI: a timer of the test runner's came or went
    // between the two counts.
    const setTimer = jest.spyOn(globalThis, "setTimeout");
    const clearTimer = jest.spyOn(globalThis, "clearTimeout");
    const latencyTimers = (): unknown[] =>
      setTimer.mock.calls.flatMap((args, i) =>
        args[1] === MAX_LATENCY_MS ? [setTimer.mock.results[i]?.value] : [],
      );
    try {
      // Through start(): a failed assertion still closes it (afterEach), or its timer would hold jest.
      const emulator = await start({ freezeClock: true });
      const cluster = emulator.control.clusters().find((c) => c.name === "cce-ready")!;
      emulator.control.setFault({ operation: "ShowCluster", latencyMs: MAX_LATENCY_MS });
      // A bare request without a client timeout: only the emulator's latency sets a timer that long.
      const pending = new Promise<string>((resolve) => {
        const req = request(
          `${emulator.url}/api/v3/projects/${HW_CREDS.projectId}/clusters/${cluster.id}`,
          (res) => resolve(`answered ${String(res.statusCode)}`),
        );
        req.on("error", () => resolve("reset"));
        req.end();
      });
      // Bounded by event-loop turns, not time: wait until the latency timer exists.
      for (let turn = 0; turn < 100_000 && latencyTimers().length === 0; turn++)
        await new Promise((r) => setImmediate(r));
      const [timer, ...others] = latencyTimers();
      expect(timer).toBeDefined();
      expect(others).toEqual([]);
      expect(clearTimer.mock.calls.some(([cleared]) => cleared === timer)).toBe(false);
      await emulator.close();
      expect(await pending).toBe("reset");
      expect(clearTimer.mock.calls.some(([cleared]) => cleared === timer)).toBe(true);
    } finally {
      setTimer.mockRestore();
      clearTimer.mockRestore();
    }
  });

  it("matching rules' latencies sum, capped at the schema's maximum", () => {
    const table = new FaultTable();
    table.add({ operation: "ShowCluster", latencyMs: MAX_LATENCY_MS }, 0);
    table.add({ operation: "ShowCluster", latencyMs: MAX_LATENCY_MS }, 0);
    table.add({ operation: "ShowCluster", latencyMs: 5 }, 0);
    const decision = table.decide({ service: "cce", operation: "ShowCluster", method: "GET", path: "/" }, 0);
    expect(decision.ruleIds).toHaveLength(3);
    expect(decision.latencyMs).toBe(MAX_LATENCY_MS);
    const small = new FaultTable();
    small.add({ operation: "ShowCluster", latencyMs: 5 }, 0);
    small.add({ operation: "ShowCluster", latencyMs: 7 }, 0);
    expect(
      small.decide({ service: "cce", operation: "ShowCluster", method: "GET", path: "/" }, 0).latencyMs,
    ).toBe(12);
  });
});

describe("scenario targetVersions must be newer than the cluster's version", () => {
  it.each([
    ["cce", "v1.29.5-r0", ["v1.30", "v1.29"], "v1.29"],
    ["cce", "v1.30.1-r0", ["v1.30"], "v1.30"],
    ["ack", "1.31.1-aliyun.1", ["1.32.1-aliyun.1", "1.30.8-aliyun.1"], "1.30.8-aliyun.1"],
    ["ack", "1.31.1-aliyun.1", ["1.31.1-aliyun.1"], "1.31.1-aliyun.1"],
  ])("%s %s → %j rejects %s", (cloud, version, targetVersions, stale) => {
    const error = rejection(() =>
      validateScenario(
        { name: "stale", clusters: [{ cloud, name: "old-target", version, targetVersions }] },
        "test scenario",
      ),
    );
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toContain(
      `old-target: targetVersions "${stale}" not newer than its version "${version}"`,
    );
  });

  it("newer targets pass", () => {
    const scenario = validateScenario({
      name: "fresh",
      clusters: [
        { cloud: "cce", name: "c", version: "v1.29.5-r0", targetVersions: ["v1.29.6", "v1.30"] },
        { cloud: "ack", name: "a", version: "1.31.1-aliyun.1", targetVersions: ["1.32.1-aliyun.1"] },
      ],
    });
    expect(scenario.clusters).toHaveLength(2);
  });
});

it("requestLogLimit beyond its range is refused", async () => {
  await expect(startEmulator({ requestLogLimit: 99_999_999_999 })).rejects.toThrow(
    /requestLogLimit must be an integer 0\.\.1000000/,
  );
});
