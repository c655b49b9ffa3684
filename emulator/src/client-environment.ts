/**
 * The environment variables a client needs to talk to an emulator at `url` with its default accounts
 * (the names the official SDKs and upgrade-guard's clients read). One definition for the CLI's
 * embedded emulator and every test, so the documented test keys are written down once.
 */
import { DEFAULT_ALIBABA_ACCOUNT, DEFAULT_HUAWEI_ACCOUNT } from "./auth/accounts";

/**
 * The variable upgrade-guard's resources read for a fixed polling interval (the provider's
 * `POLL_INTERVAL_ENV`; the emulator does not load the provider's logic, so the name is repeated here
 * and a test keeps the two equal).
 */
const POLL_INTERVAL_VARIABLE = "UPGRADE_GUARD_POLL_INTERVAL_MS";

/** What `clientEnvironment` adds to the default accounts' variables. */
export interface ClientEnvironmentOptions {
  /**
   * Sets `UPGRADE_GUARD_POLL_INTERVAL_MS`: upgrade-guard's resources then poll a running check every
   * this many milliseconds instead of on their adaptive schedule, so a test that waits for a check
   * the emulator runs sets a few milliseconds here; unset, the schedule applies.
   */
  readonly pollIntervalMs?: number;
  /**
   * Variables set after the defaults, replacing any of the same name: another account's keys, another
   * region, a wrong secret, a planted token, or `""` to blank a default out.
   */
  readonly overrides?: Readonly<Record<string, string>>;
}

/**
 * The variables that point upgrade-guard's clients at the emulator at `url` with its default accounts
 * (`DEFAULT_HUAWEI_ACCOUNT`, `DEFAULT_ALIBABA_ACCOUNT`), then the poll interval and the overrides of
 * `options`. Throws a RangeError for a poll interval that is not a positive number, which the
 * resources would silently ignore.
 */
export function clientEnvironment(
  url: string,
  options: ClientEnvironmentOptions = {},
): Record<string, string> {
  const { pollIntervalMs } = options;
  if (pollIntervalMs !== undefined && !(Number.isFinite(pollIntervalMs) && pollIntervalMs > 0))
    throw new RangeError(
      `clientEnvironment: pollIntervalMs must be a positive number, not ${pollIntervalMs}`,
    );
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
    ...(pollIntervalMs === undefined ? {} : { [POLL_INTERVAL_VARIABLE]: String(pollIntervalMs) }),
    ...options.overrides,
  };
}
