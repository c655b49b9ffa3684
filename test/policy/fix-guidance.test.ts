/**
 * The cluster policy's "To fix" and "Check:" lines follow the verdict, against the emulator's
 * default scenario (real HTTP, real clients and builders): a refused target (downgrade, skipped
 * minor) is fixed by choosing another target, not by checking it; an upgrade in flight by waiting
 * for (or cancelling) it; and the `Check:` line names only a check the verdict was judged by.
 */
import { clientEnvironment, type RunningEmulator, startEmulator } from "@upgrade-guard/emulator";
import { validateDirect } from "@upgrade-guard/harness";
import { TYPE_TOKENS } from "@upgrade-guard/sdk";
import { clusterUpgradeRequiresCleanPrecheck } from "../../policy-pack/src/policies/cluster-policy";
import { CloudReadinessLookup } from "../../policy-pack/src/policies/cloud-lookup";
import { INSTANT_CLOCK } from "./fixtures";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ scenario: "default" });
});

afterAll(async () => {
  await emulator?.close();
});

/** The one violation the cluster policy reports for `name` upgrading to `target` (its next version by default). */
async function violation(name: string, target?: string): Promise<string> {
  const cluster = emulator.control.clusters().find((c) => c.name === name);
  if (cluster === undefined) throw new Error(`the default scenario has no cluster ${name}`);
  const lookup = new CloudReadinessLookup({
    env: clientEnvironment(emulator.url),
    clientOptions: { transport: { clock: INSTANT_CLOCK } },
  });
  const result = await validateDirect(clusterUpgradeRequiresCleanPrecheck({ lookup }), {
    type: TYPE_TOKENS[cluster.cloud].ClusterUpgrade,
    props: { clusterId: cluster.id, targetVersion: target ?? cluster.nextVersion },
  });
  expect(result.violations).toHaveLength(1);
  return result.violations[0]!.message;
}

describe("the cluster policy's fix follows the verdict", () => {
  it("a downgrade: choose a valid target, never check the refused one", async () => {
    const message = await violation("cce-ready", "v1.28");
    expect(message).toContain("is BLOCKED (verdict blocked;");
    expect(message).toContain("Choose a target at or above v1.29.5-r0.");
    expect(message).not.toContain("run the vendor check for v1.28");
    expect(message).not.toContain("(CreatePreCheck) for v1.28");
    expect(message).toContain(
      "To fix: choose a valid target (Why above says which the cloud accepts) instead of v1.28",
    );
  });

  it("a skipped minor: choose one of the offered targets, never check the refused one", async () => {
    const message = await violation("cce-ready", "v1.32");
    expect(message).toContain("is BLOCKED (verdict blocked;");
    expect(message).toContain("Valid targets: v1.30");
    expect(message).not.toContain("run the vendor check for v1.32");
    expect(message).not.toContain("(CreatePreCheck) for v1.32");
    expect(message).toContain(
      "To fix: choose a valid target (Why above says which the cloud accepts) instead of v1.32",
    );
  });

  it("an upgrade in flight: wait for (or cancel) the named task, not run a check", async () => {
    const message = await violation("ack-upgrading");
    expect(message).toContain("is BLOCKED (verdict upgrading;");
    expect(message).not.toContain("To fix: run the vendor check");
    expect(message).toMatch(/ACK upgrade task T-\S+ \(running, to 1\.32\.1-aliyun\.1/);
    expect(message).toContain(
      "To fix: wait for (or cancel) the upgrade in flight named above, then preview again.",
    );
  });

  it("with no cluster precheck for the target, the Check: line says none, not a passed add-on check", async () => {
    const message = await violation("cce-ready", "v1.28");
    expect(message).not.toMatch(/^Check: cce-addon-check/m);
    expect(message).toMatch(/^Check: none found for v1\.28\.$/m);
  });
});
