import { type CceAddonCheckTask } from "@upgrade-guard/provider";
import { addonUpgradeRequiresCleanAddonPrecheck } from "../../src/policies/addon-policy";
import { UNKNOWN, validateDirect } from "@upgrade-guard/harness";
import { FakeLookup, liveCceCluster, minutesAgo, minutesFromNow, NOW } from "./fakes";

const ADDON = "huaweicloud:Cce/addon:Addon";
const cluster = liveCceCluster("c-cce-1");

function task(options: {
  id: string;
  template?: string;
  target: string;
  status?: string;
  createdMinutesAgo?: number;
  risks?: { riskName: string; level: string; status?: string; message?: string }[];
}): CceAddonCheckTask {
  return {
    metadata: {
      type: "addonUpgrade",
      taskID: options.id,
      addonTemplateName: options.template ?? "coredns",
      addonInstanceID: "inst-1",
      createTimeStamp: minutesAgo(options.createdMinutesAgo ?? 5),
      expireTimeStamp: minutesFromNow(55),
    },
    spec: { addonTargetVersion: options.target },
    status: {
      status: options.status ?? "Failed",
      message: "Addon task check finish",
      riskList: (options.risks ?? []).map((risk) => ({ status: "Failed", ...risk })),
    },
  } as CceAddonCheckTask;
}

const fatal = { riskName: "AddonValidate", level: "Fatal", message: "the corefile was modified" };
const warning = { riskName: "AddonStatus", level: "Warning", message: "the add-on is not running" };

function run(
  tasks: CceAddonCheckTask[],
  props: Record<string, unknown>,
  config: Record<string, unknown> = {},
) {
  // coredns is installed at 1.29.4: the program's 1.30.1 is a version change.
  const lookup = new FakeLookup([
    { cluster, addonTasks: tasks, addons: [{ template: "coredns", version: "1.29.4" }] },
  ]);
  const policy = addonUpgradeRequiresCleanAddonPrecheck({ lookup, now: () => NOW, config });
  return { lookup, result: validateDirect(policy, { type: ADDON, name: "coredns", props }) };
}

const props = { clusterId: cluster.clusterId, templateName: "coredns", version: "1.30.1" };

describe("addon-upgrade-requires-clean-addon-precheck", () => {
  it("blocks while the latest add-on check for that version reports a Fatal risk", async () => {
    const { result } = run([task({ id: "t1", target: "1.30.1", risks: [fatal, warning] })], props);
    const { violations } = await result;
    expect(violations).toHaveLength(1);
    const message = violations[0]!.message;
    expect(message).toContain("add-on upgrade of CCE cluster c-cce-1");
    expect(message).toContain("coredns 1.30.1 is BLOCKED");
    expect(message).toMatch(/Check: cce-addon-check t1 \(Failed, created .*, 5 min old/);
    expect(message).toContain("AddonValidate [Fatal] (coredns): the corefile was modified");
    expect(message).not.toContain("cce-cluster-precheck");
  });

  it("refuses a version written as a number, saying to quote it, without a lookup", async () => {
    const { lookup, result } = run([task({ id: "t1", target: "1.3", risks: [] })], {
      ...props,
      version: 1.3,
    });
    const { violations } = await result;
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain("missing or invalid version");
    expect(violations[0]!.message).toContain("got the number 1.3");
    expect(violations[0]!.message).toContain("write the version in quotes");
    expect(lookup.calls).toEqual([]);
  });

  it("judges the newest check for that version only", async () => {
    const tasks = [
      task({ id: "old", target: "1.30.1", createdMinutesAgo: 30, risks: [fatal] }),
      task({ id: "new", target: "1.30.1", createdMinutesAgo: 2, status: "Success", risks: [] }),
      task({ id: "other-version", target: "1.31.0", createdMinutesAgo: 1, risks: [fatal] }),
      task({
        id: "other-addon",
        template: "everest",
        target: "1.30.1",
        createdMinutesAgo: 1,
        risks: [fatal],
      }),
    ];
    expect((await run(tasks, props).result).violations).toEqual([]);
  });

  it("picks the latest check by the policy's clock: one dated in the future never wins over a believable one", async () => {
    const tasks = [
      task({ id: "real", target: "1.30.1", createdMinutesAgo: 5, risks: [fatal] }),
      task({ id: "future", target: "1.30.1", createdMinutesAgo: -120, status: "Success", risks: [] }),
    ];
    const { violations } = await run(tasks, props).result;
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toMatch(/Check: cce-addon-check real /);
    expect(violations[0]!.message).toContain("AddonValidate [Fatal]");
    expect(violations[0]!.message).not.toContain("in the future");
  });

  it("lets Warning risks pass by default, and blocks them when configured, where they can be waived", async () => {
    const tasks = [task({ id: "t1", target: "1.30.1", risks: [warning] })];
    expect((await run(tasks, props).result).violations).toEqual([]);
    const strict = await run(tasks, props, { blockingSeverities: ["fatal", "warning", "unknown"] }).result;
    expect(strict.violations).toHaveLength(1);
    const waived = await run(tasks, props, {
      blockingSeverities: ["fatal", "warning", "unknown"],
      waivers: [
        {
          checkName: "AddonStatus",
          clusterId: cluster.clusterId,
          reason: "restarting",
          owner: "ops",
          expires: minutesFromNow(60),
        },
      ],
    }).result;
    expect(waived.violations).toEqual([expect.objectContaining({ enforcementLevel: "advisory" })]);
  });

  it("refuses to waive a Fatal add-on risk", async () => {
    const { violations } = await run([task({ id: "t1", target: "1.30.1", risks: [fatal] })], props, {
      waivers: [
        {
          checkName: "AddonValidate",
          clusterId: cluster.clusterId,
          reason: "r",
          owner: "ops",
          expires: minutesFromNow(60),
        },
      ],
    }).result;
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain("Waivers refused");
  });

  it("blocks while the check is still running", async () => {
    const { violations } = await run(
      [task({ id: "t1", target: "1.30.1", status: "Running", risks: [] })],
      props,
    ).result;
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain("verdict pending");
  });

  it("blocks a version change without a check by default; missingCheckBlocks: false relaxes it", async () => {
    const strict = await run([], props).result;
    expect(strict.violations).toHaveLength(1);
    expect(strict.violations[0]!.enforcementLevel).toBeUndefined(); // the policy's own level: mandatory
    expect(strict.violations[0]!.message).toContain("moves from 1.29.4 to 1.30.1");
    expect(strict.violations[0]!.message).toContain("no add-on check (addonUpgrade) of coredns for 1.30.1");
    expect(strict.violations[0]!.message).toContain('"missingCheckBlocks": false');
    expect((await run([], props, { missingCheckBlocks: false }).result).violations).toEqual([]);
  });

  it("judges nothing when the installed version is the program's, or the add-on is not installed yet", async () => {
    const same = await run([], { ...props, version: "1.29.4" }).result;
    expect(same.violations).toEqual([]);
    const notInstalled = await run([], { ...props, templateName: "everest", version: "2.4.52" }).result;
    expect(notInstalled.violations).toEqual([]);
  });

  it("an expired add-on check for a real change is stale: it blocks", async () => {
    const expired = task({ id: "t1", target: "1.30.1", status: "Success", createdMinutesAgo: 120 });
    (expired.metadata as { expireTimeStamp?: string }).expireTimeStamp = minutesAgo(60);
    const { violations } = await run([expired], props).result;
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain("verdict stale");
  });

  it("fails closed on an unknown version and on a failed lookup", async () => {
    expect((await run([], { ...props, version: UNKNOWN }).result).violations[0]!.message).toContain(
      "version is unknown",
    );
    const lookup = new FakeLookup([{ cluster, error: new Error("HTTP 503") }]);
    const policy = addonUpgradeRequiresCleanAddonPrecheck({ lookup, now: () => NOW });
    const failed = await validateDirect(policy, { type: ADDON, props });
    expect(failed.violations[0]!.message).toContain("HTTP 503");
  });

  it("reports an expired waiver as ignored (advisory) when the add-on upgrade passes anyway", async () => {
    const { result } = run([task({ id: "t1", target: "1.30.1", risks: [warning] })], props, {
      waivers: [
        {
          checkName: "AddonStatus",
          clusterId: cluster.clusterId,
          reason: "restarted in the window",
          owner: "platform-team",
          expires: minutesAgo(10),
        },
      ],
    });
    const { violations } = await result;
    expect(violations).toHaveLength(1);
    expect(violations[0]!.enforcementLevel).toBe("advisory");
    expect(violations[0]!.message).toContain("waiver for AddonStatus (owner platform-team): it expired at");
    expect(violations[0]!.message).toContain("ignored");
  });

  it("blocks (mandatory) when the region is unknown during preview", async () => {
    const { result, lookup } = run([], { ...props, region: UNKNOWN });
    const { violations } = await result;
    expect(violations).toHaveLength(1);
    expect(violations[0]!.enforcementLevel).toBeUndefined();
    expect(violations[0]!.message).toContain("region is unknown");
    expect(lookup.calls).toEqual([]);
  });
});
