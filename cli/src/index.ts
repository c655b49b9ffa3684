/**
 * The CLI as a function, so tests run it in process with their own environment and streams.
 * Exit codes: 0 ready / report printed / no mandatory violation, 1 blocked, 2 usage or configuration
 * error, 3 no verdict (report, check) or a failed program or engine step (preview, up).
 */
import { readFile } from "node:fs/promises";
import {
  ConfigError,
  evaluateOptionsSchema,
  redact,
  UpgradeGuardError,
  type EvaluateOptions,
} from "@upgrade-guard/provider";
import { parseCommandLine, USAGE, UsageError } from "./args";
import { runDeploymentCommand } from "./deploy";
import { nothingConfigured, shouldEmbed, startEmbedded, type Embedded } from "./embedded";
import { renderReport, rowAllowed, type ReportRow } from "./render";
import { discoverClusters, LookupError, readinessRow, resolveCluster, type ClusterRef } from "./report";

export { parseCommandLine, USAGE } from "./args";
export { renderReport, rowAllowed, type ReportRow } from "./render";

export const EXIT = { ready: 0, blocked: 1, usage: 2, noVerdict: 3 } as const;

/** Clusters read at once: enough to be quick, few enough to stay inside the clouds' rate limits. */
const CONCURRENCY = 8;

export interface RunContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

async function readPolicy(file: string): Promise<EvaluateOptions> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--policy ${file}: ${(error as Error).message}`);
  }
  const parsed = evaluateOptionsSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new UsageError(`--policy ${file} is not valid:\n${issues.join("\n")}`);
  }
  return json as EvaluateOptions;
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const queue = items.map((item, index) => [item, index] as const);
  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      results[entry[1]] = await fn(entry[0]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function run(argv: readonly string[], context: RunContext): Promise<number> {
  const { stdout, stderr } = context;
  let embedded: Embedded | undefined;
  try {
    const options = parseCommandLine(argv);
    if (options.command === "help") {
      stdout.write(`${USAGE}\n`);
      return EXIT.ready;
    }
    const policy = options.policyFile === undefined ? {} : await readPolicy(options.policyFile);
    let env = context.env;
    if (shouldEmbed(options.emulator, env)) {
      embedded = await startEmbedded(env, options.scenario);
      env = embedded.env;
      const why = nothingConfigured(context.env)
        ? "no cloud endpoint or credentials are configured"
        : "--emulator";
      stderr.write(
        `upgrade-guard: using the embedded emulator at ${embedded.emulator.url} (${why}); nothing leaves this machine.\n`,
      );
    }

    if ((options.command === "preview" || options.command === "up") && options.deployment !== undefined) {
      try {
        const outcome = await runDeploymentCommand(options.command, options.deployment, env, options.json);
        stdout.write(outcome.text);
        return outcome.exitCode;
      } catch (error) {
        // A project, stack or pack file to fix is bad usage; anything else failed the engine.
        if ((error as Error).name === "ProjectError") throw new UsageError((error as Error).message);
        stderr.write(`upgrade-guard: ${options.command} failed: ${redact((error as Error).message)}\n`);
        return EXIT.noVerdict;
      }
    }

    const [onlyCluster] = options.clusters;
    if (options.command === "check" && onlyCluster !== undefined) {
      const cluster = await resolveCluster(options.cloud, onlyCluster, env);
      const row = await readinessRow(cluster, options.target, policy, env);
      stdout.write(options.json ? `${JSON.stringify(row, null, 2)}\n` : `${renderReport([row])}\n`);
      if (row.readiness === undefined) return EXIT.noVerdict;
      return rowAllowed(row) ? EXIT.ready : EXIT.blocked;
    }

    let clusters: ClusterRef[];
    if (options.clusters.length > 0) {
      clusters = [];
      for (const idOrName of options.clusters)
        clusters.push(await resolveCluster(options.cloud, idOrName, env));
    } else {
      const found = await discoverClusters(options.cloud, env);
      for (const note of found.skipped) stderr.write(`upgrade-guard: skipped ${note}\n`);
      clusters = found.clusters;
    }
    const rows: ReportRow[] = await mapLimited(clusters, CONCURRENCY, (c) =>
      readinessRow(c, options.target, policy, env),
    );
    stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : `${renderReport(rows)}\n`);
    return EXIT.ready;
  } catch (error) {
    if (error instanceof UsageError || error instanceof LookupError) {
      stderr.write(
        `upgrade-guard: ${redact(error.message)}\n${error instanceof UsageError ? "Run with --help for usage.\n" : ""}`,
      );
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      stderr.write(`upgrade-guard: ${error.message}\n`);
      return EXIT.usage;
    }
    if (UpgradeGuardError.isInstance(error)) {
      // An API or network failure before any verdict: say what failed; the message is redacted.
      stderr.write(`upgrade-guard: ${error.code}: ${error.message}\n`);
      return EXIT.noVerdict;
    }
    throw error;
  } finally {
    await embedded?.emulator.close();
  }
}
