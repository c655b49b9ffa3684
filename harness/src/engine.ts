/**
 * A small deployment engine: runs a Pulumi program with the real language host
 * (`@pulumi/pulumi/cmd/run`), serving the ResourceMonitor and Engine gRPC services itself, and
 * drives the real `cmd/dynamic-provider` (dynamic resources) and `cmd/run-policy-pack` (each
 * `--policy-pack`) plugins over gRPC, in the order the Pulumi engine uses: Check, Analyze, then Diff
 * and (in `up`) Create, Update or Delete. What it leaves out is listed in the package README.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Backend, type ResourceState, type StackState } from "./backend";
import { ProjectError } from "./errors";
import { type EnforcementLevel, levelName, levelNumber, type PolicyPackConfig } from "./pack-config";
import {
  analyzerPb,
  grpc,
  emptyPb,
  providerPb,
  startDynamicProvider,
  startPolicyPack,
  type PluginProcess,
} from "./plugins";
import { analyzeRequest, analyzeStackRequest, cliPolicyConfig } from "./policy";
import { type LoadedProject } from "./project";
import {
  containsUnknown,
  fromStruct,
  isSecret,
  type PropertyMap,
  remarkSecrets,
  secret,
  secretStrings,
  toStruct,
  unwrapSecrets,
} from "./wire";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourcePb = require("@pulumi/pulumi/proto/resource_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const enginePb = require("@pulumi/pulumi/proto/engine_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const statusPb = require("@pulumi/pulumi/proto/status_pb");

/**
 * The partial create a provider reports (`ErrorResourceInitFailed` in the gRPC status details):
 * the vendor accepted the resource, so the engine records it with its id and outputs and the next
 * `up` continues through `update` instead of creating it again.
 */
function partialCreateOf(error: unknown): { id: string; properties: PropertyMap } | undefined {
  const metadata = (error as { metadata?: { get(key: string): unknown[] } }).metadata;
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (!(raw instanceof Uint8Array)) return undefined;
  for (const detail of statusPb.Status.deserializeBinary(raw).getDetailsList()) {
    if (!String(detail.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const failed = providerPb.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
    return { id: failed.getId(), properties: fromStruct(failed.getProperties()) };
  }
  return undefined;
}

/** What a step did (or, in preview, would do) to a resource. */
export type Operation = "create" | "update" | "replace" | "delete" | "same" | "read";

export interface Step {
  readonly op: Operation;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Inputs whose change caused the step (update and replace). */
  readonly diffs?: readonly string[];
  /** Why this step is not what the Pulumi engine would do exactly (a provider with no plugin here). */
  readonly note?: string;
}

export type { EnforcementLevel };

export interface PolicyViolation {
  readonly policyPack: string;
  readonly policyPackVersion: string;
  readonly policyName: string;
  readonly level: EnforcementLevel;
  readonly message: string;
  /** The resource's URN; absent for a stack policy's violation about the stack. */
  readonly urn?: string;
}

export interface EngineDiagnostic {
  readonly severity: "info" | "warning" | "error";
  readonly message: string;
  readonly urn?: string;
}

export interface DeploymentResult {
  readonly kind: "preview" | "up";
  readonly project: string;
  readonly stack: string;
  readonly steps: readonly Step[];
  /** Stack outputs; secrets read `[secret]`. Outputs not known yet (preview) are in `unknownOutputs`. */
  readonly outputs: PropertyMap;
  /** Stack outputs whose value is known only after `up` (preview). */
  readonly unknownOutputs: readonly string[];
  readonly policies: readonly PolicyViolation[];
  readonly diagnostics: readonly EngineDiagnostic[];
  /** The program's or an engine step's failure, when the run did not complete. */
  readonly error?: string;
  /** A mandatory violation blocked the deployment. */
  readonly blocked: boolean;
  /** 0: no mandatory violation; 1: blocked by one; 3: the program or an engine step failed. */
  readonly exitCode: 0 | 1 | 3;
}

export interface DeploymentOptions {
  readonly project: LoadedProject;
  readonly kind: "preview" | "up";
  readonly backend: Backend;
  /** Policy pack directories (their `package.json` main is loaded by `cmd/run-policy-pack`). */
  readonly policyPacks?: readonly string[];
  /** The `--policy-pack-config` file, parsed (`parsePolicyPackConfig`). */
  readonly policyPackConfig?: PolicyPackConfig;
  /** Environment of the program, the provider and the analyzers. */
  readonly env: NodeJS.ProcessEnv;
  /** Deadline of the whole run (default 10 minutes). */
  readonly deadlineMs?: number;
}

const SEVERITIES: Record<number, EngineDiagnostic["severity"] | undefined> = {
  1: "info",
  2: "warning",
  3: "error",
};
const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
const DEFAULT_DEADLINE_MS = 10 * 60_000;
/** How long a program that reported an error may linger once none of its requests is in flight. */
const PROGRAM_ERROR_GRACE_MS = 3_000;
/** The language host's exit code after it logged the error itself (`cmd/run`). */
const PROGRAM_FAILED_EXIT = 32;

interface Registered {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly provider?: string;
  readonly id?: string;
  readonly inputs: PropertyMap;
  readonly outputs: PropertyMap;
}

interface Analyzer {
  readonly plugin: PluginProcess;
  readonly name: string;
  readonly version: string;
  readonly policyNames: readonly string[];
}

/** Runs `preview` or `up` of a project's stack; see the module comment. Never throws for a program error. */
export async function runDeployment(options: DeploymentOptions): Promise<DeploymentResult> {
  const deployment = new Deployment(options);
  try {
    return await deployment.run();
  } finally {
    await deployment.stop();
  }
}

class Deployment {
  private readonly project: LoadedProject;
  private readonly preview: boolean;
  private readonly previous: StackState | undefined;
  private readonly previousResources: Map<string, ResourceState>;
  private readonly registered = new Map<string, Registered>();
  private readonly steps: Step[] = [];
  private readonly policies: PolicyViolation[] = [];
  private readonly diagnostics: EngineDiagnostic[] = [];
  private readonly pendingDeletes: ResourceState[] = [];
  private readonly secrets = new Set<string>();
  private analyzers: Promise<Analyzer[]> | undefined;
  /** Every analyzer process started, even one whose configuration then failed. */
  private readonly startedAnalyzers: PluginProcess[] = [];
  private provider: Promise<PluginProcess> | undefined;
  private server: { tryShutdown(cb: () => void): void; forceShutdown(): void } | undefined;
  private rootUrn: string | undefined;
  private stackOutputs: PropertyMap = {};
  private failure: string | undefined;
  /** RPCs of the program still being served (a create may be waiting for a vendor task). */
  private inFlight = 0;
  /** What the engine's own steps answered with an error (the program may be stopped before it logs them). */
  private readonly stepErrors: string[] = [];
  /** Called when the program logged an error: it may now linger (see `runProgram`). */
  private onProgramError: (() => void) | undefined;

  constructor(private readonly options: DeploymentOptions) {
    this.project = options.project;
    this.preview = options.kind === "preview";
    const stored = options.backend.load(this.project.name, this.project.stack);
    this.previous = stored === undefined ? undefined : options.backend.reveal(stored, stored);
    this.previousResources = new Map(
      (this.previous?.resources ?? []).map((resource) => [resource.urn, resource]),
    );
    for (const entry of this.project.config.values()) if (entry.secret) this.secrets.add(entry.value);
  }

  async run(): Promise<DeploymentResult> {
    const deadline = Date.now() + (this.options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    const address = await this.serve();
    this.analyzers = this.startAnalyzers();
    // A pack that does not start is a failed run, before the program does anything.
    await this.analyzers;
    const exit = await this.runProgram(address, deadline);
    if (exit !== 0 && this.failure === undefined) {
      this.failure =
        this.lastError() ??
        (this.stepErrors.length > 0 ? this.stepErrors.join("\n") : `the program exited with code ${exit}`);
    }
    if (this.failure === undefined) await this.deleteLeftovers();
    if (this.failure === undefined) await this.analyzeStack();
    const blocked = this.policies.some((violation) => violation.level === "mandatory");
    if (!this.preview && this.failure === undefined) this.saveState();
    else if (!this.preview && this.registered.size > 0) this.saveState(true);
    return this.result(blocked);
  }

  async stop(): Promise<void> {
    const plugins: Promise<unknown>[] = [];
    if (this.provider !== undefined)
      plugins.push(
        this.provider.then(
          (p) => p.stop(),
          () => undefined,
        ),
      );
    if (this.analyzers !== undefined) {
      plugins.push(
        this.analyzers
          .then(
            () => undefined,
            () => undefined,
          )
          .then(() => Promise.all(this.startedAnalyzers.map((plugin) => plugin.stop()))),
      );
    }
    await Promise.all(plugins);
    this.server?.forceShutdown();
  }

  // ------------------------------------------------------------------------------------------
  // The program

  private configEnv(): Record<string, string> {
    const config = Object.fromEntries([...this.project.config].map(([key, entry]) => [key, entry.value]));
    const secretKeys = [...this.project.config].filter(([, entry]) => entry.secret).map(([key]) => key);
    return {
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
      PULUMI_NODEJS_PROJECT: this.project.name,
      PULUMI_NODEJS_STACK: this.project.stack,
      PULUMI_NODEJS_ORGANIZATION: "organization",
      PULUMI_NODEJS_DRY_RUN: String(this.preview),
    };
  }

  private async runProgram(address: string, deadline: number): Promise<number> {
    const args = [
      require.resolve("@pulumi/pulumi/cmd/run"),
      `--monitor=${address}`,
      `--engine=${address}`,
      `--project=${this.project.name}`,
      `--stack=${this.project.stack}`,
      "--organization=organization",
      `--pwd=${this.project.dir}`,
      ...(this.preview ? ["--dry-run"] : []),
      this.project.main,
    ];
    const env = {
      ...this.options.env,
      ...this.configEnv(),
      ...(this.project.typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    };
    const child = spawn(process.execPath, args, {
      cwd: this.project.dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return new Promise<number>((resolve) => {
      const timer = setTimeout(
        () => {
          const seconds = Math.round((this.options.deadlineMs ?? DEFAULT_DEADLINE_MS) / 1000);
          this.failure = `the run did not finish within its deadline of ${seconds} s; the program was stopped`;
          child.kill("SIGKILL");
        },
        Math.max(0, deadline - Date.now()),
      );
      // After an unhandled error the language host can keep running for tens of seconds (open
      // gRPC handles) though it has nothing left to do; once nothing it asked for is still being
      // served, it is stopped after a short grace period.
      let idleSince: number | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      this.onProgramError = () => {
        watchdog ??= setInterval(() => {
          if (this.inFlight > 0) idleSince = undefined;
          else if (idleSince === undefined) idleSince = Date.now();
          else if (Date.now() - idleSince >= PROGRAM_ERROR_GRACE_MS) child.kill("SIGKILL");
        }, 250);
      };
      child.on("exit", (code) => {
        clearTimeout(timer);
        if (watchdog !== undefined) clearInterval(watchdog);
        // Output that did not reach Engine.Log (a crash before the SDK connected) is the error.
        if (code !== 0 && this.lastError() === undefined && output.trim() !== "") {
          this.diagnostics.push({ severity: "error", message: output.trim() });
        }
        resolve(code ?? (this.lastError() === undefined ? 1 : PROGRAM_FAILED_EXIT));
      });
    });
  }

  private lastError(): string | undefined {
    const errors = this.diagnostics.filter((d) => d.severity === "error");
    return errors.length === 0 ? undefined : errors.map((d) => d.message.trim()).join("\n");
  }

  // ------------------------------------------------------------------------------------------
  // gRPC services the language host calls

  private serve(): Promise<string> {
    const server = new grpc.Server();
    const unary =
      (handler: (request: never) => Promise<unknown>) =>
      (call: { request: never }, callback: (error: unknown, response?: unknown) => void): void => {
        this.inFlight += 1;
        handler(call.request)
          .finally(() => (this.inFlight -= 1))
          .then(
            (response) => callback(null, response),
            (error: unknown) => {
              // A failed step ends the deployment, as the Pulumi engine ends it: the program is
              // stopped once nothing else it asked for is in flight (see `runProgram`).
              this.stepErrors.push(error instanceof Error ? error.message : String(error));
              this.onProgramError?.();
              callback({
                code: grpc.status.UNKNOWN,
                details: error instanceof Error ? error.message : String(error),
              });
            },
          );
      };
    const empty = async () => new emptyPb.Empty();
    server.addService(resourceGrpc.ResourceMonitorService, {
      supportsFeature: unary(async (request: { getId(): string }) =>
        // Secrets only: the SDK then marks secrets on the wire and keeps everything else simple.
        new resourcePb.SupportsFeatureResponse().setHassupport(request.getId() === "secrets"),
      ),
      registerResource: unary((request) => this.registerResource(request)),
      registerResourceOutputs: unary(async (request: { getUrn(): string; getOutputs(): unknown }) => {
        if (request.getUrn() === this.rootUrn) this.stackOutputs = fromStruct(request.getOutputs());
        return new emptyPb.Empty();
      }),
      readResource: unary((request) => this.readResource(request)),
      invoke: unary(async () => {
        throw new Error(
          "this harness runs no provider functions (Invoke); call upgrade-guard's data functions directly",
        );
      }),
      signalAndWaitForShutdown: unary(empty),
    });
    server.addService(engineGrpc.EngineService, {
      log: unary(async (request: { getSeverity(): number; getMessage(): string; getUrn(): string }) => {
        const severity = SEVERITIES[request.getSeverity()];
        if (severity === "error") this.onProgramError?.();
        if (severity !== undefined) {
          this.diagnostics.push({
            severity,
            message: request.getMessage(),
            ...(request.getUrn() === "" ? {} : { urn: request.getUrn() }),
          });
        }
        return new emptyPb.Empty();
      }),
      getRootResource: unary(async () => new enginePb.GetRootResourceResponse().setUrn(this.rootUrn ?? "")),
      setRootResource: unary(async (request: { getUrn(): string }) => {
        this.rootUrn = request.getUrn();
        return new enginePb.SetRootResourceResponse();
      }),
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.bindAsync(
        "127.0.0.1:0",
        grpc.ServerCredentials.createInsecure(),
        (error: Error | null, port: number) => (error ? reject(error) : resolve(`127.0.0.1:${port}`)),
      );
    });
  }

  private urnOf(type: string, name: string, parent: string): string {
    const parentResource = this.registered.get(parent);
    const qualified =
      parentResource === undefined || parentResource.type === "pulumi:pulumi:Stack"
        ? type
        : `${qualifiedType(parent)}$${type}`;
    return `urn:pulumi:${this.project.stack}::${this.project.name}::${qualified}::${name}`;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async registerResource(request: any): Promise<unknown> {
    const type: string = request.getType();
    const name: string = request.getName();
    const custom: boolean = request.getCustom();
    const parent: string = request.getParent();
    const provider: string = request.getProvider();
    const urn = this.urnOf(type, name, parent);
    const inputs = fromStruct(request.getObject());
    secretStrings(inputs, this.secrets);
    const respond = (id: string, outputs: PropertyMap, extra: Partial<Registered> = {}) => {
      this.registered.set(urn, {
        urn,
        type,
        name,
        custom,
        ...(parent === "" ? {} : { parent }),
        ...(provider === "" ? {} : { provider }),
        ...(id === "" ? {} : { id }),
        inputs,
        outputs,
        ...extra,
      });
      return new resourcePb.RegisterResourceResponse().setUrn(urn).setId(id).setObject(toStruct(outputs));
    };

    if (type === "pulumi:pulumi:Stack") {
      this.rootUrn ??= urn;
      this.recordStep(urn, type, name, this.previousResources.has(urn) ? "same" : "create");
      return respond("", {});
    }
    if (type.startsWith("pulumi:providers:")) {
      const old = this.previousResources.get(urn);
      this.recordStep(urn, type, name, old === undefined ? "create" : "same");
      return respond(old?.id ?? randomUUID(), inputs);
    }
    await this.analyze(urn, type, name, inputs, provider);
    if (!this.preview && this.blocks(urn)) {
      throw new Error(`${urn} is blocked by a mandatory policy; see the Policies section`);
    }
    if (!custom) {
      this.recordStep(urn, type, name, this.previousResources.has(urn) ? "same" : "create");
      return respond("", {});
    }
    if (!type.startsWith(DYNAMIC_PREFIX)) {
      const pkg = type.split(":")[0] ?? type;
      const note = `no ${pkg} provider plugin here: inputs were checked by the policies; outputs are unknown`;
      if (!this.preview) {
        throw new Error(
          `${urn}: the ${pkg} provider plugin is not available to this harness, so \`up\` cannot create it (${note})`,
        );
      }
      const old = this.previousResources.get(urn);
      this.recordStep(urn, type, name, old === undefined ? "create" : "update", { note });
      return respond(old?.id ?? "", inputs);
    }
    return this.dynamicStep(urn, type, name, inputs, respond);
  }

  private async dynamicStep(
    urn: string,
    type: string,
    name: string,
    news: PropertyMap,
    respond: (id: string, outputs: PropertyMap, extra?: Partial<Registered>) => unknown,
  ): Promise<unknown> {
    const provider = await this.dynamicProvider();
    const old = this.previousResources.get(urn);
    const plainNews = unwrapSecrets(news) as PropertyMap;
    const checked = await provider.call(
      "check",
      checkRequest(urn, unwrapSecrets(old?.inputs ?? {}) as PropertyMap, plainNews),
    );
    const failures = checked.getFailuresList();
    if (failures.length > 0) {
      throw new Error(
        `${urn}: the provider's check failed:\n` +
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          failures.map((f: any) => `  - ${f.getProperty()}: ${f.getReason()}`).join("\n"),
      );
    }
    const checkedInputs = remarkSecrets(fromStruct(checked.getInputs()), news);
    const plainChecked = unwrapSecrets(checkedInputs) as PropertyMap;
    const finish = (id: string, outputs: PropertyMap) =>
      respond(id, remarkSecrets(outputs, checkedInputs), { inputs: checkedInputs });

    const create = async () => {
      try {
        return await provider.call("create", createRequest(urn, plainChecked));
      } catch (error) {
        const partial = partialCreateOf(error);
        if (partial !== undefined) finish(partial.id, partial.properties);
        throw error;
      }
    };
    if (old === undefined || old.id === undefined) {
      this.recordStep(urn, type, name, "create");
      if (this.preview) return respond("", checkedInputs, { inputs: checkedInputs });
      const created = await create();
      return finish(created.getId(), fromStruct(created.getProperties()));
    }
    const diff = await provider.call("diff", changeRequest(providerPb.DiffRequest, old, urn, plainChecked));
    const replaces: string[] = diff.getReplacesList();
    const diffs: string[] = diff.getDiffsList();
    const changed = diff.getChanges() === providerPb.DiffResponse.DiffChanges.DIFF_SOME;
    if (!changed) {
      this.recordStep(urn, type, name, "same");
      return respond(old.id, old.outputs, { inputs: checkedInputs });
    }
    if (replaces.length > 0) {
      this.recordStep(urn, type, name, "replace", { diffs: replaces });
      if (this.preview) return respond("", checkedInputs, { inputs: checkedInputs });
      const created = await create();
      this.pendingDeletes.push(old);
      return finish(created.getId(), fromStruct(created.getProperties()));
    }
    this.recordStep(urn, type, name, "update", { diffs });
    if (this.preview) return respond(old.id, checkedInputs, { inputs: checkedInputs });
    const updated = await provider.call(
      "update",
      changeRequest(providerPb.UpdateRequest, old, urn, plainChecked),
    );
    return finish(old.id, fromStruct(updated.getProperties()));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async readResource(request: any): Promise<unknown> {
    const type: string = request.getType();
    if (type !== "pulumi:pulumi:StackReference") {
      throw new Error(`${type}: this harness reads only StackReferences (pulumi:pulumi:StackReference)`);
    }
    const urn = this.urnOf(type, request.getName(), request.getParent());
    const name: string = request.getId();
    const [project, stack] = this.referencedStack(name);
    const stored = this.options.backend.load(project, stack);
    if (stored === undefined) {
      throw new Error(
        `StackReference ${name}: no stack ${project}/${stack} in ${this.options.backend.folder} (run \`up\` on it first, with the same PULUMI_BACKEND_URL)`,
      );
    }
    const outputs = this.options.backend.reveal(stored, stored.outputs);
    secretStrings(outputs, this.secrets);
    const secretOutputNames = Object.entries(outputs)
      .filter(([, value]) => isSecret(value))
      .map(([key]) => key);
    this.recordStep(urn, type, request.getName(), "read");
    const properties = { name, outputs, secretOutputNames };
    this.registered.set(urn, {
      urn,
      type,
      name: request.getName(),
      custom: true,
      id: name,
      inputs: { name },
      outputs: properties,
    });
    return new resourcePb.ReadResourceResponse().setUrn(urn).setProperties(toStruct(properties));
  }

  /** `org/project/stack`, `project/stack` or `stack` (this project), as Pulumi resolves the name. */
  private referencedStack(name: string): [string, string] {
    const parts = name.split("/");
    if (parts.length === 1) return [this.project.name, parts[0] ?? name];
    if (parts.length === 2 || parts.length === 3)
      return [parts[parts.length - 2] ?? "", parts[parts.length - 1] ?? ""];
    throw new Error(`StackReference ${name}: use stack, project/stack or org/project/stack`);
  }

  private recordStep(
    urn: string,
    type: string,
    name: string,
    op: Operation,
    extra: Pick<Step, "diffs" | "note"> = {},
  ): void {
    this.steps.push({ op, urn, type, name, ...extra });
  }

  // ------------------------------------------------------------------------------------------
  // Plugins

  private dynamicProvider(): Promise<PluginProcess> {
    this.provider ??= (async () => {
      const plugin = await startDynamicProvider({
        cwd: this.project.dir,
        // A create may wait for a vendor task as long as the run may last.
        callTimeoutMs: this.options.deadlineMs ?? DEFAULT_DEADLINE_MS,
        env: {
          ...this.options.env,
          PULUMI_NODEJS_PROJECT: this.project.name,
          PULUMI_PROJECT: this.project.name,
          PULUMI_CONFIG: "{}",
        },
      });
      // The engine hands the dynamic provider the whole stack config, secrets decrypted.
      const args = Object.fromEntries([...this.project.config].map(([key, entry]) => [key, entry.value]));
      await plugin.call(
        "configure",
        new providerPb.ConfigureRequest().setArgs(toStruct(args)).setAcceptsecrets(false),
      );
      return plugin;
    })();
    return this.provider;
  }

  private async startAnalyzers(): Promise<Analyzer[]> {
    const packs = this.options.policyPacks ?? [];
    const file = this.options.policyPackConfig ?? new Map();
    const all = file.get("all")?.enforcementLevel;
    // Settled, not `Promise.all`: every pack is done starting before a failure ends the run, so
    // `stop` finds each process in `startedAnalyzers`.
    const settled = await Promise.allSettled(
      packs.map(async (dir) => {
        const packDir = path.resolve(dir);
        if (
          !fs.existsSync(path.join(packDir, "package.json")) ||
          !fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))
        ) {
          throw new ProjectError(
            `--policy-pack ${dir}: not a policy pack (it needs PulumiPolicy.yaml and package.json)`,
          );
        }
        const plugin = await startPolicyPack(packDir, {
          env: { ...this.options.env, ...this.configEnv() },
          callTimeoutMs: this.options.deadlineMs ?? DEFAULT_DEADLINE_MS,
        });
        // Recorded before anything else can fail, so `stop` ends the process whatever happens next.
        this.startedAnalyzers.push(plugin);
        const info = await plugin.call("getAnalyzerInfo", new emptyPb.Empty());
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const policies: any[] = info.getPoliciesList();
        const configure = new analyzerPb.ConfigureAnalyzerRequest();
        const map = configure.getPolicyconfigMap();
        const names: string[] = [];
        for (const policy of policies) {
          const policyName: string = policy.getName();
          names.push(policyName);
          const entry = file.get(policyName);
          const schema = policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
          const properties = cliPolicyConfig(
            { configSchema: { properties: schema } } as never,
            entry?.properties as Record<string, unknown> | undefined,
          );
          const level = entry?.enforcementLevel ?? all;
          const config = new analyzerPb.PolicyConfig().setProperties(toStruct(properties));
          config.setEnforcementlevel(level === undefined ? policy.getEnforcementlevel() : levelNumber(level));
          map.set(policyName, config);
        }
        await plugin.call("configure", configure);
        return { plugin, name: info.getName(), version: info.getVersion(), policyNames: names };
      }),
    );
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    const analyzers = settled.map((outcome) => (outcome as PromiseFulfilledResult<Analyzer>).value);
    this.warnOfUnknownPolicies(file, analyzers);
    return analyzers;
  }

  /**
   * The Pulumi CLI ignores a key of the config file that names no policy of any pack. A misspelt
   * name then leaves its policy at the pack's level unseen, so say so (a warning, as the run the
   * CLI would do goes on).
   */
  private warnOfUnknownPolicies(file: PolicyPackConfig, analyzers: readonly Analyzer[]): void {
    const known = new Set(analyzers.flatMap((analyzer) => analyzer.policyNames));
    for (const key of file.keys()) {
      if (key === "all" || known.has(key)) continue;
      const packs = analyzers.map((analyzer) => analyzer.name).join(", ");
      this.diagnostics.push({
        severity: "warning",
        message: `--policy-pack-config: "${key}" is not a policy of ${packs}, so it configures nothing (policies: ${[...known].join(", ")})`,
      });
    }
  }

  private async analyze(
    urn: string,
    type: string,
    name: string,
    props: PropertyMap,
    providerRef: string,
  ): Promise<void> {
    const analyzers = await (this.analyzers ?? Promise.resolve([]));
    if (analyzers.length === 0) return;
    const provider = this.providerOf(type, providerRef);
    const request = analyzeRequest(type, name, props, provider, urn);
    for (const analyzer of analyzers) {
      const response = await analyzer.plugin.call("analyze", request);
      this.collect(analyzer, response, urn);
    }
  }

  /** The provider resource of a resource: the registered one, or the default provider of its package. */
  private providerOf(
    type: string,
    providerRef: string,
  ): { type: string; name: string; urn: string; props: PropertyMap } | undefined {
    const registeredUrn = providerRef.split("::").slice(0, -1).join("::");
    const registered = registeredUrn === "" ? undefined : this.registered.get(registeredUrn);
    if (registered !== undefined)
      return { type: registered.type, name: registered.name, urn: registered.urn, props: registered.inputs };
    const pkg = type.startsWith(DYNAMIC_PREFIX) ? "pulumi-nodejs" : (type.split(":")[0] ?? "");
    if (pkg === "" || type.startsWith("pulumi:")) return undefined;
    const props = Object.fromEntries(
      [...this.project.config]
        .filter(([key]) => pkg === "pulumi-nodejs" || key.startsWith(`${pkg}:`))
        .map(([key, entry]) => [
          pkg === "pulumi-nodejs" ? key : key.slice(pkg.length + 1),
          entry.secret ? secret(entry.value) : entry.value,
        ]),
    );
    const providerType = `pulumi:providers:${pkg}`;
    return {
      type: providerType,
      name: "default",
      urn: `urn:pulumi:${this.project.stack}::${this.project.name}::${providerType}::default`,
      props,
    };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private collect(analyzer: Analyzer, response: any, urn: string | undefined): void {
    for (const diagnostic of response.getDiagnosticsList()) {
      const level = levelName(diagnostic.getEnforcementlevel() as number);
      if (level === "disabled") continue;
      const violationUrn: string = diagnostic.getUrn() || urn || "";
      this.policies.push({
        policyPack: analyzer.name,
        policyPackVersion: analyzer.version,
        policyName: diagnostic.getPolicyname(),
        // A remediate policy whose validation still fails counts as mandatory (the engine's rule).
        level: level === "remediate" ? "mandatory" : level,
        message: diagnostic.getMessage(),
        ...(violationUrn === "" ? {} : { urn: violationUrn }),
      });
    }
  }

  private blocks(urn: string): boolean {
    return this.policies.some((violation) => violation.urn === urn && violation.level === "mandatory");
  }

  private async analyzeStack(): Promise<void> {
    const analyzers = await (this.analyzers ?? Promise.resolve([]));
    if (analyzers.length === 0) return;
    const request = analyzeStackRequest(
      [...this.registered.values()].map(({ type, name, urn, outputs }) => ({
        type,
        name,
        urn,
        props: outputs,
      })),
    );
    for (const analyzer of analyzers)
      this.collect(analyzer, await analyzer.plugin.call("analyzeStack", request), undefined);
  }

  // ------------------------------------------------------------------------------------------
  // Deletes and state

  private async deleteLeftovers(): Promise<void> {
    const gone = [...this.previousResources.values()]
      .filter((resource) => !this.registered.has(resource.urn))
      .reverse();
    for (const resource of gone) this.recordStep(resource.urn, resource.type, resource.name, "delete");
    if (this.preview) return;
    for (const resource of [...this.pendingDeletes, ...gone]) {
      if (!resource.custom || resource.id === undefined || !resource.type.startsWith(DYNAMIC_PREFIX))
        continue;
      try {
        const provider = await this.dynamicProvider();
        await provider.call(
          "delete",
          new providerPb.DeleteRequest()
            .setId(resource.id)
            .setUrn(resource.urn)
            .setProperties(toStruct(unwrapSecrets(resource.outputs) as PropertyMap))
            .setOldInputs(toStruct(unwrapSecrets(resource.inputs) as PropertyMap)),
        );
      } catch (error) {
        this.failure = `deleting ${resource.urn} failed: ${(error as Error).message}`;
        return;
      }
    }
  }

  /** Saves what exists now; after a failure, also what was not touched (nothing is forgotten). */
  private saveState(partial = false): void {
    const resources: ResourceState[] = [...this.registered.values()].map((resource) => ({
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      custom: resource.custom,
      ...(resource.id === undefined ? {} : { id: resource.id }),
      ...(resource.parent === undefined ? {} : { parent: resource.parent }),
      ...(resource.provider === undefined ? {} : { provider: resource.provider }),
      inputs: resource.inputs,
      outputs: resource.outputs,
    }));
    if (partial) {
      for (const old of this.previousResources.values())
        if (!this.registered.has(old.urn)) resources.push(old);
    }
    this.options.backend.save(
      {
        project: this.project.name,
        stack: this.project.stack,
        outputs: partial ? (this.previous?.outputs ?? {}) : this.stackOutputs,
        resources,
      },
      this.previous?.secretsSaltState,
    );
  }

  private result(blocked: boolean): DeploymentResult {
    const failure = this.failure;
    const programFailedOnBlock = blocked && !this.preview;
    const exitCode: DeploymentResult["exitCode"] = blocked ? 1 : failure !== undefined ? 3 : 0;
    const known = Object.entries(this.stackOutputs).filter(([, value]) => !containsUnknown(value));
    const unknownOutputs = Object.keys(this.stackOutputs).filter((key) =>
      containsUnknown(this.stackOutputs[key]),
    );
    const outputs = maskSecrets(Object.fromEntries(known)) as PropertyMap;
    const scrub = (text: string): string => scrubSecrets(text, this.secrets);
    return {
      kind: this.options.kind,
      project: this.project.name,
      stack: this.project.stack,
      steps: this.steps,
      outputs: JSON.parse(scrub(JSON.stringify(outputs))) as PropertyMap,
      unknownOutputs,
      policies: this.policies.map((violation) => ({ ...violation, message: scrub(violation.message) })),
      diagnostics: this.diagnostics.map((diagnostic) => ({
        ...diagnostic,
        message: scrub(diagnostic.message),
      })),
      ...(failure === undefined || programFailedOnBlock ? {} : { error: scrub(failure) }),
      blocked,
      exitCode,
    };
  }
}

function qualifiedType(urn: string): string {
  return urn.split("::")[2] ?? "";
}

function checkRequest(urn: string, olds: PropertyMap, news: PropertyMap): unknown {
  return new providerPb.CheckRequest().setUrn(urn).setOlds(toStruct(olds)).setNews(toStruct(news));
}

function createRequest(urn: string, properties: PropertyMap): unknown {
  return new providerPb.CreateRequest().setUrn(urn).setProperties(toStruct(properties));
}

/** A Diff or Update request (the same fields): the old state against the new checked inputs. */
function changeRequest(
  Request: typeof providerPb.DiffRequest | typeof providerPb.UpdateRequest,
  old: ResourceState,
  urn: string,
  news: PropertyMap,
): unknown {
  return new Request()
    .setId(old.id ?? "")
    .setUrn(urn)
    .setOlds(toStruct(unwrapSecrets(old.outputs) as PropertyMap))
    .setNews(toStruct(news))
    .setOldInputs(toStruct(unwrapSecrets(old.inputs) as PropertyMap));
}

/** Outputs as `pulumi stack output` shows them: secrets read `[secret]`. */
export function maskSecrets(value: unknown): unknown {
  if (isSecret(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSecrets(item)]));
  }
  return value;
}

function scrubSecrets(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const value of secrets) if (value.length >= 4) out = out.split(value).join("[secret]");
  return out;
}
