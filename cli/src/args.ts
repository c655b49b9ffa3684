/** Command-line parsing with node's own `util.parseArgs`: no dependency for a handful of flags. */
import { parseArgs } from "node:util";
import { z } from "zod";
import { type EmulatorChoice } from "./embedded";

export const USAGE = `Usage:
  upgrade-guard [report] [options]    readiness of every cluster (or of --cluster ones) for its next version
  upgrade-guard check --cloud <cce|ack> --cluster <id|name> --target <version> [options]
                                      gate: exit 0 when the upgrade is safe, 1 when it is blocked
  upgrade-guard preview [--cwd DIR] [--stack NAME] [--policy-pack DIR]... [--policy-pack-config FILE] [--json]
                                      pulumi preview of a Pulumi program, policies enforced, nothing changed
  upgrade-guard up --yes [same options as preview]
                                      pulumi up: create, update and delete; state in the local backend

Options:
  --cloud <cce|ack>       only this cloud (report) / the cluster's cloud (check)
  --cluster <id|name>     a cluster id or name; repeatable in report
  --target <version>      target version (default: the cluster's next version)
  --policy <file.json>    evaluate options: {"blockingSeverities":["fatal","unknown"],"maxAgeMs":3600000,
                          "missingCheckBlocks":true,"pendingBlocks":true,"waivers":[...]}
  --json                  print JSON instead of a table
  --emulator              always use the embedded emulator
  --no-emulator           never start the embedded emulator (fail when nothing is configured)
  --scenario <name|file>  scenario of the embedded emulator (default: default)
  --cwd <dir>             preview/up: the Pulumi project's directory (default: the current directory)
  --stack <name>          preview/up: the stack, read from Pulumi.<name>.yaml (default: dev)
  --policy-pack <dir>     preview/up: a policy pack to enforce; repeatable
  --policy-pack-config <file.json>
                          preview/up: the packs' configuration, as for pulumi preview --policy-pack-config
  --yes                   up: go ahead without asking (required: up never prompts)
  -h, --help              this text

With no endpoint and no credentials in the environment, upgrade-guard starts an embedded emulator of both
clouds and reports on its clusters: nothing leaves this machine. To use the real clouds set the vendor
variables (HUAWEICLOUD_SDK_AK/SK/PROJECT_ID and HW_REGION_NAME; ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET and
ALIBABA_CLOUD_REGION_ID) or UPGRADE_GUARD_ENDPOINT for an emulator you run yourself.

preview and up run the program with Pulumi's own language host and plugins (no Pulumi CLI needed); the
state is kept in PULUMI_BACKEND_URL=file://DIR, else in ~/.upgrade-guard. With nothing configured the
program, its provider and the packs are pointed at the embedded emulator.

Exit codes: 0 ready (check), report printed, or no mandatory policy violation (preview/up); 1 blocked
(check, or a mandatory violation in preview/up); 2 usage or configuration error; 3 an API or network error
prevented a verdict (check), or the program or an engine step failed (preview/up).`;

export class UsageError extends Error {}

const commandSchema = z.enum(["report", "check", "preview", "up"]);

/** What `preview` and `up` take, named as `pulumi`'s flags are. */
export interface DeploymentFlags {
  readonly cwd: string;
  readonly stack?: string;
  readonly policyPacks: readonly string[];
  readonly policyPackConfig?: string;
}

export interface CliOptions {
  readonly command: "report" | "check" | "preview" | "up" | "help";
  readonly deployment?: DeploymentFlags;
  readonly cloud?: "cce" | "ack";
  readonly clusters: readonly string[];
  readonly target?: string;
  readonly policyFile?: string;
  readonly json: boolean;
  readonly emulator: EmulatorChoice;
  readonly scenario?: string;
}

export function parseCommandLine(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        cloud: { type: "string" },
        cluster: { type: "string", multiple: true },
        target: { type: "string" },
        policy: { type: "string" },
        json: { type: "boolean", default: false },
        emulator: { type: "boolean" },
        "no-emulator": { type: "boolean" },
        scenario: { type: "string" },
        cwd: { type: "string" },
        stack: { type: "string" },
        "policy-pack": { type: "string", multiple: true },
        "policy-pack-config": { type: "string" },
        yes: { type: "boolean", short: "y", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help", clusters: [], json: false, emulator: "auto" };
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(" ")}`);
  const command = commandSchema.safeParse(positionals[0] ?? "report");
  if (!command.success)
    throw new UsageError(`unknown command "${positionals[0]}": use report, check, preview or up`);
  const deploying = command.data === "preview" || command.data === "up";
  const deploymentOnly = ["cwd", "stack", "policy-pack", "policy-pack-config", "yes"] as const;
  const misplaced = deploymentOnly.filter((flag) => values[flag] !== undefined && values[flag] !== false);
  if (!deploying && misplaced.length > 0) {
    throw new UsageError(`${misplaced.map((flag) => `--${flag}`).join(", ")}: only for preview and up`);
  }
  if (command.data === "up" && !values.yes) {
    throw new UsageError(
      "up changes resources and never prompts: pass --yes to go ahead (or run preview first)",
    );
  }
  const cloud = values.cloud;
  if (cloud !== undefined && cloud !== "cce" && cloud !== "ack") {
    throw new UsageError(`--cloud must be cce or ack, not "${cloud}"`);
  }
  if (values.emulator && values["no-emulator"])
    throw new UsageError("--emulator and --no-emulator exclude each other");
  const clusters = values.cluster ?? [];
  if (command.data === "check") {
    const missing = [
      cloud === undefined ? "--cloud" : undefined,
      clusters.length === 0 ? "--cluster" : undefined,
      values.target === undefined ? "--target" : undefined,
    ].filter((flag): flag is string => flag !== undefined);
    if (missing.length > 0) throw new UsageError(`check needs ${missing.join(", ")}`);
    if (clusters.length > 1) throw new UsageError("check takes exactly one --cluster");
  }
  if (
    deploying &&
    (cloud !== undefined || clusters.length > 0 || values.target !== undefined || values.policy !== undefined)
  ) {
    throw new UsageError(
      "--cloud, --cluster, --target and --policy are for report and check; preview and up take the program's configuration",
    );
  }
  return {
    command: command.data,
    ...(deploying
      ? {
          deployment: {
            cwd: values.cwd ?? process.cwd(),
            ...(values.stack === undefined ? {} : { stack: values.stack }),
            policyPacks: values["policy-pack"] ?? [],
            ...(values["policy-pack-config"] === undefined
              ? {}
              : { policyPackConfig: values["policy-pack-config"] }),
          },
        }
      : {}),
    ...(cloud === undefined ? {} : { cloud }),
    clusters,
    ...(values.target === undefined ? {} : { target: values.target }),
    ...(values.policy === undefined ? {} : { policyFile: values.policy }),
    json: values.json,
    emulator: values.emulator ? "always" : values["no-emulator"] ? "never" : "auto",
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
  };
}
