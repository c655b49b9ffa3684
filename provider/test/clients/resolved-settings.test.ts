/**
 * The read-only `region` (both clients) and `projectId` (CCE) properties: the values the client
 * resolved from its options, Pulumi config or environment, read without sending a request; an
 * incomplete configuration throws the first call's ConfigError; and the properties do not change
 * the clients' method names (one per vendor operation, plus `close`).
 */
import { type MockAgent } from "undici";
import { createAckClient } from "../../src/clients/ack/client";
import { ACK_ROUTES } from "../../src/clients/ack/routes";
import { createCceClient } from "../../src/clients/cce/client";
import { CCE_ROUTES } from "../../src/clients/cce/routes";
import { ConfigError } from "../../src/errors";
import {
  PROJECT_ID,
  SECRETS,
  ackTestClient,
  cceTestClient,
  mockAgentPerTest,
  recordedCalls,
} from "./helpers";

let agent: MockAgent;
mockAgentPerTest((created) => (agent = created));

const lowerCamel = (operation: string): string => operation[0]!.toLowerCase() + operation.slice(1);

describe("region and projectId", () => {
  it("CCE: the explicit region and project id, read without a request", async () => {
    const client = cceTestClient(agent, { region: "cn-south-1" });
    expect(client.region).toBe("cn-south-1");
    expect(client.projectId).toBe(PROJECT_ID);
    expect(recordedCalls(agent)).toEqual([]);
    await client.close();
  });

  it.each(["HW_REGION_NAME", "HUAWEICLOUD_SDK_REGION"])(
    "CCE: the region from %s when no option names one",
    async (variable) => {
      const client = createCceClient({
        env: {
          HUAWEICLOUD_SDK_AK: SECRETS.cceAccessKey,
          HUAWEICLOUD_SDK_SK: SECRETS.cceSecretKey,
          HW_PROJECT_ID: PROJECT_ID,
          [variable]: "ap-southeast-3",
        },
        dispatcher: agent,
      });
      expect(client.region).toBe("ap-southeast-3");
      expect(client.projectId).toBe(PROJECT_ID);
      await client.close();
    },
  );

  it("CCE: an explicit region wins over the environment's, pulumiConfig fills the gap", async () => {
    const env = {
      HUAWEICLOUD_SDK_AK: SECRETS.cceAccessKey,
      HUAWEICLOUD_SDK_SK: SECRETS.cceSecretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID,
      HW_REGION_NAME: "ap-southeast-3",
    };
    const explicit = createCceClient({ env, region: "cn-east-3", dispatcher: agent });
    expect(explicit.region).toBe("cn-east-3");
    const fromConfig = createCceClient({
      env: {},
      pulumiConfig: { ...settingsOf(env), region: "la-north-2" },
    });
    expect(fromConfig.region).toBe("la-north-2");
    await explicit.close();
    await fromConfig.close();
  });

  it.each(["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"])(
    "ACK: the region from %s when no option names one, and the explicit one over it",
    async (variable) => {
      const env = {
        ALIBABA_CLOUD_ACCESS_KEY_ID: SECRETS.ackAccessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRETS.ackAccessKeySecret,
        [variable]: "cn-shanghai",
      };
      const fromEnv = createAckClient({ env, dispatcher: agent });
      expect(fromEnv.region).toBe("cn-shanghai");
      const explicit = createAckClient({ env, region: "cn-beijing", dispatcher: agent });
      expect(explicit.region).toBe("cn-beijing");
      expect(recordedCalls(agent)).toEqual([]);
      await fromEnv.close();
      await explicit.close();
    },
  );

  it("an incomplete configuration throws the first call's ConfigError, and a fixed one then resolves", async () => {
    const env: NodeJS.ProcessEnv = { HW_REGION_NAME: "cn-north-4" };
    const cce = createCceClient({ env, dispatcher: agent });
    const read = (): string => cce.region;
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/HUAWEICLOUD_SDK_PROJECT_ID/);
    // Only a success is memoized: completing the environment makes the same client resolve.
    Object.assign(env, {
      HUAWEICLOUD_SDK_AK: SECRETS.cceAccessKey,
      HUAWEICLOUD_SDK_SK: SECRETS.cceSecretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID,
    });
    expect(cce.region).toBe("cn-north-4");
    const ack = createAckClient({ env: {}, dispatcher: agent });
    expect(() => ack.region).toThrow(/ALIBABA_CLOUD_REGION_ID/);
    await cce.close();
    await ack.close();
  });

  it("no secret appears in the ConfigError a region read throws", async () => {
    const cce = createCceClient({
      env: { HUAWEICLOUD_SDK_AK: SECRETS.cceAccessKey, HUAWEICLOUD_SDK_SK: SECRETS.cceSecretKey },
      dispatcher: agent,
    });
    let message = "";
    try {
      void cce.region;
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).toMatch(/region/);
    expect(message).not.toContain(SECRETS.cceAccessKey);
    expect(message).not.toContain(SECRETS.cceSecretKey);
    await cce.close();
  });

  it("the properties are read-only", async () => {
    const cce = cceTestClient(agent);
    const ack = ackTestClient(agent);
    expect(() => {
      (cce as { region: string }).region = "cn-east-3";
    }).toThrow(TypeError);
    expect(() => {
      (cce as { projectId: string }).projectId = "other";
    }).toThrow(TypeError);
    expect(() => {
      (ack as { region: string }).region = "cn-beijing";
    }).toThrow(TypeError);
    expect(cce.region).toBe("cn-north-4");
    expect(ack.region).toBe("cn-hangzhou");
    await cce.close();
    await ack.close();
  });

  it("the method names stay one per vendor operation, plus close", async () => {
    const cce = cceTestClient(agent);
    const ack = ackTestClient(agent);
    expect(Object.keys(cce).sort()).toEqual([...Object.keys(CCE_ROUTES).map(lowerCamel), "close"].sort());
    expect(Object.keys(ack).sort()).toEqual([...Object.keys(ACK_ROUTES).map(lowerCamel), "close"].sort());
    for (const client of [cce, ack] as const) {
      for (const value of Object.values(client)) expect(typeof value).toBe("function");
    }
    await cce.close();
    await ack.close();
  });
});

function settingsOf(env: Record<string, string>): {
  accessKey: string;
  secretKey: string;
  projectId: string;
} {
  return {
    accessKey: env["HUAWEICLOUD_SDK_AK"]!,
    secretKey: env["HUAWEICLOUD_SDK_SK"]!,
    projectId: env["HUAWEICLOUD_SDK_PROJECT_ID"]!,
  };
}
