/**
 * The CLI as a function, so tests run it in process with their own environment and streams. The
 * exit codes are one table (`EXIT`, and `EXIT_CODES_TEXT` in the help): 0 safe, 1 blocked, 2 bad
 * usage or input, 3 could not decide; `check` and `report --exit-error` share them.
 */
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import {
  type ClientPool,
  ConfigError,
  createClientPool,
  evaluateOptionsSchema,
  redact,
  UpgradeGuardError,
  type SnapshotEvaluateOptions,
} from "@upgrade-guard/provider";
import { type CommandOptions, parseCommandLine, UsageError } from "./args";
import { runDeploymentCommand } from "./deploy";
import { nothingConfigured, shouldEmbed, startEmbedded, type Embedded } from "./embedded";
import { render } from "./formats";
import { showControls } from "./formats/common";
import { SARIF_ARTIFACT, type SarifSource } from "./formats/sarif";
import { mapLimited } from "./map-limited";
import { type OutputStream, startProgress } from "./progress";
import {
  blockingSeveritiesFor,
  buildReport,
  discoverClusters,
  errorOf,
  LookupError,
  readinessRow,
  resolveCluster,
  type ClusterRef,
} from "./report";
import { type ClusterReport, type Report } from "./report-schema";

export { commandHelp, DEFAULT_CONCURRENCY, EXIT_CODES_TEXT, parseCommandLine, USAGE } from "./args";
export { OUTPUT_FORMATS, render, type OutputFormat } from "./formats";
export {
  clusterReportSchema,
  REPORT_SCHEMA_VERSION,
  reportJsonSchema,
  reportSchema,
  type ClusterReport,
  type Report,
} from "./report-schema";

export const EXIT = { ready: 0, blocked: 1, usage: 2, noVerdict: 3 } as const;

/** The CLI's version, from its package.json (one place). */
export const VERSION: string = (
  JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string }
).version;

export interface RunContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The clock of the report's `generatedAt` (tests pin it). */
  readonly now?: () => Date;
}

/** What a `--policy` file may hold: `evaluate`'s options but `now` (each cluster is judged when it is read). */
const policyFileSchema = evaluateOptionsSchema.omit({ now: true });

async function readPolicy(file: string, failOn: CommandOptions["failOn"]): Promise<SnapshotEvaluateOptions> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--policy ${file}: ${(error as Error).message}`);
  }
  if (typeof json === "object" && json !== null && "now" in json)
    throw new UsageError(
      `--policy ${file} is not valid:\n  - now: not a policy setting (each cluster is judged at the time it is read): remove it`,
    );
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new UsageError(`--policy ${file} is not valid:\n${issues.join("\n")}`);
  }
  const policy = json as SnapshotEvaluateOptions;
  if (failOn !== undefined && policy.blockingSeverities !== undefined)
    throw new UsageError(
      `--fail-on ${failOn} and blockingSeverities in ${file} both say what blocks: give one of them`,
    );
  return policy;
}

/** The clusters a `report` or `check` is about: the named ones, else every one discovered. */
async function clustersOf(
  options: CommandOptions,
  clients: ClientPool,
  env: NodeJS.ProcessEnv,
  note: (text: string) => void,
): Promise<ClusterRef[]> {
  if (options.clusters.length > 0) {
    const clusters: ClusterRef[] = [];
    for (const idOrName of options.clusters)
      clusters.push(await resolveCluster(options.cloud, idOrName, clients, env));
    return clusters;
  }
  const found = await discoverClusters(options.cloud, clients, env);
  for (const skipped of found.skipped) note(`skipped ${skipped}`);
  return found.clusters;
}

/**
 * Reads every cluster's readiness (a few at a time, with progress) and builds the report. One client
 * pool serves the whole run: one client, hence one connection pool, per cloud and account.
 */
async function readReport(
  command: "report" | "check",
  options: CommandOptions,
  env: NodeJS.ProcessEnv,
  context: RunContext,
  say: (text: string) => void,
): Promise<Report> {
  const clients = createClientPool();
  try {
    const clusters = await clustersOf(options, clients, env, say);
    const policyFromFile =
      options.policyFile === undefined ? {} : await readPolicy(options.policyFile, options.failOn);
    const blockingSeverities = blockingSeveritiesFor(options.failOn);
    const policy =
      blockingSeverities === undefined ? policyFromFile : { ...policyFromFile, blockingSeverities };
    const progress = startProgress(clusters.length, context.stderr, options.chatter);
    const rows: ClusterReport[] = await mapLimited(clusters, options.concurrency, async (cluster) => {
      const started = Date.now();
      const row = await readinessRow(cluster, {
        target: options.target,
        policy,
        env,
        warn: (m) => say(`warning: ${m}`),
        clients,
      });
      progress.tick(
        `${cluster.cloud} ${row.cluster}: ${row.readiness?.verdict ?? `error ${row.error?.code ?? ""}`} in ${Date.now() - started} ms`,
      );
      return row;
    });
    progress.done();
    return buildReport(command, rows, {
      failOn: options.failOn ?? "fatal",
      version: VERSION,
      now: (context.now ?? (() => new Date()))(),
    });
  } finally {
    await clients.close();
  }
}

/** Text for stderr that may quote vendor or user input: its controls shown, not obeyed (lines kept). */
function shownText(text: string): string {
  return showControls(text, { keepNewlines: true });
}

async function runCommand(
  options: CommandOptions & { readonly command: "report" | "check" | "preview" | "up" },
  context: RunContext,
  embed: (embedded: Embedded) => void,
): Promise<number> {
  const { stdout, stderr } = context;
  const say = (text: string) => {
    // Warnings and notes quote vendor and user text: its controls are shown, not obeyed.
    if (options.chatter !== "quiet") stderr.write(`upgrade-guard: ${shownText(text)}\n`);
  };
  let env = context.env;
  if (shouldEmbed(options.emulator, env)) {
    let embedded: Embedded;
    try {
      embedded = await startEmbedded(env, options.scenario);
    } catch (error) {
      if ((error as Error).name === "ScenarioError")
        throw new UsageError(`--scenario: ${(error as Error).message}`);
      throw error;
    }
    embed(embedded);
    env = embedded.env;
    const why = nothingConfigured(context.env)
      ? "no cloud endpoint or credentials are configured"
      : "--emulator";
    say(`using the embedded emulator at ${embedded.emulator.url} (${why}); nothing leaves this machine.`);
  } else if (options.scenario !== undefined) {
    throw new UsageError(
      "--scenario picks the embedded emulator's scenario, and the embedded emulator is not used here (pass --emulator)",
    );
  }

  if (options.command === "preview" || options.command === "up") {
    if (options.deployment === undefined) throw new UsageError(`${options.command} needs its project`);
    try {
      const outcome = await runDeploymentCommand(
        options.command,
        options.deployment,
        env,
        options.output === "json",
      );
      await emit(outcome.text, options, stdout, say);
      return outcome.exitCode;
    } catch (error) {
      // A project, stack or pack file to fix is bad usage; anything else failed the engine.
      if ((error as Error).name === "ProjectError") throw new UsageError((error as Error).message);
      stderr.write(
        `upgrade-guard: ${options.command} failed: ${shownText(redact((error as Error).message))}\n`,
      );
      return EXIT.noVerdict;
    }
  }

  const report = await readReport(options.command, options, env, context, say);
  const color = options.color && options.outputFile === undefined && stdout.isTTY === true;
  const sarifSource = options.output === "sarif" ? await readSource(options.source) : undefined;
  await emit(
    render(report, options.output, { color, ...(sarifSource === undefined ? {} : { sarifSource }) }),
    options,
    stdout,
    say,
  );
  if (options.command === "check" || options.exitError) return report.summary.gateExitCode;
  return EXIT.ready;
}

/**
 * The file SARIF results point at, with its text so each result can name the cluster's line: the
 * `--source` file (which must be readable), else `Pulumi.yaml` in the current directory when there is one.
 */
async function readSource(source: string | undefined): Promise<SarifSource> {
  const file = source ?? SARIF_ARTIFACT;
  const uri = file.split(path.sep).join("/");
  try {
    return { uri, text: await readFile(file, "utf8") };
  } catch (error) {
    if (source === undefined) return { uri };
    throw new UsageError(`--source ${source}: ${(error as Error).message}`);
  }
}

/** Writes the output to `--output-file` (saying so on stderr) or to stdout. */
async function emit(
  text: string,
  options: CommandOptions,
  stdout: OutputStream,
  say: (text: string) => void,
): Promise<void> {
  if (options.outputFile === undefined) {
    stdout.write(text);
    return;
  }
  try {
    await writeFile(options.outputFile, text, "utf8");
  } catch (error) {
    throw new UsageError(`--output-file ${options.outputFile}: ${(error as Error).message}`);
  }
  say(`wrote ${options.output} to ${options.outputFile}`);
}

export async function run(argv: readonly string[], context: RunContext): Promise<number> {
  const { stdout, stderr } = context;
  let embedded: Embedded | undefined;
  try {
    const options = parseCommandLine(argv, context.env);
    if (options.command === "help") {
      stdout.write(`${options.text}\n`);
      return EXIT.ready;
    }
    if (options.command === "version") {
      stdout.write(`upgrade-guard ${VERSION}\n`);
      return EXIT.ready;
    }
    return await runCommand(options, context, (started) => (embedded = started));
  } catch (error) {
    if (error instanceof UsageError || error instanceof LookupError) {
      stderr.write(
        `upgrade-guard: ${shownText(redact(error.message))}\n${error instanceof UsageError ? "Run with --help for usage.\n" : ""}`,
      );
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      stderr.write(`upgrade-guard: ${shownText(error.message)}\n`);
      return EXIT.usage;
    }
    if (UpgradeGuardError.isInstance(error)) {
      // An API or network failure before any verdict: say what failed and what to check (redacted).
      const { code, message, hint } = errorOf(error);
      stderr.write(
        `upgrade-guard: ${code}: ${shownText(message)}\n${hint === undefined ? "" : `upgrade-guard: ${shownText(hint)}\n`}`,
      );
      return EXIT.noVerdict;
    }
    // A bug of ours, not a verdict: say so (redacted, its controls shown) and decide nothing.
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(
      `upgrade-guard: unexpected failure (a bug in upgrade-guard; please report it): ${shownText(redact(message))}\n`,
    );
    return EXIT.noVerdict;
  } finally {
    await (embedded as Embedded | undefined)?.emulator.close();
  }
}
