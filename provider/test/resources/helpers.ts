/**
 * Shared by the implementation tests: an emulator on loopback, the environment that points the
 * implementations at it, and a log collector. Everything runs over real HTTP; nothing is mocked.
 */
import {
  clientEnvironment,
  startEmulator,
  type RunningEmulator,
  type ScenarioInput,
} from "../../../emulator/src";
import { setLogSink } from "../../src/pulumi/shared/log";
import { resetConfiguredSettings } from "../../src/pulumi/shared/settings";

/** Every variable the implementations read; cleared first so the developer's shell cannot leak in. */
const VARIABLES = [
  "UPGRADE_GUARD_ENDPOINT",
  "UPGRADE_GUARD_CCE_ENDPOINT",
  "UPGRADE_GUARD_ACK_ENDPOINT",
  "UPGRADE_GUARD_IAM_ENDPOINT",
  "UPGRADE_GUARD_POLL_INTERVAL_MS",
  "HUAWEICLOUD_SDK_AK",
  "HUAWEICLOUD_SDK_SK",
  "HUAWEICLOUD_SDK_PROJECT_ID",
  "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  "HUAWEICLOUD_SDK_REGION",
  "HUAWEICLOUD_SDK_IAM_ENDPOINT",
  "HW_ACCESS_KEY",
  "HW_SECRET_KEY",
  "HW_PROJECT_ID",
  "HW_REGION_NAME",
  "HW_AUTH_TOKEN",
  "HW_SECURITY_TOKEN",
  "HW_USER_NAME",
  "HW_USER_PASSWORD",
  "HW_DOMAIN_NAME",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALIBABA_CLOUD_REGION_ID",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "ALICLOUD_SECURITY_TOKEN",
  "ALICLOUD_REGION",
];

/** Replaces the upgrade-guard variables of `process.env` with `values`. */
export function setEnv(values: Record<string, string>): void {
  for (const name of VARIABLES) Reflect.deleteProperty(process.env, name);
  Object.assign(process.env, values);
}

export interface TestCloud {
  readonly emulator: RunningEmulator;
  readonly url: string;
  /** The id of a scenario cluster by name. */
  clusterId(name: string): string;
  /** The current version of a scenario cluster by name. */
  version(name: string): string;
  /** Log lines the implementations printed since the last `clearLog()`. */
  readonly log: string[];
  clearLog(): void;
  close(): Promise<void>;
}

/** Starts an emulator (default scenario unless given), points the environment at it, collects logs. */
export async function startTestCloud(scenario?: string | ScenarioInput): Promise<TestCloud> {
  const emulator = await startEmulator({
    ...(scenario === undefined ? {} : { scenario }),
    onInternalError: () => undefined,
  });
  // A check the emulator runs is polled every 5 ms, not on the resources' backoff schedule.
  setEnv(clientEnvironment(emulator.url, { pollIntervalMs: 5 }));
  resetConfiguredSettings();
  const log: string[] = [];
  setLogSink((level, line) => log.push(`${level}: ${line}`));
  const byName = (name: string) => {
    const cluster = emulator.control.clusters().find((c) => c.name === name);
    if (cluster === undefined) throw new Error(`no cluster named ${name} in the scenario`);
    return cluster;
  };
  return {
    emulator,
    url: emulator.url,
    clusterId: (name) => byName(name).id,
    version: (name) => byName(name).version,
    log,
    clearLog: () => void log.splice(0, log.length),
    close: async () => {
      setLogSink(undefined);
      await emulator.close();
    },
  };
}

/** A {@link TestCloud} that always reaches the running test's cloud; `restart` replaces that cloud. */
export interface CurrentTestCloud extends TestCloud {
  restart(scenario?: string | ScenarioInput): Promise<void>;
}

/**
 * Starts a {@link TestCloud} before each test of the file (`"each"`) or once before all of them
 * (`"all"`), and closes it after them. The object returned stands for the cloud running at the
 * time, so a test file needs neither a `let cloud` nor hooks of its own.
 */
export function testCloudFor(scope: "each" | "all"): CurrentTestCloud {
  let current: TestCloud | undefined;
  const now = (): TestCloud => {
    if (current === undefined) throw new Error("no test cloud is running (use it inside a test or hook)");
    return current;
  };
  (scope === "each" ? beforeEach : beforeAll)(async () => {
    current = await startTestCloud();
  });
  (scope === "each" ? afterEach : afterAll)(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get emulator() {
      return now().emulator;
    },
    get url() {
      return now().url;
    },
    get log() {
      return now().log;
    },
    clusterId: (name) => now().clusterId(name),
    version: (name) => now().version(name),
    clearLog: () => now().clearLog(),
    close: () => now().close(),
    restart: async (scenario) => {
      await now().close();
      current = await startTestCloud(scenario);
    },
  };
}

/** How many times the emulator served a vendor operation (e.g. `CreatePreCheck`) since the last clear. */
export function served(cloud: TestCloud, operation: string): number {
  return cloud.emulator.control.requests().filter((r) => r.operation === operation).length;
}
