/**
 * Server retry hints over real HTTP to the emulator: `x-acs-retry-after` is milliseconds (as the
 * Alibaba SDK reads it), a hint is capped at `retry.maxDelayMs`, and a wait past the deadline fails
 * at once, saying what the service asked for and which option sets the deadline.
 */
import { clientEnvironment } from "@upgrade-guard/emulator";
import { createAckClient, createCceClient } from "../../src/clients";
import { TransportError } from "../../src/errors";
import { type TransportClock } from "../../src/transport/types";
import { defaultEmulatorPerFile, rejectionOf } from "../clients/helpers";

const file = defaultEmulatorPerFile({ freezeClock: true });
const clusterId = (name: string): string => file.clusterId(name);

/** Real time plus the waits slept so far (they return at once); records each wait. */
function recordingClock(): TransportClock & { sleeps: number[] } {
  let slept = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + slept,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      slept += ms;
    },
  };
}

describe("ACK x-acs-retry-after", () => {
  it("is read as milliseconds: a 2 s wait (x-acs-retry-after: 2000) is waited, then the read passes", async () => {
    const clock = recordingClock();
    const ack = createAckClient({ env: clientEnvironment(file.emulator.url), clock });
    try {
      file.emulator.control.setFault({
        operation: "DescribeClusterDetail",
        error: { status: 400, code: "Throttling.User", retryAfterSeconds: 2 },
        times: 1,
      });
      await ack.describeClusterDetail({ clusterId: clusterId("ack-ready") });
      expect(clock.sleeps).toEqual([2000]);
      const statuses = file.emulator.control
        .requests()
        .filter((r) => r.operation === "DescribeClusterDetail")
        .map((r) => r.status);
      expect(statuses).toEqual([400, 200]);
    } finally {
      await ack.close();
    }
  });

  it("a hint longer than retry.maxDelayMs is waited for maxDelayMs only", async () => {
    const clock = recordingClock();
    const ack = createAckClient({
      env: clientEnvironment(file.emulator.url),
      clock,
      transport: { retry: { maxDelayMs: 5000 } },
    });
    try {
      file.emulator.control.setFault({
        operation: "DescribeClusterDetail",
        error: { status: 400, code: "Throttling.User", retryAfterSeconds: 60 },
        times: 1,
      });
      await ack.describeClusterDetail({ clusterId: clusterId("ack-ready") });
      expect(clock.sleeps).toEqual([5000]);
    } finally {
      await ack.close();
    }
  });
});

describe("a hint past the deadline", () => {
  it.each(["ack", "cce"] as const)(
    "%s: fails at once with DEADLINE_EXCEEDED naming the wait and retry.deadlineMs, without sleeping",
    async (cloud) => {
      const clock = recordingClock();
      const options = {
        env: clientEnvironment(file.emulator.url),
        clock,
        transport: { retry: { deadlineMs: 10_000 } },
      };
      const client = cloud === "ack" ? createAckClient(options) : createCceClient(options);
      try {
        file.emulator.control.setFault({
          service: cloud,
          error:
            cloud === "ack"
              ? { status: 400, code: "Throttling.User", retryAfterSeconds: 15 }
              : { status: 429, code: "APIGW.0308", retryAfterSeconds: 15 },
          times: 1,
        });
        const call =
          cloud === "ack"
            ? (client as ReturnType<typeof createAckClient>).describeClusterDetail({
                clusterId: clusterId("ack-ready"),
              })
            : (client as ReturnType<typeof createCceClient>).showCluster({
                clusterId: clusterId("cce-ready"),
              });
        const error = await rejectionOf(call);
        expect(error).toBeInstanceOf(TransportError);
        const failure = error as TransportError;
        expect(failure.code).toBe("DEADLINE_EXCEEDED");
        expect(failure.ambiguous).toBe(false);
        expect(failure.message).toContain(
          `the service asked (${cloud === "ack" ? "x-acs-retry-after" : "retry-after"}) to wait 15 s`,
        );
        expect(failure.message).toContain("retry.deadlineMs");
        expect(failure.message).toContain(cloud === "ack" ? "Throttling.User" : "APIGW.0308");
        expect(clock.sleeps).toEqual([]);
        expect(file.emulator.control.requests()).toHaveLength(1);
      } finally {
        await client.close();
      }
    },
  );
});
