/**
 * An in-process stand-in for the Pulumi engine, for programs under `pulumi.runtime.setMocks`: its
 * `newResource` runs the REAL serialized dynamic provider of each resource (the `__provider` text
 * the SDK produced), loaded with require-from-string exactly as the dynamic-provider plugin does:
 * `configure` once per provider text, then `check` and `create` (or only `check` in preview).
 *
 * Deserialized providers run in Node's real module system, outside jest's registry: they see the
 * real `process.env` and their own copy of the implementation module. `outerRequire`,
 * `outerProcess` and `setEnvEverywhere` reach that world.
 *
 * `newResource` never throws (a rejected mock leaves outputs unresolved and the test hanging):
 * failures are recorded in `registrations` for the test to assert.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import requireFromString from "require-from-string";
import {
  DEFAULT_ALIBABA_ACCOUNT,
  DEFAULT_HUAWEI_ACCOUNT,
  type RunningEmulator,
  startEmulator,
} from "../../../emulator/src";

/** The example program's directory: bare requires of deserialized providers resolve from here. */
export const EXAMPLE_DIR = path.resolve(__dirname, "../../../examples/readiness");
const ANCHOR = path.join(EXAMPLE_DIR, "__deserialized_provider__.js");

/** `require` of Node's real module system, resolving from the example directory. */
export function outerRequire<T>(id: string): T {
  return requireFromString(`module.exports = require(${JSON.stringify(id)});`, ANCHOR) as T;
}

/** The real `process` (jest gives tests a copy whose `env` the deserialized code does not see). */
export const outerProcess = requireFromString("module.exports = process;", ANCHOR) as NodeJS.Process;

const VARIABLE_PREFIXES = ["UPGRADE_GUARD_", "HUAWEICLOUD_SDK_", "HW_", "ALIBABA_CLOUD_", "ALICLOUD_"];

function replaceVariables(env: NodeJS.ProcessEnv, values: Record<string, string>): void {
  for (const name of Object.keys(env)) {
    if (VARIABLE_PREFIXES.some((prefix) => name.startsWith(prefix))) Reflect.deleteProperty(env, name);
  }
  Object.assign(env, values);
}

/** The real environment's upgrade-guard variables as they were before any test changed them. */
const ORIGINAL_OUTER = Object.fromEntries(
  Object.entries(outerProcess.env).filter(([name]) =>
    VARIABLE_PREFIXES.some((prefix) => name.startsWith(prefix)),
  ),
) as Record<string, string>;

/**
 * Puts the real environment back. The real `process.env` outlives this test file (jest runs the
 * next file in the same worker), and a planted variable left there would reach the processes
 * later tests spawn: call this in `afterAll` wherever `setEnvs` or `setEnvEverywhere` was used.
 */
export function restoreOuterEnv(): void {
  replaceVariables(outerProcess.env, ORIGINAL_OUTER);
}

/** Replaces every upgrade-guard-related variable in both environments with `values`. */
export function setEnvEverywhere(values: Record<string, string>): void {
  replaceVariables(process.env, values);
  replaceVariables(outerProcess.env, values);
}

/**
 * Different environments for the program (jest's `process.env`: data functions) and for the
 * deserialized providers (the real one), e.g. to prove providers take credentials from `configure`.
 */
export function setEnvs(program: Record<string, string>, providers: Record<string, string>): void {
  replaceVariables(process.env, program);
  replaceVariables(outerProcess.env, providers);
}

/** The emulator's default accounts, as the emulator exports them. */
export const EMULATOR_ACCOUNTS = {
  huawei: {
    ak: DEFAULT_HUAWEI_ACCOUNT.accessKey,
    sk: DEFAULT_HUAWEI_ACCOUNT.secretKey,
    project: DEFAULT_HUAWEI_ACCOUNT.projects[0]?.id ?? "",
    region: DEFAULT_HUAWEI_ACCOUNT.projects[0]?.region ?? "",
  },
  alibaba: {
    ak: DEFAULT_ALIBABA_ACCOUNT.accessKeyId,
    sk: DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
    region: DEFAULT_ALIBABA_ACCOUNT.region,
  },
} as const;

/** The same credentials as `upgrade-guard:*` stack configuration (namespaced keys). */
export function emulatorConfig(): Record<string, string> {
  const { huawei, alibaba } = EMULATOR_ACCOUNTS;
  return {
    "upgrade-guard:region": huawei.region,
    "upgrade-guard:projectId": huawei.project,
    "upgrade-guard:accessKey": huawei.ak,
    "upgrade-guard:secretKey": huawei.sk,
    "upgrade-guard:alibabaRegion": alibaba.region,
    "upgrade-guard:alibabaAccessKeyId": alibaba.ak,
    "upgrade-guard:alibabaAccessKeySecret": alibaba.sk,
  };
}

/** The secret keys of `emulatorConfig` (set with `pulumi config set --secret`). */
export const SECRET_CONFIG_KEYS = ["upgrade-guard:secretKey", "upgrade-guard:alibabaAccessKeySecret"];

/** The log sink of the implementation copy the deserialized providers use. */
export function collectProviderLogs(): { lines: string[]; stop(): void } {
  const impl = outerRequire<{ setLogSink(sink: ((level: string, line: string) => void) | undefined): void }>(
    "@upgrade-guard/provider/impl",
  );
  const lines: string[] = [];
  impl.setLogSink((level, line) => lines.push(`${level}: ${line}`));
  return { lines, stop: () => impl.setLogSink(undefined) };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Unwraps Pulumi's wire-form secrets (`{sig, value}`) at any depth. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG] !== undefined && "value" in record) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([key, member]) => [key, unwrapSecrets(member)]));
}

export interface Registration {
  readonly type: string;
  readonly name: string;
  /** Inputs as the program sent them (secrets unwrapped, `__provider` included). */
  readonly inputs: Record<string, unknown>;
  /** Inputs after the provider's `check`. */
  checked?: Record<string, unknown>;
  failures?: { property: string; reason: string }[];
  id?: string;
  outputs?: Record<string, unknown>;
  error?: string;
}

export interface MockEngineOptions {
  /** Project name (the namespace of un-prefixed config keys). */
  readonly project: string;
  /** Stack configuration, namespaced keys (`upgrade-guard:region`), as `configure` receives it. */
  readonly config: Record<string, string>;
  /** Outputs of other stacks, for StackReferences, by stack name. */
  readonly stacks?: Record<string, Record<string, unknown>>;
  /** Preview: run `check` only and leave outputs unknown. */
  readonly preview?: boolean;
}

/**
 * A copy of `value` made of this realm's objects and arrays. The deserialized providers run in
 * Node's real realm, and Pulumi's serializer tells arrays by `instanceof Array`, which is false for
 * another realm's arrays: without the copy they would reach the program as `{ "0": ... }` objects.
 */
function thisRealm<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class MockEngine implements pulumi.runtime.Mocks {
  readonly registrations: Registration[] = [];
  readonly calls: string[] = [];
  private readonly finished: Registration[] = [];
  private readonly listeners: { type: string; resolve: (r: Registration) => void }[] = [];
  private readonly providers = new Map<string, Promise<pulumi.dynamic.ResourceProvider>>();

  constructor(private readonly options: MockEngineOptions) {}

  /** Deserializes and configures a provider once per text, as the plugin does. */
  private provider(text: string): Promise<pulumi.dynamic.ResourceProvider> {
    let loaded = this.providers.get(text);
    if (loaded === undefined) {
      loaded = (async () => {
        const provider = (
          requireFromString(text, ANCHOR) as { handler(): pulumi.dynamic.ResourceProvider }
        ).handler();
        const config = this.options.config;
        const get = (key: string): string | undefined =>
          config[key.includes(":") ? key : `${this.options.project}:${key}`];
        await provider.configure?.({
          config: {
            get,
            require: (key: string) => {
              const value = get(key);
              if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
              return value;
            },
          },
        });
        return provider;
      })();
      this.providers.set(text, loaded);
    }
    return loaded;
  }

  async newResource(
    args: pulumi.runtime.MockResourceArgs,
  ): Promise<{ id: string | undefined; state: Record<string, unknown> }> {
    const inputs = unwrapSecrets(args.inputs ?? {}) as Record<string, unknown>;
    const registration: Registration = { type: args.type, name: args.name, inputs };
    this.registrations.push(registration);
    try {
      return await this.register(args, registration, inputs);
    } finally {
      this.finished.push(registration);
      for (const listener of this.listeners.filter((l) => l.type === args.type))
        listener.resolve(registration);
    }
  }

  /** Resolves with the first registration of `type` once its check and create (if any) are done. */
  settled(type: string, timeoutMs = 20_000): Promise<Registration> {
    const done = this.finished.find((r) => r.type === type);
    if (done !== undefined) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${type} registration finished within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.listeners.push({
        type,
        resolve: (registration) => {
          clearTimeout(timer);
          resolve(registration);
        },
      });
    });
  }

  private async register(
    args: pulumi.runtime.MockResourceArgs,
    registration: Registration,
    inputs: Record<string, unknown>,
  ): Promise<{ id: string | undefined; state: Record<string, unknown> }> {
    try {
      if (args.type === "pulumi:pulumi:StackReference") {
        const outputs = this.options.stacks?.[args.name] ?? {};
        return { id: args.name, state: { name: args.name, outputs, secretOutputNames: [] } };
      }
      if (!args.type.startsWith("pulumi-nodejs:dynamic")) return { id: `${args.name}-id`, state: inputs };
      const text = inputs.__provider;
      if (typeof text !== "string") throw new Error(`${args.name}: no serialized provider in __provider`);
      const provider = await this.provider(text);
      const checked = (await provider.check?.({}, inputs)) ?? { inputs };
      registration.checked = { ...(checked.inputs ?? inputs), __provider: text };
      if (checked.failures !== undefined && checked.failures.length > 0) {
        registration.failures = [...checked.failures];
        return { id: undefined, state: {} };
      }
      if (this.options.preview === true) {
        const { __provider: _text, ...state } = registration.checked ?? {};
        return { id: undefined, state: thisRealm(state) };
      }
      const created = await provider.create(registration.checked);
      registration.id = created.id;
      registration.outputs = { ...(created.outs as Record<string, unknown>), __provider: text };
      return { id: created.id, state: thisRealm(registration.outputs) };
    } catch (error) {
      registration.error = error instanceof Error ? error.message : String(error);
      return { id: undefined, state: {} };
    }
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    // upgrade-guard has no invokes (dynamic providers have no invoke path); record any attempt.
    this.calls.push(args.token);
    return {};
  }

  /** The registrations of one resource type. */
  ofType(type: string): Registration[] {
    return this.registrations.filter((r) => r.type === type);
  }
}

/** Resolves an Output's value (under mocks every value becomes known, except in preview). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** The program of a test file run by {@link programAgainstEmulator}. */
export interface EmulatorProgram {
  /** The emulator (set once the file's `beforeAll` ran). */
  readonly emulator: RunningEmulator;
  /** The mocks the program registers with (set once the file's `beforeAll` ran). */
  readonly engine: MockEngine;
  /** The id of the emulator's cluster `name`. */
  id(name: string): string;
}

/**
 * One emulator and one mocked program for all the tests of a file. Before them: the emulator, the
 * mocks (`dryRun`: Pulumi's preview flag) and the emulator's credentials as stack configuration
 * only (the environment names just the emulator, plus `env`). After them: the emulator closed and
 * the real environment restored.
 */
export function programAgainstEmulator(options: {
  dryRun: boolean;
  env?: Record<string, string>;
}): EmulatorProgram {
  const program = {
    emulator: undefined as unknown as RunningEmulator,
    engine: undefined as unknown as MockEngine,
    id: (name: string) => program.emulator.control.clusters().find((c) => c.name === name)!.id,
  };
  beforeAll(async () => {
    program.emulator = await startEmulator({ onInternalError: () => undefined });
    setEnvEverywhere({ UPGRADE_GUARD_ENDPOINT: program.emulator.url, ...options.env });
    program.engine = new MockEngine({ project: "readiness", config: emulatorConfig() });
    await pulumi.runtime.setMocks(program.engine, "readiness", "dev", options.dryRun);
    pulumi.runtime.setAllConfig(emulatorConfig(), SECRET_CONFIG_KEYS);
  });
  afterAll(async () => {
    await program.emulator.close();
    restoreOuterEnv();
  });
  return program;
}
