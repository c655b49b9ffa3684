/**
 * upgrade-guard example: clusters managed with the clouds' own Pulumi packages, whose version is
 * bumped in the program. The policy pack judges `alicloud:cs/managedKubernetes:ManagedKubernetes`
 * (`version`) and `huaweicloud:Cce/cluster:Cluster` (`clusterVersion`) by looking the cluster up by
 * name in the cloud: a bump onto a cluster whose latest check blocks is stopped at preview.
 *
 * The resources are declared as `pulumi.CustomResource` subclasses with the packages' real type tokens instead
 * of `@pulumi/alicloud` and the Huawei Cloud package: those SDKs are large (the alicloud one is
 * hundreds of megabytes installed) and need their provider plugins, which only the Pulumi CLI
 * downloads. The policy sees exactly the inputs the packages would send (same token, same property
 * names), which is what this example is about. With the real packages, write `new
 * alicloud.cs.ManagedKubernetes(...)` and `new huaweicloud.cce.Cluster(...)` instead; nothing else
 * changes.
 */
import * as pulumi from "@pulumi/pulumi";

interface AckCluster {
  name: string;
  version: string;
}

interface CceCluster {
  name: string;
  clusterVersion: string;
}

/** The `@pulumi/alicloud` `cs.ManagedKubernetes` resource, by its token (only the inputs used here). */
class ManagedKubernetes extends pulumi.CustomResource {
  constructor(name: string, args: { name: string; version: string }, opts?: pulumi.CustomResourceOptions) {
    super("alicloud:cs/managedKubernetes:ManagedKubernetes", name, args, opts);
  }
}

/** The Huawei Cloud package's `cce.Cluster` resource, by its token (only the inputs used here). */
class Cluster extends pulumi.CustomResource {
  constructor(
    name: string,
    args: { name: string; clusterVersion: string; flavorId: string },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super("huaweicloud:Cce/cluster:Cluster", name, args, opts);
  }
}

const config = new pulumi.Config();
const ack = config.getObject<AckCluster>("ack");
const cce = config.getObject<CceCluster>("cce");

const managed =
  ack === undefined
    ? undefined
    : new ManagedKubernetes("ack-cluster", { name: ack.name, version: ack.version });
const cluster =
  cce === undefined
    ? undefined
    : new Cluster("cce-cluster", {
        name: cce.name,
        clusterVersion: cce.clusterVersion,
        flavorId: "cce.s1.small",
      });

/** The URNs of the judged clusters (their outputs come from the clouds' providers, unknown in preview). */
export const clusters = { ack: managed?.urn, cce: cluster?.urn };
