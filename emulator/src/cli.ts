#!/usr/bin/env node
/**
 * `npm run emulator -- --port <n> [--scenario <name|file>] [--state-file <path>]`
 *
 * The first stdout line is exactly `listening on http://127.0.0.1:<port>` (scripts wait for it); then
 * one line per account with the credentials to use. Diagnostics go to stderr. SIGINT/SIGTERM close the
 * server and flush the state file before exiting.
 */
import { existsSync } from "node:fs";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./emulator";
import { StateFileError } from "./persistence/state-file";
import { builtinScenarioNames } from "./scenario/load";
import { MAX_REQUEST_LOG } from "./server/request-log";

const USAGE = `usage: upgrade-guard-emulator [options]
  --port <n>               port to listen on (0 = a free port; default 0)
  --host <address>         address to bind (default 127.0.0.1)
  --scenario <name|file>   built-in scenario (${builtinScenarioNames().join(", ")}) or a JSON/YAML file
  --state-file <path>      keep state across restarts in this file
  --doc-quirks             emit the vendor docs' response variants
  --freeze-clock           virtual time moves only through POST /__emulator/clock
  --request-log <n>        request-log capacity, 0..${MAX_REQUEST_LOG} (default 1000)
  --help                   show this help`;

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): EmulatorOptions {
  const options: { -readonly [K in keyof EmulatorOptions]: EmulatorOptions[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--port": {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new UsageError("--port must be 0..65535");
        options.port = port;
        break;
      }
      case "--host":
        options.host = value();
        break;
      case "--scenario":
        options.scenario = value();
        break;
      case "--state-file":
        options.stateFile = value();
        break;
      case "--doc-quirks":
        options.docQuirks = true;
        break;
      case "--freeze-clock":
        options.freezeClock = true;
        break;
      case "--request-log": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > MAX_REQUEST_LOG)
          throw new UsageError(`--request-log must be an integer 0..${MAX_REQUEST_LOG}`);
        options.requestLogLimit = n;
        break;
      }
      case "--help":
      case "-h":
        throw new UsageError("");
      default:
        throw new UsageError(`unknown argument ${arg}`);
    }
  }
  return options;
}

export function credentialLines(emulator: RunningEmulator): string[] {
  const accounts = emulator.control.accounts();
  return [
    ...accounts.huawei.flatMap((a) =>
      a.projects.map(
        (p) =>
          `huawei account ${a.name}: access_key=${a.accessKey} secret_key=${a.secretKey} project_id=${p.id} ` +
          `region=${p.region} iam_user=${a.userName} iam_password=${a.password} iam_domain=${a.domainName}`,
      ),
    ),
    ...accounts.alibaba.map(
      (a) =>
        `alibaba account ${a.name}: access_key_id=${a.accessKeyId} access_key_secret=${a.accessKeySecret} region=${a.region}`,
    ),
  ];
}

/** A failed listen, said in terms of the flags that caused it. */
function listenProblem(error: NodeJS.ErrnoException, options: EmulatorOptions): string {
  const port = options.port ?? 0;
  const host = options.host ?? "127.0.0.1";
  switch (error.code) {
    case "EADDRINUSE":
      return `--port ${port}: ${host}:${port} is already in use; choose another port, or --port 0 for a free one`;
    case "EACCES":
      return `--port ${port}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges); choose a port above 1023, or --port 0`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `--host ${host}: not an address of this machine; leave --host out (127.0.0.1) or give one of its own addresses`;
    default:
      return error.message;
  }
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message !== "") process.stderr.write(`${error.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = error.message === "" ? 0 : 2;
    return;
  }
  let emulator: RunningEmulator;
  const resuming = options.stateFile !== undefined && existsSync(options.stateFile);
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const message =
      error instanceof StateFileError
        ? `--state-file ${error.file}: ${error.problem}`
        : listenProblem(error as NodeJS.ErrnoException, options);
    process.stderr.write(`upgrade-guard emulator: ${message}\n`);
    process.exitCode = 1;
    return;
  }
  // Handlers first: a supervisor may send SIGTERM as soon as it has read the listening line.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`upgrade-guard emulator: ${(error as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(`listening on ${emulator.url}\n${credentialLines(emulator).join("\n")}\n`);
  if (resuming && typeof options.scenario === "string") {
    // The state file wins; say so rather than silently serving something else than was asked for.
    process.stderr.write(
      `upgrade-guard emulator: --scenario ${options.scenario} ignored: --state-file ${options.stateFile ?? ""} ` +
        `already holds state (scenario ${emulator.control.scenarioName()}); delete the file to start from ` +
        `--scenario, or load it with POST /__emulator/scenario\n`,
    );
  }
  process.stderr.write(
    `scenario ${emulator.control.scenarioName()}: ${emulator.control.clusters().length} clusters; control API at ${emulator.url}/__emulator/\n`,
  );
}

if (require.main === module) {
  void main();
}
