// clientEnvironment is how the CLI's embedded emulator and every test reach the emulator: its
// defaults must be the emulator's own accounts, and its poll-interval variable the one the
// provider reads (the emulator repeats the name rather than load the provider's logic).
import { POLL_INTERVAL_ENV } from "@upgrade-guard/provider/impl";
import { clientEnvironment, DEFAULT_ALIBABA_ACCOUNT, DEFAULT_HUAWEI_ACCOUNT } from "../src";

const URL = "http://127.0.0.1:1";

it("points both clouds' clients at the emulator with its default accounts", () => {
  expect(clientEnvironment(URL)).toEqual({
    UPGRADE_GUARD_ENDPOINT: URL,
    HUAWEICLOUD_SDK_AK: DEFAULT_HUAWEI_ACCOUNT.accessKey,
    HUAWEICLOUD_SDK_SK: DEFAULT_HUAWEI_ACCOUNT.secretKey,
    HUAWEICLOUD_SDK_PROJECT_ID: DEFAULT_HUAWEI_ACCOUNT.projects[0]!.id,
    HW_REGION_NAME: DEFAULT_HUAWEI_ACCOUNT.projects[0]!.region,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ALIBABA_ACCOUNT.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: DEFAULT_ALIBABA_ACCOUNT.region,
  });
});

it("sets the poll interval in the variable the provider reads", () => {
  const env = clientEnvironment(URL, { pollIntervalMs: 5 });
  expect(env[POLL_INTERVAL_ENV]).toBe("5");
  expect(clientEnvironment(URL)).not.toHaveProperty(POLL_INTERVAL_ENV);
});

it("refuses a poll interval the provider would ignore", () => {
  for (const pollIntervalMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    expect(() => clientEnvironment(URL, { pollIntervalMs })).toThrow(RangeError);
  }
});

it("applies overrides last, replacing defaults of the same name", () => {
  const env = clientEnvironment(URL, {
    pollIntervalMs: 5,
    overrides: { HW_REGION_NAME: "ap-southeast-3", [POLL_INTERVAL_ENV]: "7", EXTRA: "x" },
  });
  expect(env).toMatchObject({ HW_REGION_NAME: "ap-southeast-3", [POLL_INTERVAL_ENV]: "7", EXTRA: "x" });
  expect(env.HUAWEICLOUD_SDK_AK).toBe(DEFAULT_HUAWEI_ACCOUNT.accessKey);
});
