/**
 * The default ACK endpoint follows the official SDK's: every region of `@alicloud/cs20151215`'s fixed
 * endpoint map (the special regions served by the central `cs.aliyuncs.com` included), and the
 * regional rule for the others. The SDK is a dev dependency, used here only to read its endpoint.
 */
import Client from "@alicloud/cs20151215";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { resolveAckConfig } from "../../src/auth/config";

const KEYS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-ENDPOINT-TEST",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "endpoint-test",
};

/** The endpoint the official SDK calls for `region`. */
function officialEndpoint(region: string): { endpoint: string; map: Record<string, string> } {
  const client = new Client(
    new $OpenApiUtil.Config({ accessKeyId: "a", accessKeySecret: "b", regionId: region }),
  ) as unknown as { _endpoint: string; _endpointMap: Record<string, string> };
  return { endpoint: client._endpoint, map: client._endpointMap };
}

const ours = (region: string): string =>
  resolveAckConfig(undefined, undefined, { ...KEYS, ALIBABA_CLOUD_REGION_ID: region }).endpoint;

const mapped = Object.keys(officialEndpoint("cn-hangzhou").map);

it("the SDK's endpoint map is read (a guard: an empty map would prove nothing)", () => {
  expect(mapped.length).toBeGreaterThan(40);
  expect(mapped).toContain("cn-wuhan");
});

it.each(mapped)("%s: the official SDK's endpoint", (region) => {
  expect(ours(region)).toBe(`https://${officialEndpoint(region).endpoint}`);
});

it.each(["me-east-1", "us-west-1", "cn-hangzhou"])("%s: the regional rule, as the SDK's", (region) => {
  expect(ours(region)).toBe(`https://${officialEndpoint(region).endpoint}`);
});
