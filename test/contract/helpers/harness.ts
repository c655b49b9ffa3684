// @API IAM POST /v3/auth/tokens
/**
 * One emulator per test file, reached over real loopback HTTP by the real clients, both loaded by
 * package name (their built dist/). `useEmulator` registers the jest hooks: start on port 0 before
 * the file, reset through the control API before each test, close clients after each test and the
 * emulator after the file.
 */
import { request } from "node:http";
import {
  createAckClient,
  createCceClient,
  type AckClient,
  type AckClientOptions,
  type AckSettings,
  type CceClient,
  type CceClientOptions,
  type CceSettings,
  type TransportClock,
  type TransportLogEntry,
} from "@upgrade-guard/provider";
import {
  DEFAULT_ALIBABA_ACCOUNT,
  DEFAULT_HUAWEI_ACCOUNT,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "@upgrade-guard/emulator";
import { ControlClient } from "./control-client";

/** The emulator's default Huawei account (emulator README "Accounts"), as the emulator exports it. */
export const HUAWEI = {
  accessKey: DEFAULT_HUAWEI_ACCOUNT.accessKey,
  secretKey: DEFAULT_HUAWEI_ACCOUNT.secretKey,
  projectId: DEFAULT_HUAWEI_ACCOUNT.projects[0]!.id,
  region: DEFAULT_HUAWEI_ACCOUNT.projects[0]!.region,
  userName: DEFAULT_HUAWEI_ACCOUNT.userName,
  password: DEFAULT_HUAWEI_ACCOUNT.password,
  domainName: DEFAULT_HUAWEI_ACCOUNT.domainName,
} as const;

/** The emulator's default Alibaba account, as the emulator exports it. */
export const ALIBABA = {
  accessKeyId: DEFAULT_ALIBABA_ACCOUNT.accessKeyId,
  accessKeySecret: DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
  region: DEFAULT_ALIBABA_ACCOUNT.region,
} as const;

export const HUAWEI_AKSK: CceSettings = { accessKey: HUAWEI.accessKey, secretKey: HUAWEI.secretKey };
export const HUAWEI_PASSWORD: CceSettings = {
  userName: HUAWEI.userName,
  password: HUAWEI.password,
  domainName: HUAWEI.domainName,
};
export const ALIBABA_KEYS: AckSettings = {
  accessKeyId: ALIBABA.accessKeyId,
  accessKeySecret: ALIBABA.accessKeySecret,
};

/**
 * The transport's clock in these tests: real `now` (signatures must carry the real date, the
 * emulator checks them against its wall clock), but `sleep` returns at once and only records the
 * wait, so retries and backoff cost no real time and their durations can be asserted.
 */
export class RecordingClock implements TransportClock {
  readonly sleeps: number[] = [];

  now(): number {
    return Date.now();
  }

  random(): number {
    return 0.5;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  }
}

export interface ContractHarness {
  readonly emulator: RunningEmulator;
  readonly url: string;
  /** The control API over HTTP. */
  readonly control: ControlClient;
  /** This test's transport clock. */
  readonly clock: RecordingClock;
  /** Every attempt this test's clients made, from the transports' log hooks. */
  readonly transportLog: TransportLogEntry[];
  /** The id of a scenario cluster by name (`cce-blocked`, `ack-ready`, ...). */
  clusterId(name: string): string;
  /** A CCE client pointed at the emulator with explicit options (AK/SK unless `credentials` says otherwise). */
  cce(overrides?: Partial<CceClientOptions>, credentials?: CceSettings): CceClient;
  /** An ACK client pointed at the emulator with explicit options. */
  ack(overrides?: Partial<AckClientOptions>, credentials?: AckSettings): AckClient;
  /** Closed after the test, for clients built by hand. */
  track<T extends { close(): Promise<void> }>(client: T): T;
}

export function useEmulator(options: EmulatorOptions = {}): ContractHarness {
  let emulator: RunningEmulator | undefined;
  let control: ControlClient | undefined;
  let clock = new RecordingClock();
  const transportLog: TransportLogEntry[] = [];
  const ids = new Map<string, string>();
  const open: Array<{ close(): Promise<void> }> = [];

  const running = (): RunningEmulator => {
    if (emulator === undefined) throw new Error("the emulator is not running (use the harness inside tests)");
    return emulator;
  };
  const transportOptions = () => ({ clock, log: (entry: TransportLogEntry) => transportLog.push(entry) });

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, ...options });
    control = new ControlClient(emulator.url);
    for (const cluster of await control.clusters()) ids.set(cluster.name, cluster.id);
  });

  beforeEach(async () => {
    await control?.reset();
    clock = new RecordingClock();
    transportLog.length = 0;
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.close()));
  });

  afterAll(async () => {
    await emulator?.close();
  });

  const harness: ContractHarness = {
    get emulator() {
      return running();
    },
    get url() {
      return running().url;
    },
    get control() {
      if (control === undefined) throw new Error("the emulator is not running");
      return control;
    },
    get clock() {
      return clock;
    },
    transportLog,
    clusterId(name) {
      const id = ids.get(name);
      if (id === undefined) throw new Error(`no cluster named ${name} in the scenario`);
      return id;
    },
    cce(overrides = {}, credentials = HUAWEI_AKSK) {
      const { transport, ...rest } = overrides;
      return harness.track(
        createCceClient({
          region: HUAWEI.region,
          projectId: HUAWEI.projectId,
          endpoint: running().url,
          iamEndpoint: running().url,
          env: {},
          ...credentials,
          ...rest,
          transport: { ...transportOptions(), ...transport },
        }),
      );
    },
    ack(overrides = {}, credentials = ALIBABA_KEYS) {
      const { transport, ...rest } = overrides;
      return harness.track(
        createAckClient({
          region: ALIBABA.region,
          endpoint: running().url,
          env: {},
          ...credentials,
          ...rest,
          transport: { ...transportOptions(), ...transport },
        }),
      );
    },
    track(client) {
      open.push(client);
      return client;
    },
  };
  return harness;
}

/** A ready IAM token for the default account, fetched with a plain POST as any tool would. */
export function issueIamToken(baseUrl: string): Promise<string> {
  const body = JSON.stringify({
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: HUAWEI.userName, password: HUAWEI.password, domain: { name: HUAWEI.domainName } },
        },
      },
      scope: { project: { name: HUAWEI.region } },
    },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      new URL("/v3/auth/tokens?nocatalog=true", baseUrl),
      { method: "POST", agent: false, headers: { "content-type": "application/json;charset=UTF-8" } },
      (res) => {
        res.resume();
        res.on("end", () => {
          const token = res.headers["x-subject-token"];
          if (res.statusCode === 201 && typeof token === "string") resolve(token);
          else reject(new Error(`IAM answered HTTP ${res.statusCode ?? 0} without a token`));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The rejection of `promise`; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
