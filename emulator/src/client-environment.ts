/**
 * The environment variables a client needs to talk to an emulator at `url` with its default accounts
 * (the names the official SDKs and upgrade-guard's clients read). One definition for the CLI's
 * embedded emulator and every test, so the documented test keys are written down once.
 */
import { DEFAULT_ALIBABA_ACCOUNT, DEFAULT_HUAWEI_ACCOUNT } from "./auth/accounts";

export function clientEnvironment(url: string): Record<string, string> {
  const project = DEFAULT_HUAWEI_ACCOUNT.projects[0];
  return {
    UPGRADE_GUARD_ENDPOINT: url,
    HUAWEICLOUD_SDK_AK: DEFAULT_HUAWEI_ACCOUNT.accessKey,
    HUAWEICLOUD_SDK_SK: DEFAULT_HUAWEI_ACCOUNT.secretKey,
    ...(project === undefined
      ? {}
      : { HUAWEICLOUD_SDK_PROJECT_ID: project.id, HW_REGION_NAME: project.region }),
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ALIBABA_ACCOUNT.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: DEFAULT_ALIBABA_ACCOUNT.region,
  };
}
