/**
 * The real Pulumi plugin processes that ship inside @pulumi/pulumi, started without the Pulumi CLI:
 * `cmd/dynamic-provider` (the ResourceProvider that runs a program's serialized dynamic providers) and
 * `cmd/run-policy-pack` (the Analyzer that runs a CrossGuard pack). The CLI starts the same programs
 * and speaks the same gRPC to them, so a test that does so exercises what `pulumi preview` and
 * `pulumi up` would, minus the engine's own orchestration (diffs, state, the language host).
 *
 * Each plugin prints the port it listens on as its first stdout line, then serves gRPC. Every wait
 * here has a deadline (the port line, each call, the exit on stop): a plugin that hangs fails the
 * test with what it printed instead of hanging it.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

// The generated stubs in @pulumi/pulumi/proto check messages with `instanceof` against their own
// grpc-js and google-protobuf, so the clients and messages built here must come from those very
// module instances: they are resolved from @pulumi/pulumi, never from this package's own tree.
const fromPulumi = { paths: [require.resolve("@pulumi/pulumi")] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const grpc = require(require.resolve("@grpc/grpc-js", fromPulumi));
/** google-protobuf's `Struct` (`structPb.Struct.fromJavaScript`), as the Pulumi stubs use it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", fromPulumi));
/** google-protobuf's `Empty`, the request of calls such as `getPluginInfo` and `getAnalyzerInfo`. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const emptyPb = require(require.resolve("google-protobuf/google/protobuf/empty_pb", fromPulumi));
/** The ResourceProvider messages (`CheckRequest`, `CreateRequest`, `ConfigureRequest`, ...). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const providerPb = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
/** The Analyzer messages (`AnalyzeRequest`, `AnalyzeStackRequest`, `ConfigureAnalyzerRequest`, ...). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
/** The plugin messages shared by every plugin (`PluginInfo`, ...). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pluginPb = require("@pulumi/pulumi/proto/plugin_pb");

/**
 * The string the engine sends in place of a value that is unknown during preview (an output of a
 * resource not created yet). Both plugins and the policy SDK recognise it on the wire; a test sends
 * it to see what `pulumi preview` would do with an unknown input.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A started plugin process and a gRPC client connected to it. */
export interface PluginProcess {
  readonly port: number;
  /** The generated grpc-js client (ResourceProviderClient or AnalyzerClient), for calls `call` does not cover. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly client: any;
  /** Everything the plugin printed after the port line, on stdout and stderr: its logs and errors. */
  output(): string;
  /** Closes the client and ends the process (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
  /**
   * A unary call by method name, `call("check", request)`, with a deadline of `callTimeoutMs` (so a
   * plugin that never answers fails the call instead of hanging it).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(method: string, request: unknown): Promise<T>;
}

/** How a plugin process is started; unset fields are what the Pulumi CLI would use. */
export interface SpawnOptions {
  /** The plugin's working directory: the project (dynamic provider) or the pack (policy pack). */
  readonly cwd: string;
  /** Added to this process's environment: the plugin reads its credentials and endpoints there. */
  readonly env?: NodeJS.ProcessEnv;
  /** The plugin's command-line arguments (default: what the CLI passes). */
  readonly args?: readonly string[];
  /** Deadline for the port line, in ms (default 20 s; a pack that loads a large SDK may need more). */
  readonly startTimeoutMs?: number;
  /** Deadline for each `call`, in ms (default 60 s). */
  readonly callTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 20_000;
const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 3_000;

async function spawnPlugin(
  entry: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  makeClient: (address: string) => any,
  options: SpawnOptions,
): Promise<PluginProcess> {
  // With piped stdout and stderr, the child's type has both streams (no null checks needed).
  const child = spawn(process.execPath, [require.resolve(entry), ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  let out = "";
  let portLine: string | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} printed no port within ${startTimeoutMs} ms:\n${out}`));
    }, startTimeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (portLine === undefined && out.includes("\n")) {
        portLine = out.slice(0, out.indexOf("\n"));
        out = out.slice(out.indexOf("\n") + 1);
        clearTimeout(timer);
        const n = Number(portLine.trim());
        if (Number.isInteger(n) && n > 0) resolve(n);
        else reject(new Error(`${entry} printed "${portLine}" instead of a port:\n${out}`));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    // Node itself could not be started (e.g. the working directory does not exist).
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${entry} could not be started in ${options.cwd}: ${error.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (portLine === undefined)
        reject(new Error(`${entry} exited with ${code ?? signal} before printing a port:\n${out}`));
    });
  });
  const client = makeClient(`127.0.0.1:${port}`);
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  return {
    port,
    client,
    output: () => out,
    call(method, request) {
      return new Promise((resolve, reject) => {
        const deadline = new Date(Date.now() + callTimeoutMs);
        client[method](request, { deadline }, (err: Error | null, response: unknown) =>
          err ? reject(err) : resolve(response as never),
        );
      });
    },
    async stop() {
      client.close();
      // A process ended by a signal has no exit code but a signal code; it will not exit again.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Starts `@pulumi/pulumi/cmd/dynamic-provider` with `cwd` as the project directory: the program's
 * serialized providers `require` their dependencies from there, as under the CLI.
 */
export function startDynamicProvider(options: SpawnOptions): Promise<PluginProcess> {
  return spawnPlugin(
    "@pulumi/pulumi/cmd/dynamic-provider",
    (address) => new providerGrpc.ResourceProviderClient(address, grpc.credentials.createInsecure()),
    { ...options, args: options.args ?? ["127.0.0.1:0"] },
  );
}

/**
 * Starts `@pulumi/pulumi/cmd/run-policy-pack` for the pack in `packDir` (also its cwd), which must
 * hold the compiled pack (`PulumiPolicy.yaml` and the `main` of its package.json), as the CLI's
 * `--policy-pack` does.
 */
export function startPolicyPack(
  packDir: string,
  options: Omit<SpawnOptions, "cwd" | "args"> = {},
): Promise<PluginProcess> {
  return spawnPlugin(
    "@pulumi/pulumi/cmd/run-policy-pack",
    (address) => new analyzerGrpc.AnalyzerClient(address, grpc.credentials.createInsecure()),
    { ...options, cwd: packDir, args: ["127.0.0.1:0", path.resolve(packDir)] },
  );
}

/** A plain object as the `google.protobuf.Struct` that properties and configuration travel in. */
export function toStruct(value: Record<string, unknown>): unknown {
  return structPb.Struct.fromJavaScript(value);
}
