/**
 * Credentials that work but lack the permission for one of the reads the gate makes: the block says
 * the call was denied to them and what to grant (the RAM action, the IAM permission), not that the
 * credentials were refused. Real HTTP to the emulator (a fault answers the one operation with the
 * vendor's 403), through the policy SDK's own Analyze handler.
 */
import { InProcessAnalyzer } from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator, startEmulator } from "@upgrade-guard/emulator";
import { CloudReadinessLookup } from "../../policy-pack/src/policies/cloud-lookup";
import { upgradeGuardPolicies } from "../../policy-pack/src/policies";
import { TYPE_TOKENS } from "../../sdk/src/tokens";
import { INSTANT_CLOCK } from "./fixtures";

const POLICY = "cluster-upgrade-requires-clean-precheck";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(() => emulator.control.clearFaults());

async function judge(type: string, cluster: string, targetVersion: string): Promise<string[]> {
  // A fresh lookup per case: nothing cached from another case.
  const lookup = new CloudReadinessLookup({
    env: clientEnvironment(emulator.url),
    clientOptions: { transport: { clock: INSTANT_CLOCK } },
  });
  const analyzer = new InProcessAnalyzer(upgradeGuardPolicies({ lookup }));
  const clusterId = emulator.control.clusters().find((c) => c.name === cluster)!.id;
  const result = await analyzer.analyze(type, `up-${cluster}`, {
    clusterId,
    targetVersion,
    __provider: "exports.handler = () => ({})",
  });
  return result.diagnostics.filter((d) => d.policyName === POLICY).map((d) => d.message);
}

const ACK = [TYPE_TOKENS.ack.ClusterUpgrade, "ack-ready", "1.32.1-aliyun.1"] as const;
const CCE = [TYPE_TOKENS.cce.ClusterUpgrade, "cce-ready", "v1.30"] as const;

it.each([
  {
    case: "ACK: a RAM denial names the operation and the RAM action to grant",
    resource: ACK,
    fault: { operation: "ListClusterChecks", status: 403, code: "Forbidden.RAM" },
    says: ["The ACK API denied the call to the credentials", "cs:ListClusterChecks"],
    never: "refused the credentials",
  },
  {
    case: "CCE: an IAM denial names the operation and says to grant it in IAM",
    resource: CCE,
    fault: { operation: "ListPreCheckTasks", status: 403, code: "APIGW.0302" },
    says: [
      "The CCE API denied the call to the credentials",
      "not allowed to call ListPreCheckTasks",
      "in IAM",
    ],
    never: "refused the credentials",
  },
  {
    case: "a refused key still says the credentials were refused and which variables to check",
    resource: ACK,
    fault: { operation: "ListClusterChecks", status: 400, code: "InvalidAccessKeyId.NotFound" },
    says: ["The ACK API refused the credentials", "ALIBABA_CLOUD_ACCESS_KEY_ID"],
    never: "denied the call",
  },
])("$case", async ({ resource, fault, says, never }) => {
  const { operation, status, code } = fault;
  emulator.control.setFault({ operation, error: { status, code, message: `${code} (from the fault)` } });
  const [type, cluster, target] = resource;
  const messages = await judge(type, cluster, target);
  expect(messages).toHaveLength(1);
  for (const text of says) expect(messages[0]).toContain(text);
  expect(messages[0]).not.toContain(never);
});
