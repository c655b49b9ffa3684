/**
 * Command-line parsing with node's own `util.parseArgs`: no dependency for a handful of flags. Each
 * command lists the flags it takes (one table); a flag that is unknown, misplaced, missing its value
 * or given a bad one is a `UsageError` that names it and, when one is close, the nearest valid word.
 */
import { parseArgs } from "node:util";
import { parseVersion } from "@upgrade-guard/provider";
import { type EmulatorChoice } from "./embedded";
import { OUTPUT_FORMATS, type OutputFormat } from "./formats";
import { nearest } from "./suggest";

export class UsageError extends Error {}

/**
 * Clusters read at once by default. Each cluster is 4-6 reads one after the other, so the wall time of
 * a fleet is about (reads / concurrency) x latency; the per-account rate limits (100/s by default)
 * still pace the requests, so a higher number cannot storm a cloud.
 */
export const DEFAULT_CONCURRENCY = 16;
const MAX_CONCURRENCY = 64;

type Command = "report" | "check" | "preview" | "up";
const COMMANDS: readonly Command[] = ["report", "check", "preview", "up"];

interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value's placeholder in help (`<cce|ack>`). */
  readonly value?: string;
  readonly help: string;
}

/** Every flag of every command, once. */
const FLAGS = {
  cloud: {
    type: "string",
    value: "<cce|ack>",
    help: "only this cloud (report); the cluster's cloud (check)",
  },
  cluster: {
    type: "string",
    multiple: true,
    value: "<id|name>",
    help: "a cluster id or name (repeatable in report)",
  },
  target: {
    type: "string",
    value: "<version>",
    help: "target version (default: each cluster's next version)",
  },
  policy: {
    type: "string",
    value: "<file.json>",
    help: "evaluate options: blockingSeverities, maxAgeMs, waivers, ...",
  },
  "fail-on": {
    type: "string",
    value: "<fatal|warning>",
    help: "what blocks: fatal (and unknown) findings, or warnings too (default fatal)",
  },
  output: {
    type: "string",
    short: "o",
    value: `<${OUTPUT_FORMATS.join("|")}>`,
    help: "output format (default table)",
  },
  "output-file": { type: "string", value: "<file>", help: "write the output to this file instead of stdout" },
  concurrency: {
    type: "string",
    value: "<1-64>",
    help: `clusters read at once (default ${DEFAULT_CONCURRENCY}); the rate limits still pace the requests`,
  },
  source: {
    type: "string",
    value: "<file>",
    help: "the file that declares the clusters: SARIF results point at the line naming each (default Pulumi.yaml)",
  },
  json: { type: "boolean", help: "the same as -o json" },
  "exit-error": {
    type: "boolean",
    help: "report: exit with the gate's code (1 blocked, 3 undecided) instead of 0",
  },
  emulator: { type: "boolean", help: "always use the embedded emulator" },
  "no-emulator": {
    type: "boolean",
    help: "never start the embedded emulator (fail when nothing is configured)",
  },
  scenario: {
    type: "string",
    value: "<name|file>",
    help: "scenario of the embedded emulator (default: default)",
  },
  cwd: { type: "string", value: "<dir>", help: "the Pulumi project's directory (default: the current one)" },
  stack: { type: "string", value: "<name>", help: "the stack, read from Pulumi.<name>.yaml (default: dev)" },
  "policy-pack": {
    type: "string",
    multiple: true,
    value: "<dir>",
    help: "a policy pack to enforce (repeatable)",
  },
  "policy-pack-config": {
    type: "string",
    value: "<file.json>",
    help: "the packs' configuration, as pulumi's flag",
  },
  yes: { type: "boolean", short: "y", help: "go ahead without asking (required: up never prompts)" },
  quiet: { type: "boolean", short: "q", help: "print only the result and errors (no notices, no progress)" },
  verbose: { type: "boolean", short: "v", help: "say what is read, where and how long it took" },
  "no-color": { type: "boolean", help: "no colour (also NO_COLOR=1; colour is only used on a terminal)" },
  help: { type: "boolean", short: "h", help: "help for the command" },
  version: { type: "boolean", help: "print the version" },
} as const satisfies Record<string, FlagSpec>;
type Flag = keyof typeof FLAGS;

const COMMON: readonly Flag[] = [
  "emulator",
  "no-emulator",
  "scenario",
  "quiet",
  "verbose",
  "no-color",
  "help",
  "version",
];
const READING: readonly Flag[] = [
  "cloud",
  "cluster",
  "target",
  "policy",
  "fail-on",
  "output",
  "output-file",
  "json",
  "concurrency",
  "source",
];
const DEPLOYING: readonly Flag[] = ["cwd", "stack", "policy-pack", "policy-pack-config", "json"];

interface CommandSpec {
  readonly usage: string;
  readonly summary: string;
  readonly flags: readonly Flag[];
  readonly notes: string;
}

const SPECS: Record<Command, CommandSpec> = {
  report: {
    usage: "upgrade-guard [report] [options]",
    summary: "readiness of every cluster (or of the --cluster ones) for its next version",
    flags: [...READING, "exit-error", ...COMMON],
    notes:
      "Exits 0 when the report was written (read the verdicts); with --exit-error it exits as check does,\n" +
      "taking the worst cluster: 3 when any could not be decided, else 1 when any is blocked, else 0.",
  },
  check: {
    usage: "upgrade-guard check --cloud <cce|ack> --cluster <id|name> --target <version> [options]",
    summary: "a gate for one cluster: exit 0 when the upgrade is safe, 1 blocked, 3 undecided",
    flags: [...READING, ...COMMON],
    notes:
      "Reads the latest vendor checks for the target and lets evaluate decide; see the exit codes below.",
  },
  preview: {
    usage:
      "upgrade-guard preview [--cwd DIR] [--stack NAME] [--policy-pack DIR]... [--policy-pack-config FILE]",
    summary: "pulumi preview of a Pulumi program, policies enforced, nothing changed",
    flags: [...DEPLOYING, ...COMMON],
    notes:
      "Runs the program with Pulumi's own language host and plugins (no Pulumi CLI needed); state is kept\n" +
      "in PULUMI_BACKEND_URL=file://DIR, else in ~/.upgrade-guard.",
  },
  up: {
    usage: "upgrade-guard up --yes [same options as preview]",
    summary: "pulumi up: create, update and delete; state in the local backend",
    flags: [...DEPLOYING, "yes", ...COMMON],
    notes: "up never prompts: it needs --yes.",
  },
};

export const EXIT_CODES_TEXT = `Exit codes (the same for check, report --exit-error, preview and up):
  0  safe: the upgrade may proceed (report: the report was written; preview/up: no mandatory violation)
  1  blocked by a finding, a broken check or an upgrade already in flight (preview/up: a mandatory violation)
  2  bad usage or input: the message names the flag or file to fix
  3  could not decide: API, network or credential error, or no, pending or stale check data
     (preview/up: the program or an engine step failed), or an unexpected failure of upgrade-guard`;

const CONNECTING = `With no endpoint and no credentials in the environment, upgrade-guard starts an embedded emulator of both
clouds and reports on its clusters: nothing leaves this machine. To use the real clouds set the vendor
variables (HUAWEICLOUD_SDK_AK/SK/PROJECT_ID and HW_REGION_NAME; ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET and
ALIBABA_CLOUD_REGION_ID) or UPGRADE_GUARD_ENDPOINT for an emulator you run yourself.`;

function flagLines(flags: readonly Flag[]): string {
  const rows = flags.map((name) => {
    const spec: FlagSpec = FLAGS[name];
    const short = spec.short === undefined ? "    " : `-${spec.short}, `;
    return [`${short}--${name}${spec.value === undefined ? "" : ` ${spec.value}`}`, spec.help] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([left]) => left.length)));
  return rows
    .map(([left, help]) =>
      left.length > width ? `  ${left}\n  ${" ".repeat(width)}  ${help}` : `  ${left.padEnd(width)}  ${help}`,
    )
    .join("\n");
}

/** The general usage text: every command in one line each, then how to get a command's help. */
export const USAGE = `Usage:
${COMMANDS.map((c) => `  ${SPECS[c].usage}\n      ${SPECS[c].summary}`).join("\n")}
  upgrade-guard help <command>     the flags of one command (or: upgrade-guard <command> --help)
  upgrade-guard --version

${CONNECTING}

${EXIT_CODES_TEXT}`;

/** The help of one command: its usage, its flags, its notes and the exit codes. */
export function commandHelp(command: Command): string {
  const spec = SPECS[command];
  return `Usage: ${spec.usage}\n\n${spec.summary}\n\nOptions:\n${flagLines(spec.flags)}\n\n${spec.notes}\n\n${EXIT_CODES_TEXT}`;
}

/** What `preview` and `up` take, named as `pulumi`'s flags are. */
export interface DeploymentFlags {
  readonly cwd: string;
  readonly stack?: string;
  readonly policyPacks: readonly string[];
  readonly policyPackConfig?: string;
}

export type FailOn = "fatal" | "warning";

/** How much the CLI says on stderr besides errors. */
export type Chatter = "quiet" | "normal" | "verbose";

export type CliOptions =
  | { readonly command: "help"; readonly text: string }
  | { readonly command: "version" }
  | ({ readonly command: Command } & CommandOptions);

export interface CommandOptions {
  readonly deployment?: DeploymentFlags;
  readonly cloud?: "cce" | "ack";
  readonly clusters: readonly string[];
  readonly target?: string;
  readonly policyFile?: string;
  readonly failOn?: FailOn;
  readonly output: OutputFormat;
  readonly outputFile?: string;
  /** Clusters read at once. */
  readonly concurrency: number;
  /** The file SARIF results point at (`--source`, default `Pulumi.yaml`). */
  readonly source?: string;
  readonly exitError: boolean;
  readonly emulator: EmulatorChoice;
  readonly scenario?: string;
  readonly chatter: Chatter;
  readonly color: boolean;
}

type Values = Partial<Record<Flag, string | boolean | (string | boolean)[]>>;

function didYouMean(word: string, candidates: readonly string[]): string {
  const close = nearest(word, candidates);
  return close === undefined ? "" : ` (did you mean ${close}?)`;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `${flag} must be one of ${allowed.join(", ")}, not "${value}"${didYouMean(value, allowed)}`,
  );
}

/** Reads the tokens against the command's flags; every problem names the flag. */
function readFlags(argv: readonly string[]): { values: Values; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, spec]: [string, FlagSpec]) => [
      name,
      {
        type: spec.type,
        ...(spec.short === undefined ? {} : { short: spec.short }),
        ...(spec.multiple === true ? { multiple: true } : {}),
      },
    ]),
  );
  // strict: false, so that an unknown flag reaches us as a token and gets a did-you-mean.
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    tokens: true,
    options,
  });
  const known = Object.keys(FLAGS);
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = (FLAGS as Record<string, FlagSpec>)[token.name];
    if (spec === undefined) {
      const suggestion = nearest(token.name, known);
      throw new UsageError(
        `unknown flag ${token.rawName}${suggestion === undefined ? "" : ` (did you mean --${suggestion}?)`}`,
      );
    }
    if (spec.type === "string" && token.value === undefined) {
      throw new UsageError(`${token.rawName} needs a value: ${token.rawName} ${spec.value ?? "<value>"}`);
    }
    if (spec.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value (got "${token.value}")`);
    }
  }
  return { values: values as Values, positionals };
}

const str = (values: Values, flag: Flag): string | undefined => {
  const value = values[flag];
  return typeof value === "string" ? value : undefined;
};
const list = (values: Values, flag: Flag): string[] => {
  const value = values[flag];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
};
const on = (values: Values, flag: Flag): boolean => values[flag] === true;

function concurrencyOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY)
    throw new UsageError(
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not "${value}" (default ${DEFAULT_CONCURRENCY})`,
    );
  return n;
}

function commandOf(word: string | undefined): Command | "help" {
  if (word === undefined) return "report";
  if (word === "help" || (COMMANDS as readonly string[]).includes(word)) return word as Command | "help";
  throw new UsageError(
    `unknown command "${word}"${didYouMean(word, [...COMMANDS, "help"])}: use ${COMMANDS.join(", ")} or help`,
  );
}

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  const { values, positionals } = readFlags(argv);
  if (on(values, "version")) return { command: "version" };
  const command = commandOf(positionals[0]);
  if (command === "help") {
    const topic = positionals[1];
    if (topic === undefined) return { command: "help", text: USAGE };
    const about = commandOf(topic);
    return { command: "help", text: about === "help" ? USAGE : commandHelp(about) };
  }
  if (on(values, "help"))
    return { command: "help", text: positionals[0] === undefined ? USAGE : commandHelp(command) };
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(" ")}`);

  const spec = SPECS[command];
  const misplaced = (Object.keys(values) as Flag[]).filter((flag) => !spec.flags.includes(flag));
  if (misplaced.length > 0) {
    const where = (flag: Flag) =>
      COMMANDS.filter((c) => SPECS[c].flags.includes(flag)).join(" and ") || "no command";
    throw new UsageError(
      misplaced.map((flag) => `--${flag} is for ${where(flag)}, not ${command}`).join("; "),
    );
  }
  if (command === "up" && !on(values, "yes")) {
    throw new UsageError(
      "up changes resources and never prompts: pass --yes to go ahead (or run preview first)",
    );
  }
  const cloud = str(values, "cloud");
  if (cloud !== undefined) oneOf("--cloud", cloud, ["cce", "ack"] as const);
  if (on(values, "emulator") && on(values, "no-emulator"))
    throw new UsageError("--emulator and --no-emulator exclude each other");
  if (on(values, "quiet") && on(values, "verbose"))
    throw new UsageError("--quiet and --verbose exclude each other");
  const clusters = list(values, "cluster");
  const target = str(values, "target");
  if (target !== undefined && parseVersion(target) === undefined) {
    throw new UsageError(
      `--target "${target}" is not a Kubernetes version: write it as the cloud does, e.g. v1.30 or v1.30.4-r0 (CCE), 1.32.1-aliyun.1 (ACK)`,
    );
  }
  if (command === "check") {
    const missing = [
      cloud === undefined ? "--cloud" : undefined,
      clusters.length === 0 ? "--cluster" : undefined,
      target === undefined ? "--target" : undefined,
    ].filter((flag): flag is string => flag !== undefined);
    if (missing.length > 0) throw new UsageError(`check needs ${missing.join(", ")}`);
    if (clusters.length > 1) throw new UsageError("check takes exactly one --cluster");
  }
  const outputFlag = str(values, "output");
  if (outputFlag !== undefined && on(values, "json") && outputFlag !== "json")
    throw new UsageError(`--json and -o ${outputFlag} disagree: give one of them`);
  const output = on(values, "json") ? "json" : oneOf("--output", outputFlag ?? "table", OUTPUT_FORMATS);
  const failOn = str(values, "fail-on");
  const concurrency = concurrencyOf(str(values, "concurrency"));
  const source = str(values, "source");
  const outputFile = str(values, "output-file");
  const policyFile = str(values, "policy");
  const scenario = str(values, "scenario");
  const deploying = command === "preview" || command === "up";
  const cwd = str(values, "cwd");
  const stack = str(values, "stack");
  const policyPackConfig = str(values, "policy-pack-config");
  return {
    command,
    ...(deploying
      ? {
          deployment: {
            cwd: cwd ?? process.cwd(),
            ...(stack === undefined ? {} : { stack }),
            policyPacks: list(values, "policy-pack"),
            ...(policyPackConfig === undefined ? {} : { policyPackConfig }),
          },
        }
      : {}),
    ...(cloud === undefined ? {} : { cloud: cloud as "cce" | "ack" }),
    clusters,
    ...(target === undefined ? {} : { target }),
    ...(policyFile === undefined ? {} : { policyFile }),
    ...(failOn === undefined ? {} : { failOn: oneOf("--fail-on", failOn, ["fatal", "warning"] as const) }),
    output,
    ...(outputFile === undefined ? {} : { outputFile }),
    concurrency,
    ...(source === undefined ? {} : { source }),
    exitError: on(values, "exit-error"),
    emulator: on(values, "emulator") ? "always" : on(values, "no-emulator") ? "never" : "auto",
    ...(scenario === undefined ? {} : { scenario }),
    chatter: on(values, "quiet") ? "quiet" : on(values, "verbose") ? "verbose" : "normal",
    // NO_COLOR (https://no-color.org): any non-empty value turns colour off.
    color: !on(values, "no-color") && !env.NO_COLOR,
  };
}
