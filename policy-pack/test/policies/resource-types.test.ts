import * as fs from "node:fs";
import * as path from "node:path";
import { COVERED_RESOURCE_TYPES, coveredType, typesOf } from "../../src/policies/resource-types";
import { TYPE_TOKENS } from "@upgrade-guard/sdk";

const README = fs.readFileSync(path.resolve(__dirname, "../../../policy-pack/README.md"), "utf8");

describe("the covered resource types table", () => {
  it("has one entry per type token", () => {
    const types = COVERED_RESOURCE_TYPES.map((entry) => entry.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it("uses the SDK's own tokens for upgrade-guard's resources", () => {
    for (const token of [
      TYPE_TOKENS.cce.ClusterUpgrade,
      TYPE_TOKENS.ack.ClusterUpgrade,
      TYPE_TOKENS.cce.UpgradeWorkflow,
    ]) {
      expect(coveredType(token)).toMatchObject({
        policy: "cluster",
        facts: "inputs",
        currentVersion: "currentVersion",
      });
    }
  });

  it.each([
    // Verified against the published packages' generated SDKs (see the evidence column).
    ["alicloud:cs/managedKubernetes:ManagedKubernetes", "ack", "version", { clusterName: "name" }],
    ["alicloud:cs/kubernetes:Kubernetes", "ack", "version", { clusterName: "name" }],
    ["alicloud:cs/serverlessKubernetes:ServerlessKubernetes", "ack", "version", { clusterName: "name" }],
    ["alicloud:cs/edgeKubernetes:EdgeKubernetes", "ack", "version", { clusterName: "name" }],
    ["huaweicloud:Cce/cluster:Cluster", "cce", "clusterVersion", { clusterName: "name" }],
    ["huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", "cce", "targetVersion", { clusterId: "clusterId" }],
    ["huaweicloud:Cce/addon:Addon", "cce", "version", { clusterId: "clusterId", addonName: "templateName" }],
  ])("%s: %s, version in %s", (type, cloud, targetVersion, locator) => {
    expect(coveredType(type)).toMatchObject({ cloud, targetVersion, facts: "lookup", ...locator });
  });

  it("alicloud:cs/nodePool:NodePool: the nested upgradePolicy.kubernetesVersion, found by clusterId and nodePoolId", () => {
    expect(coveredType("alicloud:cs/nodePool:NodePool")).toMatchObject({
      policy: "nodePool",
      cloud: "ack",
      facts: "lookup",
      targetVersion: "upgradePolicy.kubernetesVersion",
      clusterId: "clusterId",
      nodePoolId: "nodePoolId",
    });
    // Huawei Cloud's node pool has no Kubernetes version input: not judged.
    expect(coveredType("huaweicloud:Cce/nodePool:NodePool")).toBeUndefined();
  });

  it("lets every lookup type find its cluster: by id or by name", () => {
    for (const entry of COVERED_RESOURCE_TYPES.filter((e) => e.facts === "lookup")) {
      expect(entry.clusterId ?? entry.clusterName).toBeDefined();
    }
  });

  it("is documented: every token and its evidence appear in the pack's README", () => {
    for (const entry of COVERED_RESOURCE_TYPES) {
      expect(README).toContain(`\`${entry.type}\``);
      if (entry.facts === "lookup") expect(README).toContain(entry.evidence.replace(/^(\S+) /, "$1 `") + "`");
    }
    expect(typesOf("cluster").length + typesOf("addon").length + typesOf("nodePool").length).toBe(
      COVERED_RESOURCE_TYPES.length,
    );
  });
});
