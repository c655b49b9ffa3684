import { upgradePrecheckFreshness } from "../../src/policies/freshness-policy";
import { TYPE_TOKENS } from "@upgrade-guard/sdk";
import { UNKNOWN, validateDirect } from "@upgrade-guard/harness";
import {
  ccePrecheck,
  FakeLookup,
  liveCceCluster,
  lookupWithPrecheck,
  minutesAgo,
  minutesFromNow,
  NOW,
} from "./fakes";

describe("upgrade-precheck-freshness", () => {
  const policy = (config: Record<string, unknown> = {}, lookup = new FakeLookup([])) =>
    upgradePrecheckFreshness({ now: () => NOW, lookup, config });
  const props = (readiness: Record<string, unknown> | string) => ({
    clusterId: "c1",
    currentVersion: "1.31.1-aliyun.1",
    targetVersion: "1.32.1-aliyun.1",
    readiness,
  });

  it("is advisory by default", () => {
    expect(policy().enforcementLevel).toBe("advisory");
  });

  // The check is read from the cloud (the fake lookup), never from the program's readiness claim.
  const cluster = liveCceCluster("c1");
  const liveCheck = (expiresInMinutes: number, createdMinutesAgo = 5) =>
    lookupWithPrecheck(
      cluster,
      ccePrecheck({ id: "chk-1", target: "v1.30", expiresInMinutes, createdMinutesAgo }),
    );
  const own = (readiness: Record<string, unknown> | string = {}) => ({
    type: TYPE_TOKENS.cce.ClusterUpgrade,
    props: { clusterId: "c1", currentVersion: "v1.29.5-r0", targetVersion: "v1.30", readiness },
  });

  it("warns when the live check expires within the window, saying when, whatever the summary claims", async () => {
    const result = await validateDirect(
      policy({}, liveCheck(12)),
      own({ checkId: "chk-1", observedAt: minutesAgo(1), expiresAt: minutesFromNow(500) }),
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain(
      "(check chk-1) expires in 12 min, at " + minutesFromNow(12),
    );
  });

  it("stays quiet when the expiry is beyond the window, and honours a wider window", async () => {
    const quiet = await validateDirect(policy({}, liveCheck(45)), own());
    expect(quiet.violations).toEqual([]);
    const wide = await validateDirect(policy({ warnWithinMinutes: 60 }, liveCheck(45)), own());
    expect(wide.violations).toHaveLength(1);
  });

  it("says when the live check has already expired", async () => {
    const result = await validateDirect(policy({}, liveCheck(-5, 90)), own());
    expect(result.violations[0]!.message).toContain("expired at");
  });

  it("leaves unknowns to the mandatory policy", async () => {
    const result = await validateDirect(policy(), {
      type: TYPE_TOKENS.ack.ClusterUpgrade,
      props: props(UNKNOWN),
    });
    expect(result.violations).toEqual([]);
  });

  it("reads a third-party resource's check through the (shared) lookup", async () => {
    const precheck = ccePrecheck({
      id: "pc-7",
      target: "v1.30",
      createdMinutesAgo: 50,
      expiresInMinutes: 10,
    });
    const lookup = lookupWithPrecheck(liveCceCluster("c2"), precheck);
    const result = await validateDirect(policy({}, lookup), {
      type: "huaweicloud:Cce/cluster:Cluster",
      props: { name: "prod", clusterVersion: "v1.30" },
    });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain("(check pc-7) expires in 10 min");
  });
});
