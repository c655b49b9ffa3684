/** Command-line parsing with node's own `util.parseArgs`: no dependency for a handful of flags. */
import { parseArgs } from "node:util";
import { z } from "zod";
import { type EmulatorChoice } from "./embedded";

export const USAGE = `Usage:
  upgrade-guard [report] [options]    readiness of every cluster (or of --cluster ones) for its next version
  upgrade-guard check --cloud <cce|ack> --cluster <id|name> --target <version> [options]
                                      gate: exit 0 when the upgrade is safe, 1 when it is blocked

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
  -h, --help              this text

With no endpoint and no credentials in the environment, upgrade-guard starts an embedded emulator of both
clouds and reports on its clusters: nothing leaves this machine. To use the real clouds set the vendor
variables (HUAWEICLOUD_SDK_AK/SK/PROJECT_ID and HW_REGION_NAME; ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET and
ALIBABA_CLOUD_REGION_ID) or UPGRADE_GUARD_ENDPOINT for an emulator you run yourself.

Exit codes: 0 ready (check) or report printed; 1 blocked (check); 2 usage or configuration error;
3 an API or network error prevented a verdict (check).`;

export class UsageError extends Error {}

const commandSchema = z.enum(["report", "check"]);

export interface CliOptions {
  readonly command: "report" | "check" | "help";
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
  if (!command.success) throw new UsageError(`unknown command "${positionals[0]}": use report or check`);
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
  return {
    command: command.data,
    ...(cloud === undefined ? {} : { cloud }),
    clusters,
    ...(values.target === undefined ? {} : { target: values.target }),
    ...(values.policy === undefined ? {} : { policyFile: values.policy }),
    json: values.json,
    emulator: values.emulator ? "always" : values["no-emulator"] ? "never" : "auto",
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
  };
}
