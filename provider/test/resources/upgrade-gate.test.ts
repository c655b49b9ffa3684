// The upgrade resources' gate on its own: its inputs may make it stricter, never weaker than
// `evaluate`'s defaults. The emulator only sends the levels CCE documents, so the unreadable level
// is built here with the real snapshot builder (no mock: the gate reads this snapshot as it would one
// gathered from the cloud).
import { buildCceSnapshot } from "../../src/readiness/build";
import { assertUpgradeAllowed, UpgradeBlockedError } from "../../src/pulumi/resources/upgrade-gate";

const NOW = Date.parse("2030-01-15T12:00:00Z");
const minutesFromNow = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

/** A failed precheck whose one waivable Risk has a level upgrade-guard cannot read. */
const unreadableLevel = buildCceSnapshot({
  cluster: { id: "c1", region: "cn-north-4", currentVersion: "v1.29.5-r0" },
  targetVersion: "v1.30",
  upgradePath: { source: "cce-upgrade-info", offered: ["v1.30"] },
  precheck: {
    metadata: { uid: "pc1", creationTimestamp: minutesFromNow(-5), updateTimestamp: minutesFromNow(-4) },
    spec: { targetVersion: "v1.30" },
    status: {
      phase: "Failed",
      expireTimeStamp: minutesFromNow(55),
      clusterCheckStatus: {
        phase: "Failed",
        itemsStatus: [
          {
            name: "NodeKernelCompat",
            group: "NodeCheck",
            kind: "Risk",
            level: "Critical",
            phase: "Failed",
            message: "kernel not supported by v1.30",
          },
        ],
      },
    },
  },
  now: NOW,
});

it("the finding is what the case needs: present, severity unknown, waivable", () => {
  expect(unreadableLevel.findings).toEqual([
    expect.objectContaining({
      checkName: "NodeKernelCompat",
      state: "present",
      severity: "unknown",
      waivable: true,
    }),
  ]);
});

it.each([[undefined], [["fatal"]], [["warning"]], [["fatal", "warning"]]] as const)(
  "blockingSeverities %j still blocks a finding whose level could not be read",
  (asked) => {
    const options = asked === undefined ? {} : { blockingSeverities: [...asked] };
    let thrown: unknown;
    try {
      assertUpgradeAllowed("test upgrade", unreadableLevel, options, undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpgradeBlockedError);
    expect((thrown as UpgradeBlockedError).evaluation.blocking.map((f) => f.checkName)).toEqual([
      "NodeKernelCompat",
    ]);
  },
);
