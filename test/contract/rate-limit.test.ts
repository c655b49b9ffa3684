/**
 * The client's per-origin rate limit against the emulator's rate-limit fault mode. Client and
 * emulator share one virtual timeline (see helpers/shared-timeline.ts), so the emulator judges each
 * request at exactly the instant the client's limiter released it: deterministic, no real waiting.
 * Many parallel reads with a client limit below the emulator's threshold produce no throttle error;
 * the same reads without that limit are throttled (the control that shows the limit is what helps).
 */
import { ApiError, type TransportOptions } from "@upgrade-guard/provider";
import { useEmulator } from "./helpers/harness";
import { SharedTimeline } from "./helpers/shared-timeline";

const h = useEmulator({ freezeClock: true });

const READS = 30;
/** The emulator lets 10 requests through at once and 10 per virtual second after that. */
const EMULATOR_LIMIT = { perSecond: 10, burst: 10 };
/** Below the emulator's threshold on both counts. */
const CLIENT_LIMIT: Partial<LimitOptions> = { ratePerSecond: 8, burst: 5, concurrency: 16 };

type LimitOptions = NonNullable<TransportOptions["limits"]>;

const CLOUDS = [
  ["CCE ShowCluster", "cce", "ShowCluster", "cce-ready", 429, "APIGW.0308"],
  ["ACK DescribeClusterDetail", "ack", "DescribeClusterDetail", "ack-ready", 400, "Throttling.User"],
] as const;

async function parallelReads(
  cloud: "cce" | "ack",
  clusterName: string,
  limits: Partial<LimitOptions> | undefined,
) {
  const timeline = new SharedTimeline(h.emulator.control);
  h.track(timeline.dispatcher);
  // One attempt per read: a throttle is an error here, never hidden by a retry. Each read is sent
  // (not shared with the identical reads in flight): the emulator must see all of them.
  const transport = {
    clock: timeline,
    retry: { maxAttempts: 1 },
    shareReads: false,
    ...(limits === undefined ? {} : { limits }),
  };
  const clusterId = h.clusterId(clusterName);
  const startedAt = timeline.now();
  const read =
    cloud === "cce"
      ? (() => {
          const cce = h.cce({ dispatcher: timeline.dispatcher, transport });
          return () => cce.showCluster({ clusterId });
        })()
      : (() => {
          const ack = h.ack({ dispatcher: timeline.dispatcher, transport });
          return () => ack.describeClusterDetail({ clusterId });
        })();
  const outcomes = await Promise.allSettled(Array.from({ length: READS }, () => read()));
  return { outcomes, virtualMs: timeline.now() - startedAt };
}

describe.each(CLOUDS)(
  `%s, ${READS} parallel reads`,
  (_label, cloud, operation, cluster, throttleStatus, throttleCode) => {
    it("without a client limit below the emulator's, the emulator throttles the excess", async () => {
      const rule = await h.control.addFault({ operation, rateLimit: EMULATOR_LIMIT });
      // The default client limit (16 in flight, burst 100) lets 16 out at the same virtual instant;
      // their throttled answers halve the adaptive rate and empty its burst, so the other 14 are
      // paced (50/s) instead of sent at once: some virtual time passes, and they still exceed the
      // emulator's 10/s.
      const { outcomes, virtualMs } = await parallelReads(cloud, cluster, undefined);
      expect(virtualMs).toBeGreaterThan(0);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected.length).toBeLessThanOrEqual(READS - EMULATOR_LIMIT.burst);
      for (const { reason } of rejected) {
        expect(reason).toBeInstanceOf(ApiError);
        expect(reason).toMatchObject({
          category: "throttled",
          httpStatus: throttleStatus,
          vendorCode: throttleCode,
        });
      }
      expect((await h.control.faults()).find((f) => f.id === rule.id)).toMatchObject({
        matched: READS,
        applied: rejected.length,
      });
    });

    it("with the client limited below the emulator's threshold, none is throttled", async () => {
      const rule = await h.control.addFault({ operation, rateLimit: EMULATOR_LIMIT });
      const { outcomes, virtualMs } = await parallelReads(cloud, cluster, CLIENT_LIMIT);
      const failures = outcomes.filter((o) => o.status === "rejected");
      expect(failures).toEqual([]);
      const log = await h.control.requests({ operation });
      expect(log).toHaveLength(READS);
      expect(log.filter((e) => e.status !== 200)).toEqual([]);
      expect((await h.control.faults()).find((f) => f.id === rule.id)).toMatchObject({
        matched: READS,
        applied: 0,
      });
      // The limiter really spaced them: burst 5, then one every 125 ms of virtual time.
      expect(virtualMs).toBeGreaterThanOrEqual(
        ((READS - CLIENT_LIMIT.burst!) * 1000) / CLIENT_LIMIT.ratePerSecond!,
      );
    });
  },
);
