// The SDK takes each resource's property lists from the provider's schemas: every input and computed
// output of the schemas is an `Output` of the resource object, and it has no other. Mocks only echo
// the inputs (no provider runs): what is checked is what the resource class seeds. The compile-time
// side (the documented `Args`, declared outputs and member types equal the schemas) is in each
// resource module, as `...MatchesSchemas`.
import * as pulumi from "@pulumi/pulumi";
import * as impl from "@upgrade-guard/provider/impl";
import { ack, cce, type ReadinessSummary } from "@upgrade-guard/sdk";
import { valueOf } from "./helpers/engine";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    "schemas",
    "dev",
    false,
  );
});

/** Filled in so the upgrade resources do not read them through `getUpgradeReadiness`. */
const SEEN = {
  currentVersion: "v1.29.5-r0",
  readiness: {
    worstSeverity: "none",
    verdict: "ready",
    observedAt: "2025-08-05T09:10:44.648Z",
    digest: "sha256:0",
  } satisfies ReadinessSummary,
};

const cases: [string, impl.ResourceName, () => pulumi.CustomResource][] = [
  [
    "cce.ClusterPrecheck",
    "cceClusterPrecheck",
    () => new cce.ClusterPrecheck("precheck", { clusterId: "c", targetVersion: "v1.30" }),
  ],
  [
    "cce.AddonPrecheck",
    "cceAddonPrecheck",
    () =>
      new cce.AddonPrecheck("addons", {
        clusterId: "c",
        addons: [{ addonTemplateName: "coredns", addonInstanceId: "i-1", targetVersion: "1.30.1" }],
      }),
  ],
  [
    "cce.UpgradeWorkflow",
    "cceUpgradeWorkflow",
    () => new cce.UpgradeWorkflow("workflow", { clusterId: "c", targetVersion: "v1.30" }),
  ],
  [
    "cce.ClusterUpgrade",
    "cceClusterUpgrade",
    () => new cce.ClusterUpgrade("cce-upgrade", { clusterId: "c", targetVersion: "v1.30", ...SEEN }),
  ],
  [
    "ack.ClusterCheck",
    "ackClusterCheck",
    () => new ack.ClusterCheck("check", { clusterId: "c", targetVersion: "1.32.1-aliyun.1" }),
  ],
  [
    "ack.ClusterUpgrade",
    "ackClusterUpgrade",
    () =>
      new ack.ClusterUpgrade("ack-upgrade", { clusterId: "c", targetVersion: "1.32.1-aliyun.1", ...SEEN }),
  ],
];

it.each(cases)(
  "%s: its Outputs are exactly the keys of the provider's schemas, and it registers with its token",
  async (_name, resourceName, make) => {
    const inputs = impl[`${resourceName}InputsSchema`];
    const outputs = impl[`${resourceName}OutputsSchema`];
    const resource = make();
    const properties = resource as unknown as Record<string, unknown>;
    const declared = Object.keys(properties)
      .filter((key) => pulumi.Output.isInstance(properties[key]))
      .filter((key) => !["id", "urn", "__provider"].includes(key));
    expect(declared.sort()).toEqual([...Object.keys(inputs.shape), ...Object.keys(outputs.shape)].sort());
    // Registered (its provider serialized) before the test ends.
    expect(await valueOf(resource.id)).toMatch(/-id$/);
    // Registered under the token its class carries (the URN names the type).
    const token = (resource.constructor as { __pulumiType?: string }).__pulumiType;
    expect(await valueOf(resource.urn)).toContain(`::${token}::`);
  },
);
