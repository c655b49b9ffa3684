/**
 * Reliability 3: planted secrets never come out. Distinctive secret keys, an Alibaba secret, STS
 * tokens and passwords are planted as credentials, some working (the emulator's scenario gets
 * accounts with them and owns the default clusters through them), some refused (a wrong secret key,
 * STS tokens, a wrong password), and then everything upgrade-guard writes is scanned for each secret,
 * raw, base64 and URL-encoded: every CLI output format on stdout and through `--output-file`, the CLI's
 * stderr (a refused credential and a transport error included), the provider's log and the transports'
 * logs, the errors' messages and their inspected form, the SDK's serialized providers, the state file
 * and result of a real `up` through the harness (real `cmd/run`, `cmd/dynamic-provider`,
 * `cmd/run-policy-pack`), and the emulator's request log, state and state file. Real HTTP throughout.
 *
 * The emulator holds the working accounts' keys because they are its configuration (it verifies the
 * signatures): its state (`GET /__emulator/state`, the state file) carries its scenario, accounts
 * included, by design; those are scanned for the secrets clients sent it and it was never given.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { OUTPUT_FORMATS, run } from "@upgrade-guard/cli";
import {
  clientEnvironment,
  loadScenarioFile,
  startEmulator,
  type RunningEmulator,
  type ScenarioInput,
} from "@upgrade-guard/emulator";
import { renderDeployment, up } from "@upgrade-guard/harness";
import {
  type AckClientOptions,
  type CceClientOptions,
  createAckClient,
  createCceClient,
  type TransportLogEntry,
} from "@upgrade-guard/provider";
import { functions, resources, setLogSink } from "@upgrade-guard/provider/impl";
import {
  ackClusterCheckProvider,
  ackClusterUpgradeProvider,
  cceAddonPrecheckProvider,
  cceClusterPrecheckProvider,
  cceClusterUpgradeProvider,
  cceUpgradeWorkflowProvider,
} from "@upgrade-guard/sdk";
import { emulatorState, ROOT } from "./helpers";

jest.setTimeout(180_000);

/** Working credentials: the scenario's accounts use them. `+`, `/` and `=` make each encoding differ. */
const WORKING = {
  hwSecretKey: "pLantedHwSecretKey+7f3c/9e2a=",
  aliSecret: "pLantedAliSecret+4b8d/61c0=",
};
/** Credentials the clouds refuse, which the emulator was never given. */
const FOREIGN = {
  hwWrongSecretKey: "pLantedWrongHwSk+0a1b/2c3d=",
  aliWrongSecret: "pLantedWrongAliSk+5e6f/7a8b=",
  hwSts: "pLantedHwStsToken+0c6d/a1b2=",
  aliSts: "pLantedAliStsToken+9e4f/c3d4=",
  hwPassword: "pLantedHwPassw0rd+5e6f/77aa=",
};
/** The add-on instance of `cce-quotes-key` whose risk quotes the key. */
const QUOTING_ADDON_ID = "0a1b2c3d-0000-4000-8000-0000000000aa";
const HW = { ak: "PLANTEDHWAK0001", project: "plantedproject0000000000000000001", region: "cn-north-4" };
const ALI = { ak: "PLANTEDALIAK0001", region: "cn-hangzhou" };

/** A secret, base64 and URL-encoded. */
const formsOf = (secret: string): string[] => [
  secret,
  Buffer.from(secret).toString("base64"),
  Buffer.from(secret).toString("base64url"),
  encodeURIComponent(secret),
];
const ALL = [...Object.values(WORKING), ...Object.values(FOREIGN)];

/** What was scanned, and which secret (in which form) was found where. */
const scanned: string[] = [];
function leaksIn(label: string, text: string, secrets: readonly string[] = ALL): string[] {
  scanned.push(label);
  expect(text.length).toBeGreaterThan(0);
  return secrets.flatMap((secret) =>
    formsOf(secret)
      .filter((form) => text.includes(form))
      .map((form) => `${label} contains ${form === secret ? secret : `${secret} as ${form}`}`),
  );
}

let emulator: RunningEmulator;
let tmp: string;
const ids = new Map<string, string>();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ug-reliability-secrets-"));
  emulator = await startEmulator({
    stateFile: path.join(tmp, "emulator-state.json"),
    onInternalError: () => undefined,
  });
  for (const cluster of emulator.control.clusters()) ids.set(cluster.name, cluster.id);
  // The default scenario, its clusters (same ids) owned by accounts whose keys are the planted ones.
  const base = loadScenarioFile(path.join(ROOT, "emulator/scenarios/default.yaml"));
  const planted: ScenarioInput = {
    ...base,
    name: "planted-secrets",
    accounts: {
      huawei: [
        {
          name: "planted",
          accessKey: HW.ak,
          secretKey: WORKING.hwSecretKey,
          projects: [{ id: HW.project, region: HW.region }],
          domainName: "planted-domain",
          userName: "planted-user",
          password: "not-the-planted-password",
        },
      ],
      alibaba: [
        { name: "planted", accessKeyId: ALI.ak, accessKeySecret: WORKING.aliSecret, region: ALI.region },
      ],
    },
    clusters: [
      ...(base.clusters.map((cluster) => ({
        ...cluster,
        id: ids.get(cluster.name)!,
        account: "planted",
        ...(cluster.cloud === "cce" ? { projectId: HW.project } : {}),
      })) as NonNullable<ScenarioInput["clusters"]>),
      // Vendor text that quotes the keys: the findings' messages must be redacted like errors are.
      {
        cloud: "cce",
        name: "cce-quotes-key",
        account: "planted",
        projectId: HW.project,
        version: "v1.29.5-r0",
        targetVersions: ["v1.30"],
        addons: [
          {
            template: "coredns",
            id: QUOTING_ADDON_ID,
            version: "1.29.4",
            risks: [
              { riskName: "QuotesKey", level: "Warning", message: `values hold ${WORKING.hwSecretKey}` },
            ],
          },
        ],
        outcomes: {
          "v1.30": {
            precheck: {
              message: `precheck saw ${WORKING.hwSecretKey}`,
              items: [
                {
                  name: "QuotesKey",
                  group: "NodeCheck",
                  level: "Fatal",
                  message: `node agent rejected key ${WORKING.hwSecretKey} (and ${WORKING.aliSecret})`,
                },
              ],
            },
          },
        },
        history: { cce: { prechecks: [{ targetVersion: "v1.30", createdAgo: "5m" }] } },
      },
      {
        cloud: "ack",
        name: "ack-quotes-key",
        account: "planted",
        version: "1.31.1-aliyun.1",
        targetVersions: ["1.32.1-aliyun.1"],
        outcomes: {
          "1.32.1-aliyun.1": {
            check: {
              message: `check saw ${WORKING.aliSecret}`,
              items: [
                {
                  name: "QuotesKey",
                  group: "ClusterComponent",
                  level: "error",
                  message: `kubelet config holds ${WORKING.aliSecret}`,
                },
              ],
            },
          },
        },
        history: {
          ack: { checks: [{ type: "ClusterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "5m" }] },
        },
      },
      // Ready to upgrade, but the upgrade task fails with vendor text that quotes the key.
      {
        cloud: "cce",
        name: "cce-upgrade-quotes-key",
        account: "planted",
        projectId: HW.project,
        version: "v1.29.5-r0",
        targetVersions: ["v1.30"],
        outcomes: {
          "v1.30": {
            snapshot: { result: "Failed", message: `upgrade agent rejected ${WORKING.hwSecretKey}` },
          },
        },
        history: { cce: { prechecks: [{ targetVersion: "v1.30", createdAgo: "5m" }] } },
      },
      {
        cloud: "ack",
        name: "ack-upgrade-quotes-key",
        account: "planted",
        version: "1.31.1-aliyun.1",
        targetVersions: ["1.32.1-aliyun.1"],
        outcomes: {
          "1.32.1-aliyun.1": {
            upgrade: { result: "Failed", message: `upgrade agent rejected ${WORKING.aliSecret}` },
          },
        },
        history: {
          ack: { checks: [{ type: "ClusterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "5m" }] },
        },
      },
    ],
  };
  await emulator.control.loadScenario(planted);
}, 60_000);

afterAll(async () => {
  console.log(
    `planted secrets: ${ALL.length} secrets x ${formsOf("x").length} encodings looked for in ${scanned.length} outputs`,
  );
  await emulator?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The planted working credentials as the vendors' variables, pointed at the emulator. */
const workingEnv = (): Record<string, string> =>
  clientEnvironment(emulator.url, {
    pollIntervalMs: 5,
    overrides: {
      HUAWEICLOUD_SDK_AK: HW.ak,
      HUAWEICLOUD_SDK_SK: WORKING.hwSecretKey,
      HUAWEICLOUD_SDK_PROJECT_ID: HW.project,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ALI.ak,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: WORKING.aliSecret,
      // Present, never to be printed (AK/SK wins over password auth).
      HW_USER_PASSWORD: FOREIGN.hwPassword,
    },
  });

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = "";
  const write = (text: string) => void (out += text);
  const code = await run(args, { env, stdout: { write }, stderr: { write } });
  return { code, out };
}

it("every CLI output format, on stdout and through --output-file, carries no secret", async () => {
  const leaks: string[] = [];
  for (const format of OUTPUT_FORMATS) {
    const { code, out } = await cli(["report", "-o", format], workingEnv());
    expect(code).toBe(0);
    expect(out).toContain("cce-ready");
    leaks.push(...leaksIn(`report -o ${format}`, out));
    const file = path.join(tmp, `report.${format}`);
    const written = await cli(["report", "-o", format, "--output-file", file], workingEnv());
    expect(written.code).toBe(0);
    leaks.push(...leaksIn(`report -o ${format} --output-file (stderr)`, written.out));
    leaks.push(...leaksIn(`report -o ${format} --output-file (file)`, fs.readFileSync(file, "utf8")));
  }
  const check = await cli(
    ["check", "--cloud", "cce", "--cluster", "cce-ready", "--target", "v1.30"],
    workingEnv(),
  );
  expect(check.code).toBe(0);
  leaks.push(...leaksIn("check", check.out));
  // The planted vendor text was read and shown, masked.
  const json = (await cli(["report", "-o", "json"], workingEnv())).out;
  expect(json.match(/node agent rejected key \[REDACTED\] \(and \[REDACTED\]\)/g)?.length).toBeGreaterThan(0);
  expect(json).toContain("kubelet config holds [REDACTED]");
  expect(leaks).toEqual([]);
});

it("refused credentials and transport errors: the CLI's output and the errors carry no secret", async () => {
  const leaks: string[] = [];
  const refusedEnvs: [string, Record<string, string>][] = [
    [
      "wrong secret keys",
      {
        ...workingEnv(),
        HUAWEICLOUD_SDK_SK: FOREIGN.hwWrongSecretKey,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: FOREIGN.aliWrongSecret,
      },
    ],
    [
      "STS tokens",
      {
        ...workingEnv(),
        HUAWEICLOUD_SDK_SECURITY_TOKEN: FOREIGN.hwSts,
        ALIBABA_CLOUD_SECURITY_TOKEN: FOREIGN.aliSts,
      },
    ],
    [
      "a wrong password",
      {
        ...workingEnv(),
        HUAWEICLOUD_SDK_AK: "",
        HUAWEICLOUD_SDK_SK: "",
        HW_USER_NAME: "planted-user",
        HW_DOMAIN_NAME: "planted-domain",
      },
    ],
  ];
  for (const [what, env] of refusedEnvs)
    for (const format of ["table", "json", "sarif"]) {
      const { code, out } = await cli(["report", "-o", format, "--cloud", "cce"], env);
      expect(code).not.toBe(0);
      expect(out).toMatch(/API_AUTH/);
      leaks.push(...leaksIn(`report -o ${format} with ${what}`, out));
    }
  // Nothing listens on a port the emulator gave up: every request is a network error.
  const closed = await startEmulator();
  const deadUrl = closed.url;
  await closed.close();
  const dead = await cli(["report", "-o", "json"], { ...workingEnv(), UPGRADE_GUARD_ENDPOINT: deadUrl });
  expect(dead.code).toBe(3);
  expect(dead.out).toMatch(/NETWORK|TIMEOUT/);
  leaks.push(...leaksIn("report against a closed port", dead.out));

  // The clients' errors themselves, as a program would log them.
  const transportLog: TransportLogEntry[] = [];
  const transport = {
    log: (entry: TransportLogEntry) => void transportLog.push(entry),
    retry: { maxAttempts: 2, baseDelayMs: 1 },
  };
  // Each client adds its credentials (and the dead endpoint, where it says so) to these.
  const cceClient = (options: CceClientOptions) =>
    createCceClient({
      region: HW.region,
      projectId: HW.project,
      endpoint: emulator.url,
      env: {},
      transport,
      ...options,
    });
  const ackClient = (options: AckClientOptions) =>
    createAckClient({ region: ALI.region, endpoint: emulator.url, env: {}, transport, ...options });
  const clients = [
    cceClient({ accessKey: HW.ak, secretKey: FOREIGN.hwWrongSecretKey }),
    cceClient({ accessKey: HW.ak, secretKey: WORKING.hwSecretKey, securityToken: FOREIGN.hwSts }),
    cceClient({
      iamEndpoint: emulator.url,
      userName: "planted-user",
      password: FOREIGN.hwPassword,
      domainName: "planted-domain",
    }),
    cceClient({ endpoint: deadUrl, accessKey: HW.ak, secretKey: WORKING.hwSecretKey }),
  ];
  const ackClients = [
    ackClient({ accessKeyId: ALI.ak, accessKeySecret: FOREIGN.aliWrongSecret }),
    ackClient({ accessKeyId: ALI.ak, accessKeySecret: WORKING.aliSecret, securityToken: FOREIGN.aliSts }),
    ackClient({ endpoint: deadUrl, accessKeyId: ALI.ak, accessKeySecret: WORKING.aliSecret }),
  ];
  const errors = [
    ...(await Promise.all(
      clients.map((c) =>
        c.listClusters({}).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    )),
    ...(await Promise.all(
      ackClients.map((c) =>
        c.describeClustersV1({}).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    )),
  ];
  await Promise.all([...clients, ...ackClients].map((c) => c.close()));
  expect(errors.every((e) => e instanceof Error)).toBe(true);
  for (const [i, error] of errors.entries()) {
    const e = error as Error;
    leaks.push(...leaksIn(`error ${i} message`, e.message));
    leaks.push(...leaksIn(`error ${i} inspected`, inspect(e, { depth: 8 })));
    leaks.push(...leaksIn(`error ${i} as JSON`, JSON.stringify(e) + String(e.stack)));
  }
  leaks.push(...leaksIn("the transports' logs", JSON.stringify(transportLog)));
  expect(leaks).toEqual([]);
});

it("the provider's log, its create errors and the SDK's serialized providers carry no secret", async () => {
  const leaks: string[] = [];
  const lines: string[] = [];
  const saved = { ...process.env };
  setLogSink((level, line) => void lines.push(`${level}: ${line}`));
  try {
    Object.assign(process.env, workingEnv());
    const created = await resources.cceClusterPrecheck.create({
      clusterId: ids.get("cce-ready")!,
      targetVersion: "v1.30",
    });
    const checked = await resources.ackClusterCheck.create({
      clusterId: ids.get("ack-ready")!,
      targetVersion: "1.32.1-aliyun.1",
    });
    leaks.push(...leaksIn("the resources' outputs", JSON.stringify([created, checked])));
    Object.assign(process.env, {
      HUAWEICLOUD_SDK_SK: FOREIGN.hwWrongSecretKey,
      ALIBABA_CLOUD_SECURITY_TOKEN: FOREIGN.aliSts,
    });
    const refused = await Promise.all([
      resources.cceClusterUpgrade
        .create({ clusterId: ids.get("cce-ready")!, targetVersion: "v1.30" })
        .catch((e: unknown) => e),
      resources.ackClusterUpgrade
        .create({ clusterId: ids.get("ack-ready")!, targetVersion: "1.32.1-aliyun.1" })
        .catch((e: unknown) => e),
    ]);
    for (const error of refused) {
      expect(error).toBeInstanceOf(Error);
      leaks.push(
        ...leaksIn(
          "a refused create's error",
          `${(error as Error).message}\n${inspect(error, { depth: 8 })}`,
        ),
      );
    }
    // Serialized while the secrets are in the environment, as `pulumi up` serializes them.
    const providers = [
      cceClusterPrecheckProvider,
      cceAddonPrecheckProvider,
      cceUpgradeWorkflowProvider,
      cceClusterUpgradeProvider,
      ackClusterCheckProvider,
      ackClusterUpgradeProvider,
    ];
    for (const provider of providers) {
      const local = provider;
      const { text } = await pulumi.runtime.serializeFunction(() => local, { allowSecrets: true });
      leaks.push(...leaksIn("a serialized provider", text));
    }
  } finally {
    setLogSink(undefined);
    for (const name of Object.keys(process.env))
      if (!(name in saved)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, saved);
  }
  expect(lines.some((line) => line.includes("started precheck"))).toBe(true);
  leaks.push(...leaksIn("the provider's log", lines.join("\n")));
  expect(leaks).toEqual([]);
});

it("vendor text that quotes a key: the resources' outputs and errors and the data functions' results mask it", async () => {
  const saved = { ...process.env };
  setLogSink(() => undefined);
  const env = workingEnv();
  try {
    Object.assign(process.env, env);
    const cceId =
      ids.get("cce-quotes-key") ?? emulator.control.clusters().find((c) => c.name === "cce-quotes-key")!.id;
    const ackId =
      ids.get("ack-quotes-key") ?? emulator.control.clusters().find((c) => c.name === "ack-quotes-key")!.id;
    const idOf = (name: string) => emulator.control.clusters().find((c) => c.name === name)!.id;
    const precheck = await resources.cceClusterPrecheck.create({ clusterId: cceId, targetVersion: "v1.30" });
    const addonCheck = await resources.cceAddonPrecheck.create({
      clusterId: cceId,
      addons: [{ addonTemplateName: "coredns", addonInstanceId: QUOTING_ADDON_ID, targetVersion: "1.30.1" }],
    });
    const check = await resources.ackClusterCheck.create({
      clusterId: ackId,
      targetVersion: "1.32.1-aliyun.1",
    });
    const refreshed = await resources.cceClusterPrecheck.read(precheck.id, precheck.outs);
    const context = { env };
    const results = {
      getPrecheck: await functions.getPrecheck({ clusterId: cceId, taskId: precheck.id }, context),
      getLatestPrecheck: await functions.getLatestPrecheck(
        { clusterId: cceId, targetVersion: "v1.30" },
        context,
      ),
      getAddonPrecheckTasks: await functions.getAddonPrecheckTasks({ clusterId: cceId }, context),
      getClusterCheck: await functions.getClusterCheck({ clusterId: ackId, checkId: check.id }, context),
      getLatestClusterCheck: await functions.getLatestClusterCheck(
        { clusterId: ackId, targetVersion: "1.32.1-aliyun.1" },
        context,
      ),
    };
    const failed = await Promise.all([
      resources.cceClusterUpgrade
        .create({ clusterId: idOf("cce-upgrade-quotes-key"), targetVersion: "v1.30", snapshot: true })
        .catch((e: unknown) => e),
      resources.ackClusterUpgrade
        .create({ clusterId: idOf("ack-upgrade-quotes-key"), targetVersion: "1.32.1-aliyun.1" })
        .catch((e: unknown) => e),
    ]);
    const outputs = { precheck, addonCheck, check, refreshed };
    // The vendor text was read and kept, masked: the scan below is not passing on empty outputs.
    const all = JSON.stringify({ outputs, results });
    expect(all).toContain("precheck saw [REDACTED]");
    expect(all).toContain("values hold [REDACTED]");
    expect(all).toContain("check saw [REDACTED]");
    expect(all).toContain("kubelet config holds [REDACTED]");
    const leaks = [
      ...Object.entries(outputs).flatMap(([name, value]) =>
        leaksIn(`${name} outputs`, JSON.stringify(value)),
      ),
      ...Object.entries(results).flatMap(([name, value]) => leaksIn(`${name} result`, JSON.stringify(value))),
    ];
    for (const [i, error] of failed.entries()) {
      expect(error).toBeInstanceOf(Error);
      const e = error as Error & { properties?: unknown; reasons?: unknown };
      const text = `${e.message}\n${String(e.stack)}\n${JSON.stringify([e.properties, e.reasons])}\n${inspect(e, { depth: 8 })}`;
      expect(text).toContain("upgrade agent rejected [REDACTED]");
      leaks.push(...leaksIn(`failed upgrade ${i}'s error`, text));
    }
    expect(leaks).toEqual([]);
  } finally {
    setLogSink(undefined);
    for (const name of Object.keys(process.env))
      if (!(name in saved)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, saved);
  }
});

it("up through the harness (real Pulumi plugins): the state file and the result carry no secret", async () => {
  const backend = fs.mkdtempSync(path.join(tmp, "backend-"));
  const env = {
    ...process.env,
    ...workingEnv(),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "a passphrase for the planted-secrets test",
  };
  const result = await up({
    cwd: path.join(ROOT, "examples/guarded-upgrade"),
    stack: "ready",
    policyPacks: [path.join(ROOT, "policy-pack")],
    env,
  });
  expect(result.error).toBeUndefined();
  expect(result.exitCode).toBe(0);
  const stateFile = path.join(backend, ".upgrade-guard/stacks/guarded-upgrade/ready.json");
  const leaks = [
    ...leaksIn("the harness state file", fs.readFileSync(stateFile, "utf8")),
    ...leaksIn("the up result", JSON.stringify(result)),
    ...leaksIn("the rendered deployment", renderDeployment(result)),
  ];
  expect(leaks).toEqual([]);
});

it("the emulator's request log, state and state file carry no secret a client sent it", async () => {
  await emulator.control.flush();
  const leaks = [
    ...leaksIn("the emulator's request log", JSON.stringify(emulator.control.requests({ limit: 1_000_000 }))),
    ...leaksIn(
      "the emulator's state",
      JSON.stringify(await emulatorState(emulator.url)),
      Object.values(FOREIGN),
    ),
    ...leaksIn(
      "the emulator's state file",
      fs.readFileSync(path.join(tmp, "emulator-state.json"), "utf8"),
      Object.values(FOREIGN),
    ),
  ];
  // The scan finds what is there: the emulator's control API lists its own accounts' keys (its configuration).
  expect(
    leaksIn("positive control: the emulator's accounts", JSON.stringify(emulator.control.accounts())),
  ).toContain(`positive control: the emulator's accounts contains ${WORKING.hwSecretKey}`);
  expect(leaks).toEqual([]);
});
