/**
 * A team's own pack composed from the policy library's factories (`@upgrade-guard/policy-pack/policies`),
 * run as the Pulumi CLI runs it: the REAL `cmd/run-policy-pack` process (loading the compiled
 * policy-pack/dist: `npm run build` first), configured
 * the way the CLI configures it: every default of each policy's published `configSchema` filled in,
 * then the `--policy-pack-config` file's values. The values given to the factory must survive that
 * (they are published as the schema's defaults), and the file must still win over them.
 *
 * The pack is written to a temporary directory (it needs its own package.json with a version, which
 * the PolicyPack constructor reads from the working directory) and loads the repository's modules by
 * absolute path.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  analyzeRequest,
  analyzerPb,
  cliPolicyConfig,
  emptyPb,
  type PluginProcess,
  readAnalyzeResponse,
  startPolicyPack,
  structPb,
  UNKNOWN,
} from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator } from "@upgrade-guard/emulator";
import { cceUpgradeProps, startMatrixEmulator } from "./fixtures";

const CLUSTER = "cluster-upgrade-requires-clean-precheck";
const REPO = path.resolve(__dirname, "../..");

/** What the team's pack gives the factory: warnings block, and unknowns pass the preview with a note. */
const FACTORY_CONFIG = { blockingSeverities: ["fatal", "warning", "unknown"], allowUnknownInPreview: true };

let emulator: RunningEmulator;
let pack: PluginProcess;
let packDir: string;
const ids = new Map<string, string>();

beforeAll(async () => {
  emulator = await startMatrixEmulator(ids);
  packDir = fs.mkdtempSync(path.join(os.tmpdir(), "ug-composed-pack-"));
  fs.writeFileSync(
    path.join(packDir, "PulumiPolicy.yaml"),
    "runtime: nodejs\ndescription: a team's pack composed from the upgrade-guard factories\n",
  );
  fs.writeFileSync(
    path.join(packDir, "package.json"),
    JSON.stringify({ name: "composed-pack", version: "1.2.3", main: "index.js" }),
  );
  fs.writeFileSync(
    path.join(packDir, "index.js"),
    [
      `const { PolicyPack } = require(${JSON.stringify(path.join(REPO, "node_modules/@pulumi/policy"))});`,
      `const library = require(${JSON.stringify(path.join(REPO, "policy-pack/dist/policies"))});`,
      `new PolicyPack("composed", {`,
      `  policies: [library.clusterUpgradeRequiresCleanPrecheck({ config: ${JSON.stringify(FACTORY_CONFIG)} })],`,
      `});`,
    ].join("\n"),
  );
  pack = await startPolicyPack(packDir, { env: clientEnvironment(emulator.url), startTimeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await pack?.stop();
  await emulator?.close();
  if (packDir !== undefined) fs.rmSync(packDir, { recursive: true, force: true });
});

/** GetAnalyzerInfo, then Configure as the CLI would for `file` (the `--policy-pack-config` values). */
async function configureLikeTheCli(file: Record<string, Record<string, unknown>> = {}): Promise<void> {
  const info = await pack.call("getAnalyzerInfo", new emptyPb.Empty());
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  for (const policy of info.getPoliciesList() as any[]) {
    const properties = policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
    const config = new analyzerPb.PolicyConfig();
    config.setEnforcementlevel(policy.getEnforcementlevel());
    config.setProperties(
      structPb.Struct.fromJavaScript(
        cliPolicyConfig({ configSchema: { properties } }, file[policy.getName()]),
      ),
    );
    request.getPolicyconfigMap().set(policy.getName(), config);
  }
  await pack.call("configure", request);
}

async function analyzeMine(type: string, props: Record<string, unknown>) {
  const result = readAnalyzeResponse(await pack.call("analyze", analyzeRequest(type, "r", props)));
  return result.diagnostics.filter((d) => d.policyName === CLUSTER);
}

const warningUpgrade = () => cceUpgradeProps(ids.get("m-cce-warning"));
const unknownTarget = { name: "m-ack-warning", version: UNKNOWN };

describe("a pack composed from the factories, in the real analyzer process", () => {
  it("keeps the factory's configuration when Configure carries the CLI-filled schema defaults", async () => {
    await configureLikeTheCli();
    // Warnings block only because the factory said so (the library default lets them through).
    const warning = await analyzeMine("huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", warningUpgrade());
    expect(warning).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(warning[0]!.message).toContain("verdict blocked");
    expect(warning[0]!.message).toContain("[Warning");
    // An unknown target passes the preview with a note only because the factory said so.
    const unknown = await analyzeMine("alicloud:cs/managedKubernetes:ManagedKubernetes", unknownTarget);
    expect(unknown).toEqual([expect.objectContaining({ enforcementLevel: "advisory" })]);
    expect(unknown[0]!.message).toContain("NOT verified");
  });

  it("lets the --policy-pack-config file override the factory's values", async () => {
    await configureLikeTheCli({ [CLUSTER]: { blockingSeverities: ["fatal"], allowUnknownInPreview: false } });
    expect(await analyzeMine("huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", warningUpgrade())).toEqual([]);
    const unknown = await analyzeMine("alicloud:cs/managedKubernetes:ManagedKubernetes", unknownTarget);
    expect(unknown).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(unknown[0]!.message).toContain("version is unknown");
  });
});
