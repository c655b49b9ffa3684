// Every output a provider returns is reachable on the resource object, and the serialized provider
// the resource class really registers is within the 1.5 KB budget: the real serialized
// providers run under setMocks (see helpers/engine.ts) against the emulator, and each key of the
// state they return must be an Output property of the instance (a key the class does not seed is
// invisible to the program). The type-level checks below make every input a declared output too.
import * as pulumi from "@pulumi/pulumi";
import { ack, cce } from "@upgrade-guard/sdk";
import { programAgainstEmulator, valueOf } from "./helpers/engine";

/** The inputs a resource class does not declare as outputs (must be `never`). */
type Undeclared<Args, Resource> = Exclude<keyof Args, keyof Resource>;
/** Compiles only when `T` is `never`. */
type AssertNever<T extends never> = T;
export type EveryInputDeclared = [
  AssertNever<Undeclared<cce.ClusterPrecheckArgs, cce.ClusterPrecheck>>,
  AssertNever<Undeclared<cce.AddonPrecheckArgs, cce.AddonPrecheck>>,
  AssertNever<Undeclared<cce.UpgradeWorkflowArgs, cce.UpgradeWorkflow>>,
  AssertNever<Undeclared<cce.ClusterUpgradeArgs, cce.ClusterUpgrade>>,
  AssertNever<Undeclared<ack.ClusterCheckArgs, ack.ClusterCheck>>,
  AssertNever<Undeclared<ack.ClusterUpgradeArgs, ack.ClusterUpgrade>>,
];

const program = programAgainstEmulator({ dryRun: false, env: { UPGRADE_GUARD_POLL_INTERVAL_MS: "5" } });
const { id } = program;

const cases: [string, () => Promise<pulumi.CustomResource>][] = [
  [
    "cce.ClusterPrecheck",
    async () => new cce.ClusterPrecheck("precheck", { clusterId: id("cce-blocked"), targetVersion: "v1.30" }),
  ],
  [
    "cce.AddonPrecheck",
    async () => {
      const clusterId = id("cce-blocked");
      const { tasks } = await cce.getAddonPrecheckTasks({ clusterId });
      const coredns = tasks.find((t) => t.addonTemplateName === "coredns")!;
      return new cce.AddonPrecheck("addons", {
        clusterId,
        addons: [
          {
            addonTemplateName: "coredns",
            addonInstanceId: coredns.addonInstanceId!,
            targetVersion: "1.30.1",
          },
        ],
      });
    },
  ],
  [
    "cce.UpgradeWorkflow",
    async () =>
      new cce.UpgradeWorkflow("workflow", { clusterId: id("cce-unchecked"), targetVersion: "v1.30" }),
  ],
  [
    "cce.ClusterUpgrade",
    async () => new cce.ClusterUpgrade("cce-upgrade", { clusterId: id("cce-ready"), targetVersion: "v1.30" }),
  ],
  [
    "ack.ClusterCheck",
    async () =>
      new ack.ClusterCheck("check", { clusterId: id("ack-blocked"), targetVersion: "1.32.1-aliyun.1" }),
  ],
  [
    "ack.ClusterUpgrade",
    async () =>
      new ack.ClusterUpgrade("ack-upgrade", { clusterId: id("ack-ready"), targetVersion: "1.32.1-aliyun.1" }),
  ],
];

it.each(cases)("%s: every output the provider returns is an Output of the resource", async (_name, make) => {
  const resource = await make();
  const type = (resource as unknown as { __pulumiType: string }).__pulumiType;
  await valueOf(resource.id);
  const registration = program.engine.ofType(type)[0]!;
  expect(registration.error).toBeUndefined();
  // The `__provider` text pulumi.dynamic.Resource itself produced stays within the budget.
  const text = registration.inputs.__provider as string;
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThanOrEqual(1536);
  const keys = Object.keys(registration.outputs ?? {}).filter((key) => key !== "__provider");
  expect(keys.length).toBeGreaterThan(3);
  const unreachable = keys.filter(
    (key) => !pulumi.Output.isInstance((resource as unknown as Record<string, unknown>)[key]),
  );
  expect(unreachable).toEqual([]);
  for (const key of keys) {
    expect(await valueOf((resource as unknown as Record<string, pulumi.Output<unknown>>)[key]!)).toEqual(
      registration.outputs![key],
    );
  }
});
