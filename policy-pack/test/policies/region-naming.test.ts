/**
 * How a failed-lookup message names the region: the resource's own, else the one the lookup
 * resolved (`regionOf`, the environment's), else none; a lookup without `regionOf`, or one whose
 * `regionOf` throws, only drops the region from the message.
 */
import { lookupFailedMessage, regionOfLookup, type ResourceContext } from "../../src/policies/shared";
import { type ReadinessLookup } from "../../src/policies/lookup";

// Only `resource` is read by lookupFailedMessage.
const context = { resource: 'huaweicloud cce.ClusterUpgrade "prod"' } as ResourceContext;
const error = Object.assign(new Error("HTTP 503"), { code: "API_SERVER" });
const resolving: Pick<ReadinessLookup, "regionOf"> = {
  regionOf: (cloud, region) => region ?? (cloud === "cce" ? "ap-southeast-3" : "cn-shanghai"),
};

describe("the region in a failed-lookup message", () => {
  it("names the environment's region the lookup resolved when the resource names none", () => {
    expect(
      lookupFailedMessage(context, { cloud: "cce", clusterId: "c-1" }, "v1.30", error, resolving),
    ).toContain("cannot verify the change of CCE cluster c-1 in ap-southeast-3 to v1.30");
    expect(
      lookupFailedMessage(
        context,
        { cloud: "ack", clusterName: "prod" },
        "1.32.1-aliyun.1",
        error,
        resolving,
      ),
    ).toContain('ACK cluster named "prod" in cn-shanghai to');
  });

  it("the resource's own region wins", () => {
    expect(
      lookupFailedMessage(
        context,
        { cloud: "cce", clusterId: "c-1", region: "cn-east-3" },
        "v1.30",
        error,
        resolving,
      ),
    ).toContain("CCE cluster c-1 in cn-east-3 to v1.30");
  });

  it("no region when the lookup cannot tell (no regionOf, undefined, or a throw)", () => {
    const throwing: Pick<ReadinessLookup, "regionOf"> = {
      regionOf: () => {
        throw new Error("no region configured");
      },
    };
    for (const lookup of [undefined, {}, { regionOf: () => undefined }, throwing]) {
      expect(
        lookupFailedMessage(context, { cloud: "cce", clusterId: "c-1" }, "v1.30", error, lookup),
      ).toContain("CCE cluster c-1 to v1.30");
    }
    expect(regionOfLookup(throwing, "cce")).toBeUndefined();
  });
});
