// End of support over real HTTP to the emulator: the facts gatherer reads the current version's
// support window (ACK DescribeKubernetesVersionMetadata) into the snapshot, and `evaluate` turns it
// into a notice that never blocks, also when the window cannot be read.
import { clientEnvironment, type ScenarioInput } from "../../../emulator/src";
import { createAckClient } from "../../src/clients/ack/client";
import { InputError } from "../../src/errors";
import { evaluate } from "../../src/readiness/evaluate";
import { readAckReadiness } from "../../src/readiness/facts";
import { startTestCloud, type TestCloud } from "../resources/helpers";

const CURRENT = "1.30.1-aliyun.1";
const NEXT = "1.31.1-aliyun.1";
const clean = {
  ack: { checks: [{ type: "ClusterUpgrade" as const, targetVersion: NEXT, createdAgo: "5m" }] },
};

const SCENARIO: ScenarioInput = {
  name: "version-support",
  clusters: [
    {
      cloud: "ack",
      name: "ack-expired",
      version: CURRENT,
      targetVersions: [NEXT],
      versionSupport: { [CURRENT]: { releasedAgo: "400d", endedAgo: "10d" } },
      history: clean,
    },
    {
      cloud: "ack",
      name: "ack-ending",
      version: "1.29.3-aliyun.1",
      targetVersions: ["1.30.1-aliyun.1"],
      versionSupport: { "1.29.3-aliyun.1": { endsIn: "20d" } },
      history: {
        ack: { checks: [{ type: "ClusterUpgrade", targetVersion: "1.30.1-aliyun.1", createdAgo: "5m" }] },
      },
    },
    { cloud: "ack", name: "ack-supported", version: "1.32.1-aliyun.1", targetVersions: [] },
  ],
};

let cloud: TestCloud;
let ack: ReturnType<typeof createAckClient>;
beforeAll(async () => {
  cloud = await startTestCloud(SCENARIO);
  ack = createAckClient({ env: clientEnvironment(cloud.url) });
});
afterAll(async () => {
  await ack.close();
  await cloud.close();
});
afterEach(() => cloud.emulator.control.clearFaults());

const DAY = 86_400_000;

describe("the support window in the snapshot", () => {
  it("a version past its end of support: a notice naming the date and the upgrade, and the verdict unchanged", async () => {
    const snapshot = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-expired") });
    expect(snapshot.versionSupport).toMatchObject({ source: "ack-version-metadata", version: CURRENT });
    const end = Date.parse(snapshot.versionSupport?.endOfSupport ?? "");
    const observed = Date.parse(snapshot.observedAt);
    // Ten days before the emulator's clock, within the second-granularity of ACK's dates.
    expect(Math.abs(observed - 10 * DAY - end)).toBeLessThan(2_000);
    expect(snapshot.verdict).toBe("ready");
    const notice = snapshot.reasons.find((reason) => reason.startsWith("Notice"));
    expect(notice).toMatch(
      new RegExp(
        `Kubernetes ${CURRENT.replace(/\./g, "\\.")} .* reached its end of support on \\d{4}-\\d\\d-\\d\\d`,
      ),
    );
    expect(notice).toContain("(10 days ago");
    expect(notice).toContain(`Upgrade to ${NEXT} soon`);
    expect(evaluate(snapshot).notices).toEqual([notice]);
  });

  it("a version within the notice window is noticed; a wider or narrower window decides", async () => {
    const snapshot = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-ending") });
    const notices = evaluate(snapshot).notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/reaches its end of support on \d{4}-\d\d-\d\d, in 20 days/);
    expect(notices[0]).toContain("Plan the upgrade to 1.30.1-aliyun.1 before then");
    expect(evaluate(snapshot, { endOfSupportNoticeDays: 10 }).notices).toEqual([]);
    expect(evaluate(snapshot, { endOfSupportNoticeDays: 10 }).allowed).toBe(evaluate(snapshot).allowed);
  });

  it("a supported version far from its end gets no notice; an idle cluster still gets one when due", async () => {
    const far = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-supported") });
    expect(far.versionSupport?.endOfSupport).toBeDefined();
    expect(evaluate(far).notices).toEqual([]);
    const idle = await readAckReadiness(ack, {
      clusterId: cloud.clusterId("ack-expired"),
      targetVersion: CURRENT,
    });
    expect(idle.verdict).toBe("ready");
    expect(evaluate(idle).notices).toHaveLength(1);
  });

  it("an unreadable window is recorded and noticed, and the gathering and verdict go on", async () => {
    cloud.emulator.control.setFault({
      operation: "DescribeKubernetesVersionMetadata",
      error: { status: 403, code: "Forbidden.RAM", message: "not authorized" },
    });
    const snapshot = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-expired") });
    expect(snapshot.versionSupport).toEqual({
      source: "ack-version-metadata",
      version: CURRENT,
      unreadable: "DescribeKubernetesVersionMetadata failed (HTTP 403 Forbidden.RAM)",
    });
    expect(snapshot.verdict).toBe("ready");
    expect(evaluate(snapshot).notices[0]).toMatch(
      /could not be read: DescribeKubernetesVersionMetadata failed/,
    );
  });

  it("the window is stable across reads, so the digest is", async () => {
    const first = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-supported") });
    cloud.emulator.control.advanceClock(60_000);
    const second = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-supported") });
    expect(second.digest).toBe(first.digest);
  });

  it("a bad notice window is refused, naming the option", async () => {
    const snapshot = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-supported") });
    expect(() => evaluate(snapshot, { endOfSupportNoticeDays: -1 })).toThrow(InputError);
    expect(() => evaluate(snapshot, { endOfSupportNoticeDays: -1 })).toThrow(/endOfSupportNoticeDays/);
  });
});
