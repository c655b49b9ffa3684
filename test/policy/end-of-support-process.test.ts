/**
 * End of support at preview time, through the REAL `run-policy-pack` process (policy-pack/dist: run
 * `npm run build` first) driven over gRPC, with the emulator answering the pack's lookups: a clean
 * upgrade of an ACK cluster whose version is past its end of support passes the mandatory policy and
 * gets an ADVISORY note naming the date; a blocked one says it among its reasons; a supported version
 * gets no note. (The support window is set per version in the emulator's scenario.)
 */
import * as path from "node:path";
import {
  analyzeRequest,
  analyzerPb,
  type PluginProcess,
  readAnalyzeResponse,
  startPolicyPack,
  structPb,
} from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator, startEmulator } from "@upgrade-guard/emulator";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const CLUSTER = "cluster-upgrade-requires-clean-precheck";
const FROM = "1.30.1-aliyun.1";
const TO = "1.31.1-aliyun.1";
const cleanCheck = {
  ack: { checks: [{ type: "ClusterUpgrade" as const, targetVersion: TO, createdAgo: "5m" }] },
};

let emulator: RunningEmulator;
let pack: PluginProcess;

beforeAll(async () => {
  emulator = await startEmulator({
    scenario: {
      name: "end-of-support",
      clusters: [
        {
          cloud: "ack",
          name: "eos-clean",
          version: FROM,
          targetVersions: [TO],
          versionSupport: { [FROM]: { endedAgo: "15d" } },
          history: cleanCheck,
        },
        {
          cloud: "ack",
          name: "eos-fatal",
          version: FROM,
          targetVersions: [TO],
          versionSupport: { [FROM]: { endedAgo: "15d" } },
          outcomes: {
            [TO]: {
              check: {
                items: [
                  {
                    group: "ClusterComponents",
                    name: "Deprecated API",
                    level: "error",
                    message: "v1beta1 in use",
                  },
                ],
              },
            },
          },
          history: cleanCheck,
        },
        {
          cloud: "ack",
          name: "eos-soon",
          version: "1.30.3-aliyun.1",
          targetVersions: [TO],
          versionSupport: { "1.30.3-aliyun.1": { endsIn: "30d" } },
          history: cleanCheck,
        },
        // The catalog is the region's, not the cluster's: another version, or it would share the window.
        {
          cloud: "ack",
          name: "supported",
          version: "1.30.2-aliyun.1",
          targetVersions: [TO],
          history: cleanCheck,
        },
      ],
    },
  });
  pack = await startPolicyPack(PACK_DIR, { env: clientEnvironment(emulator.url), startTimeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await pack?.stop();
  await emulator?.close();
});

async function analyzeBump(name: string) {
  const result = readAnalyzeResponse(
    await pack.call(
      "analyze",
      analyzeRequest("alicloud:cs/managedKubernetes:ManagedKubernetes", name, { name, version: TO }),
    ),
  );
  return result.diagnostics.filter((d) => d.policyName === CLUSTER);
}

describe("end of support through the real analyzer", () => {
  it("a clean upgrade off an expired version passes, with an advisory note naming the end date", async () => {
    const mine = await analyzeBump("eos-clean");
    expect(mine).toEqual([expect.objectContaining({ enforcementLevel: "advisory" })]);
    expect(mine[0]!.message).toMatch(
      new RegExp(
        `Kubernetes ${FROM.replace(/\./g, "\\.")} .* reached its end of support on \\d{4}-\\d\\d-\\d\\d \\(15 days ago`,
      ),
    );
    expect(mine[0]!.message).toContain(`Upgrade to ${TO} soon`);
  });

  it("a blocked upgrade stays mandatory and names the end of support among its reasons", async () => {
    const mine = await analyzeBump("eos-fatal");
    expect(mine).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(mine[0]!.message).toContain("reached its end of support");
  });

  it("a version far from its end of support gets no note at all", async () => {
    expect(await analyzeBump("supported")).toEqual([]);
  });

  it("a version near its end of support gets a note within the default 90 days, none within a configured 10", async () => {
    const soon = await analyzeBump("eos-soon");
    expect(soon).toEqual([expect.objectContaining({ enforcementLevel: "advisory" })]);
    expect(soon[0]!.message).toMatch(/reaches its end of support on \d{4}-\d\d-\d\d, in 30 days/);

    // As the engine configures the pack from a policy config file: this policy, mandatory, 10 days.
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    const config = new analyzerPb.PolicyConfig();
    config.setEnforcementlevel(1);
    config.setProperties(structPb.Struct.fromJavaScript({ endOfSupportNoticeDays: 10 }));
    request.getPolicyconfigMap().set(CLUSTER, config);
    await pack.call("configure", request);
    expect(await analyzeBump("eos-soon")).toEqual([]);
    // Past its end it is still noted: the setting only moves how early the notice starts.
    expect(await analyzeBump("eos-clean")).toEqual([
      expect.objectContaining({ enforcementLevel: "advisory" }),
    ]);
  });
});
