/**
 * Drives the real Pulumi plugin processes that ship inside @pulumi/pulumi (no Pulumi CLI exists
 * here): `cmd/dynamic-provider` (ResourceProvider) and `cmd/run-policy-pack` (Analyzer). Each prints
 * its port as the first stdout line and serves gRPC; we talk to it with the same grpc-js and
 * google-protobuf copies the generated stubs use.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

// Same module instances as @pulumi/pulumi/proto/* (mixing copies breaks instanceof checks).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [require.resolve("@pulumi/pulumi")] }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const structPb = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require.resolve("@pulumi/pulumi")],
  }),
);
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const emptyPb = require(
  require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [require.resolve("@pulumi/pulumi")] }),
);
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const providerPb = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pluginPb = require("@pulumi/pulumi/proto/plugin_pb");

/** The sentinel the engine sends for values unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface PluginProcess {
  readonly port: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly client: any;
  /** Everything the plugin printed after the port line, and on stderr. */
  output(): string;
  stop(): Promise<void>;
  /** Promisified unary call: `call("check", request)`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(method: string, request: unknown): Promise<T>;
}

export interface SpawnOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly args?: readonly string[];
  /** Deadline for the port line. */
  readonly startTimeoutMs?: number;
}

async function spawnPlugin(
  entry: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  makeClient: (address: string) => any,
  options: SpawnOptions,
): Promise<PluginProcess> {
  const child: ChildProcess = spawn(process.execPath, [require.resolve(entry), ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let portLine: string | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} printed no port within ${options.startTimeoutMs ?? 20_000} ms:\n${out}`));
    }, options.startTimeoutMs ?? 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
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
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (portLine === undefined)
        reject(new Error(`${entry} exited with ${code} before printing a port:\n${out}`));
    });
  });
  const client = makeClient(`127.0.0.1:${port}`);
  return {
    port,
    client,
    output: () => out,
    call(method, request) {
      return new Promise((resolve, reject) => {
        const deadline = new Date(Date.now() + 60_000);
        client[method](request, { deadline }, (err: Error | null, response: unknown) =>
          err ? reject(err) : resolve(response as never),
        );
      });
    },
    async stop() {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Starts `@pulumi/pulumi/cmd/dynamic-provider` with `cwd` as the project directory. */
export function startDynamicProvider(options: SpawnOptions): Promise<PluginProcess> {
  return spawnPlugin(
    "@pulumi/pulumi/cmd/dynamic-provider",
    (address) => new providerGrpc.ResourceProviderClient(address, grpc.credentials.createInsecure()),
    { ...options, args: options.args ?? ["127.0.0.1:0"] },
  );
}

/** Starts `@pulumi/pulumi/cmd/run-policy-pack` for the pack in `packDir` (also its cwd). */
export function startPolicyPack(
  packDir: string,
  options: Omit<SpawnOptions, "cwd"> = {},
): Promise<PluginProcess> {
  return spawnPlugin(
    "@pulumi/pulumi/cmd/run-policy-pack",
    (address) => new analyzerGrpc.AnalyzerClient(address, grpc.credentials.createInsecure()),
    { ...options, cwd: packDir, args: ["127.0.0.1:0", path.resolve(packDir)] },
  );
}

export function toStruct(value: Record<string, unknown>): unknown {
  return structPb.Struct.fromJavaScript(value);
}
