/**
 * No secret leaks out of the pack: planted secret keys and security tokens must appear in no
 * diagnostic message and nowhere in what the REAL analyzer process prints, including when the cloud
 * refuses the credentials (401 / signature mismatch / bad token), the path where an error is most
 * likely to echo what was sent. The emulator answers the lookups (run `npm run build` first: the
 * process loads the compiled pack).
 */
import * as path from "node:path";
import {
  analyzeRequest,
  type Diagnostic,
  type PluginProcess,
  readAnalyzeResponse,
  startPolicyPack,
} from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator, startEmulator } from "@upgrade-guard/emulator";
import { ACK_TO, ADDON_TO, CCE_TO, MATRIX_SCENARIO } from "./fixtures";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const CLUSTER = "cluster-upgrade-requires-clean-precheck";

/** Distinctive values, so a leak of any part of them is found. */
const PLANTED = {
  HUAWEICLOUD_SDK_SK: "plantedHwSecretKey5f3a9c21",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "plantedAliSecret7b2e1d84",
};
const PLANTED_TOKENS = {
  HUAWEICLOUD_SDK_SECURITY_TOKEN: "plantedHwSecurityToken0c6d",
  ALIBABA_CLOUD_SECURITY_TOKEN: "plantedAliSecurityToken9e4f",
};
const SECRETS = [...Object.values(PLANTED), ...Object.values(PLANTED_TOKENS)];

let emulator: RunningEmulator;
/** Wrong secret keys: every request fails its signature check. */
let wrongSecrets: PluginProcess;
/** Wrong secret keys plus security tokens: every request is refused for its token. */
let withTokens: PluginProcess;
const ids = new Map<string, string>();

beforeAll(async () => {
  emulator = await startEmulator({ scenario: MATRIX_SCENARIO });
  for (const cluster of emulator.control.clusters()) ids.set(cluster.name, cluster.id);
  [wrongSecrets, withTokens] = await Promise.all([
    startPolicyPack(PACK_DIR, {
      env: clientEnvironment(emulator.url, { overrides: PLANTED }),
      startTimeoutMs: 30_000,
    }),
    startPolicyPack(PACK_DIR, {
      env: clientEnvironment(emulator.url, { overrides: { ...PLANTED, ...PLANTED_TOKENS } }),
      startTimeoutMs: 30_000,
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([wrongSecrets?.stop(), withTokens?.stop()]);
  await emulator?.close();
});

/** Every covered kind of lookup: CCE by id and by name, ACK by name, and a CCE add-on. */
const resources = (): { type: string; props: Record<string, unknown> }[] => [
  {
    type: "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
    props: { clusterId: ids.get("m-cce-fatal"), targetVersion: CCE_TO },
  },
  { type: "huaweicloud:Cce/cluster:Cluster", props: { name: "m-cce-warning", clusterVersion: CCE_TO } },
  {
    type: "alicloud:cs/managedKubernetes:ManagedKubernetes",
    props: { name: "m-ack-fatal", version: ACK_TO },
  },
  {
    type: "huaweicloud:Cce/addon:Addon",
    props: { clusterId: ids.get("m-cce-fatal"), templateName: "coredns", version: ADDON_TO },
  },
];

async function analyzeAll(pack: PluginProcess): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const [i, resource] of resources().entries()) {
    const response = await pack.call("analyze", analyzeRequest(resource.type, `r${i}`, resource.props));
    diagnostics.push(...readAnalyzeResponse(response).diagnostics);
  }
  return diagnostics;
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) {
    expect(text).not.toContain(secret);
    // Nor a recognisable part of it (a truncated or partly masked echo).
    expect(text).not.toContain(secret.slice(0, 12));
  }
}

describe.each([
  ["wrong secret keys (signature refused, CCE answers 401)", () => wrongSecrets],
  ["security tokens the cloud refuses", () => withTokens],
])("%s", (_name, pack) => {
  it("blocks every lookup as refused credentials, and no message holds a secret or token", async () => {
    emulator.control.clearRequests();
    const diagnostics = await analyzeAll(pack());
    // The clouds really refused what the process sent with the planted credentials (CCE: 401).
    const refused = emulator.control.requests({ limit: 1000 });
    expect(refused.some((r) => r.cloud === "huawei" && r.status === 401)).toBe(true);
    expect(refused.some((r) => r.cloud === "alibaba" && r.errorCode !== undefined)).toBe(true);
    expect(refused.every((r) => r.status >= 400)).toBe(true);
    const cluster = diagnostics.filter((d) => d.policyName === CLUSTER);
    // The three cluster resources were judged, each on the refused-credentials path.
    expect(cluster).toHaveLength(3);
    for (const diagnostic of cluster) {
      expect(diagnostic.enforcementLevel).toBe("mandatory");
      expect(diagnostic.message).toContain("refused the credentials");
    }
    expect(diagnostics.some((d) => d.policyName === "addon-upgrade-requires-clean-addon-precheck")).toBe(
      true,
    );
    for (const diagnostic of diagnostics) expectNoSecret(diagnostic.message);
  });

  it("printed no secret or token on stdout or stderr", () => {
    expectNoSecret(pack().output());
  });
});
