/**
 * The four paths that decide whether a cluster may move to a version must agree, because they all
 * read the cloud through the ONE facts gatherer (provider/src/readiness/facts.ts) and decide with
 * the ONE verdict function (`evaluate`):
 *
 *   1. data      `getUpgradeReadiness` (the data function a program calls at preview);
 *   2. gate      `gateCceUpgrade` / `gateAckUpgrade` (the upgrade resources' last check before they
 *                start an upgrade; blocked = `UpgradeBlockedError` with its evaluation);
 *   3. policy    `cluster-upgrade-requires-clean-precheck` through the policy SDK's own Analyze
 *                handler, with a `CloudReadinessLookup` on the emulator, for two resources:
 *                3a a third-party type the policy looks up itself (huaweicloud cce.ClusterUpgrade by
 *                   cluster id, alicloud cs.ManagedKubernetes by cluster name);
 *                3b upgrade-guard's own ClusterUpgrade carrying honest claims (the current version and
 *                   path 1's readiness summary), which the policy checks against the cloud;
 *   4. cli       `upgrade-guard check --cloud c --cluster id --target t --json` (exit 0 / 1 / 3).
 *
 * The table is built at test time from every built-in emulator scenario: each cluster, for each
 * version it may move to (the scenario's `targetVersions`, from the emulator's own state) and for
 * its current version (no change: `ready`, allowed; the policy judges nothing). For every row the
 * paths must give the same `allowed`, the same verdict and the same set of blocking finding names.
 * The policy states a verdict only when it blocks (`verdict <v>` in its message, the blocking
 * findings as `Blocking findings:` bullets); when it allows, it reports nothing of its own.
 *
 * Every read is real HTTP against the emulator, with its clock frozen: all four paths see one
 * instant. Reads can still move a task that finishes after a number of READS (`checkProgress` /
 * `upgradeProgress` with `polls`): the first path would then see it running and a later one
 * finished. Clusters with such a task unfinished are skipped with that reason (none of the built-in
 * scenarios has one today: their unfinished tasks progress by virtual time only, which is frozen),
 * and every compared row also checks that no task of the cluster finished while the four paths read.
 *
 * Scenarios with many generated clusters (`many-clusters`: 1,000) are sampled: the first and last
 * few clusters per cloud. The skipped clusters are checked (at test time) to be copies of a sampled
 * one, facts and history alike, so the sample loses nothing; reading all of them through the CLI
 * (which lists every cluster of the account per `check`) would take minutes.
 *
 * Accounts: each cluster is read with the credentials of the account that owns it (the
 * `multi-account` scenario has a second tenant per cloud, and a second Huawei region).
 *
 * A failure prints every disagreeing row with what each path decided; `FOUR_PATHS_TABLE=1` prints
 * the whole table of every scenario.
 */
import * as http from "node:http";
import { getUpgradeReadiness } from "@upgrade-guard/provider";
import { InProcessAnalyzer } from "@upgrade-guard/harness";
import {
  builtinScenarioNames,
  clientEnvironment,
  type RunningEmulator,
  startEmulator,
} from "@upgrade-guard/emulator";
import { run } from "../../cli/src/index";
import { createAckClient } from "../../provider/src/clients/ack/client";
import { createCceClient } from "../../provider/src/clients/cce/client";
import { type Evaluation } from "../../provider/src/readiness/evaluate";
import {
  gateAckUpgrade,
  gateCceUpgrade,
  UpgradeBlockedError,
} from "../../provider/src/pulumi/resources/upgrade-gate";
import { CloudReadinessLookup } from "../../policy-pack/src/policies/cloud-lookup";
import { upgradeGuardPolicies } from "../../policy-pack/src/policies";
import { TYPE_TOKENS } from "../../sdk/src/tokens";
import { INSTANT_CLOCK } from "../policy/fixtures";

type CloudName = "cce" | "ack";
const POLICY = "cluster-upgrade-requires-clean-precheck";
/** More clusters of one cloud than this in a scenario: compare the first and last SAMPLE / 2 only. */
const SAMPLE = 4;
/**
 * Clients this file builds itself (the gate's, the policy lookups') retry and pace on a clock that
 * never sleeps; the data function and the CLI build theirs, which share the process-wide limit of
 * 20 requests per second per origin (the reason for sampling).
 */
const CLIENT_OPTIONS = { transport: { clock: INSTANT_CLOCK } };

// ---------------------------------------------------------------------------------------------
// The emulator's state (GET /__emulator/state over HTTP: the typed control has no accessor for it)

interface TaskClockState {
  readonly polls: number;
  readonly progression: { readonly polls?: number; readonly durationMs?: number };
  readonly finishedAt?: number;
}
interface ClusterState {
  readonly cloud: CloudName;
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly projectId?: string;
  readonly version: string;
  readonly targetVersions: readonly string[];
  readonly phase: string;
}
type TaskState = {
  readonly id: string;
  readonly clusterId: string;
  readonly clock?: TaskClockState;
} & Record<string, unknown>;
interface EmulatorState {
  readonly clusters: readonly ClusterState[];
  readonly [table: string]: readonly unknown[];
}

function emulatorState(emulator: RunningEmulator): Promise<EmulatorState> {
  return new Promise((resolve, reject) => {
    http
      .get(`${emulator.url}/__emulator/state`, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          try {
            resolve((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { state: EmulatorState }).state);
          } catch (error) {
            reject(error as Error);
          }
        });
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** Every task-like record (prechecks, add-on checks, upgrades, workflows, ACK checks, tasks) by cluster id. */
function tasksByCluster(state: EmulatorState): Map<string, TaskState[]> {
  const byCluster = new Map<string, TaskState[]>();
  for (const [table, records] of Object.entries(state)) {
    if (table === "clusters" || table === "tokens") continue;
    for (const record of records as TaskState[]) {
      const list = byCluster.get(record.clusterId) ?? [];
      list.push(record);
      byCluster.set(record.clusterId, list);
    }
  }
  return byCluster;
}

/** An unfinished task that a read moves towards its end (`polls` progression). */
function progressesByPolls(task: TaskState): boolean {
  return (
    task.clock !== undefined &&
    task.clock.finishedAt === undefined &&
    task.clock.progression.polls !== undefined
  );
}

/** What reading must not change: each cluster's version and state, and which of its tasks finished. */
function progressFingerprints(state: EmulatorState): Map<string, string> {
  const tasks = tasksByCluster(state);
  return new Map(
    state.clusters.map((cluster) => [
      cluster.id,
      JSON.stringify([
        cluster.version,
        cluster.phase,
        cluster.targetVersions,
        (tasks.get(cluster.id) ?? []).map((task) => `${task.id}:${task.clock?.finishedAt ?? "-"}`).sort(),
      ]),
    ]),
  );
}

/** A cluster's facts and history without its identity and absolute times: equal for generated copies. */
function profile(cluster: ClusterState, tasks: readonly TaskState[]): string {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !/(^id$|Id$|^name$|At$|^instanceName$)/.test(key))
        .map(([key, inner]) => [key, strip(inner)]),
    );
  };
  return JSON.stringify([strip(cluster), tasks.map((task) => JSON.stringify(strip(task))).sort()]);
}

// ---------------------------------------------------------------------------------------------
// Accounts: the environment that reaches a cluster with its owner's credentials

function envFor(emulator: RunningEmulator, cluster: ClusterState): Record<string, string> {
  const accounts = emulator.control.accounts();
  if (cluster.cloud === "cce") {
    const account = accounts.huawei.find((a) => a.name === cluster.account);
    if (account === undefined) throw new Error(`no Huawei account ${cluster.account} for ${cluster.name}`);
    return clientEnvironment(emulator.url, {
      overrides: {
        HUAWEICLOUD_SDK_AK: account.accessKey,
        HUAWEICLOUD_SDK_SK: account.secretKey,
        ...(cluster.projectId === undefined ? {} : { HUAWEICLOUD_SDK_PROJECT_ID: cluster.projectId }),
        HW_REGION_NAME: cluster.region,
      },
    });
  }
  const account = accounts.alibaba.find((a) => a.name === cluster.account);
  if (account === undefined) throw new Error(`no Alibaba account ${cluster.account} for ${cluster.name}`);
  return clientEnvironment(emulator.url, {
    overrides: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: account.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: account.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: cluster.region,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The four paths

/** What one path decided; `verdict` is undefined where the path states none (the policy, allowing). */
interface Decision {
  readonly path: string;
  readonly allowed?: boolean;
  readonly verdict?: string;
  readonly blocking?: readonly string[];
  /** The path could not decide (an exception, an unexpected exit code, an unreadable answer). */
  readonly error?: string;
  /** Something the comparison must show besides the three fields (e.g. claims that disagreed). */
  readonly note?: string;
}

interface Row {
  readonly cluster: ClusterState;
  readonly target: string;
  readonly env: Record<string, string>;
}

const names = (findings: readonly { readonly checkName: string }[]): string[] =>
  [...new Set(findings.map((finding) => finding.checkName))].sort();

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function fromEvaluation(path: string, evaluation: Evaluation): Decision {
  return {
    path,
    allowed: evaluation.allowed,
    verdict: evaluation.verdict,
    blocking: names(evaluation.blocking),
  };
}

async function viaDataFunction(row: Row): Promise<{ decision: Decision; summary?: unknown }> {
  try {
    const readiness = await getUpgradeReadiness(
      { cloud: row.cluster.cloud, clusterId: row.cluster.id, targetVersion: row.target },
      { env: row.env },
    );
    return {
      decision: {
        path: "1 data",
        allowed: readiness.allowed,
        verdict: readiness.verdict,
        blocking: names(readiness.blocking),
      },
      summary: readiness.summary,
    };
  } catch (error) {
    return { decision: { path: "1 data", error: message(error) } };
  }
}

async function viaGate(row: Row): Promise<Decision> {
  const path = "2 gate";
  const request = { clusterId: row.cluster.id, targetVersion: row.target };
  const what = `four-paths ${row.cluster.name}`;
  const client =
    row.cluster.cloud === "cce"
      ? createCceClient({ env: row.env, ...CLIENT_OPTIONS })
      : createAckClient({ env: row.env, ...CLIENT_OPTIONS });
  try {
    const decision =
      row.cluster.cloud === "cce"
        ? await gateCceUpgrade(client as ReturnType<typeof createCceClient>, what, request)
        : await gateAckUpgrade(client as ReturnType<typeof createAckClient>, what, request);
    return fromEvaluation(path, decision.evaluation);
  } catch (error) {
    if (error instanceof UpgradeBlockedError) return fromEvaluation(path, error.evaluation);
    return { path, error: message(error) };
  } finally {
    await client.close();
  }
}

/**
 * The names under `Blocking findings:` in a policy message (one `  - <checkName> [<level>]...`
 * bullet each, see policy-pack/src/policies/messages.ts).
 */
function blockingNamesIn(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf("Blocking findings:");
  if (start < 0) return [];
  const found: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const bullet = /^ {2}- (.+?) \[/.exec(line);
    if (bullet === null) break;
    found.push(bullet[1]!);
  }
  return [...new Set(found)].sort();
}

async function viaPolicy(
  path: string,
  lookup: CloudReadinessLookup,
  resource: { type: string; name: string; props: Record<string, unknown> },
): Promise<Decision> {
  try {
    const analyzer = new InProcessAnalyzer(upgradeGuardPolicies({ lookup }));
    const result = await analyzer.analyze(resource.type, resource.name, resource.props);
    const mine = result.diagnostics.filter((d) => d.policyName === POLICY);
    if (mine.length === 0) return { path, allowed: true, blocking: [] };
    if (mine.length > 1) return { path, error: `${mine.length} diagnostics of ${POLICY}` };
    const diagnostic = mine[0]!;
    if (diagnostic.enforcementLevel !== "mandatory")
      return {
        path,
        error: `a ${diagnostic.enforcementLevel} diagnostic: ${diagnostic.message.split("\n")[0]}`,
      };
    const verdict = /\(verdict (\w+)[;)]/.exec(diagnostic.message)?.[1];
    const blocking = blockingNamesIn(diagnostic.message);
    const outOfDate = diagnostic.message.includes("is out of date or does not match the cloud");
    return {
      path,
      allowed: false,
      ...(verdict === undefined ? {} : { verdict }),
      blocking,
      ...(verdict === undefined ? { error: `no verdict in: ${diagnostic.message.split("\n")[0]}` } : {}),
      ...(outOfDate ? { note: "the policy says the honest claims disagree with the cloud" } : {}),
    };
  } catch (error) {
    return { path, error: message(error) };
  }
}

function thirdPartyResource(row: Row): { type: string; name: string; props: Record<string, unknown> } {
  return row.cluster.cloud === "cce"
    ? {
        type: "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
        name: `hw-${row.cluster.name}`,
        props: { clusterId: row.cluster.id, targetVersion: row.target },
      }
    : {
        type: "alicloud:cs/managedKubernetes:ManagedKubernetes",
        name: `ali-${row.cluster.name}`,
        props: { name: row.cluster.name, version: row.target },
      };
}

function ownResource(
  row: Row,
  summary: unknown,
): { type: string; name: string; props: Record<string, unknown> } {
  return {
    type: row.cluster.cloud === "cce" ? TYPE_TOKENS.cce.ClusterUpgrade : TYPE_TOKENS.ack.ClusterUpgrade,
    name: `ug-${row.cluster.name}`,
    props: {
      clusterId: row.cluster.id,
      currentVersion: row.cluster.version,
      targetVersion: row.target,
      ...(summary === undefined ? {} : { readiness: summary }),
      __provider: "exports.handler = () => ({})",
    },
  };
}

async function viaCli(row: Row): Promise<Decision> {
  const path = "4 cli";
  let out = "";
  let err = "";
  try {
    const code = await run(
      ["check", "--cloud", row.cluster.cloud, "--cluster", row.cluster.id, "--target", row.target, "--json"],
      {
        env: row.env,
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: (t: string) => (err += t) },
      },
    );
    // 0 safe, 1 blocked, 3 undecided (no, pending or stale check): each carries a readiness.
    if (code !== 0 && code !== 1 && code !== 3)
      return { path, error: `exit ${code}: ${err.trim() || out.trim()}` };
    const report = JSON.parse(out) as {
      clusters: {
        readiness?: { verdict: string; allowed: boolean; blocking: { checkName: string }[] };
        error?: { code: string; message: string };
      }[];
    };
    const [cluster] = report.clusters;
    if (cluster?.readiness === undefined)
      return { path, error: `exit ${code} without readiness: ${cluster?.error?.message ?? out}` };
    const { verdict, allowed, blocking } = cluster.readiness;
    return {
      path,
      allowed,
      verdict,
      blocking: names(blocking),
      // The exit code is the CLI's decision too: 0 allowed; 1 blocked or 3 undecided, never 0.
      ...(allowed === (code === 0) ? {} : { error: `exit ${code} but readiness.allowed ${allowed}` }),
    };
  } catch (error) {
    return { path, error: message(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing

function describeDecision(decision: Decision): string {
  if (decision.error !== undefined && decision.allowed === undefined) return `ERROR ${decision.error}`;
  const verdict = decision.verdict ?? "(none stated)";
  const blocking = decision.blocking === undefined ? "?" : `[${decision.blocking.join(", ")}]`;
  const extra = [decision.error, decision.note].filter((x) => x !== undefined).join("; ");
  return `${decision.allowed ? "allowed" : "blocked"} ${verdict} ${blocking}${extra === "" ? "" : ` (${extra})`}`;
}

/** Why the paths disagree on a row; empty when they agree. */
function disagreements(decisions: readonly Decision[]): string[] {
  const problems: string[] = [];
  for (const d of decisions) {
    if (d.error !== undefined) problems.push(`${d.path}: ${d.error}`);
    if (d.note !== undefined) problems.push(`${d.path}: ${d.note}`);
  }
  const decided = decisions.filter((d) => d.allowed !== undefined);
  const distinct = (values: readonly string[]) => new Set(values).size > 1;
  if (distinct(decided.map((d) => String(d.allowed)))) problems.push("allowed differs");
  if (distinct(decided.filter((d) => d.verdict !== undefined).map((d) => d.verdict!)))
    problems.push("verdict differs");
  if (distinct(decided.map((d) => JSON.stringify(d.blocking ?? []))))
    problems.push("blocking findings differ");
  // The policy states no verdict when it allows: then every other path must say `ready`.
  if (decided.some((d) => d.allowed === true && d.verdict === undefined)) {
    const others = decided.filter((d) => d.verdict !== undefined && d.verdict !== "ready");
    if (others.length > 0)
      problems.push(`the policy allows, but ${others.map((d) => `${d.path} says ${d.verdict}`).join(", ")}`);
  }
  return [...new Set(problems)];
}

interface RowResult {
  readonly scenario: string;
  readonly row: Row;
  readonly decisions: readonly Decision[];
  readonly problems: string[];
}

function table(results: readonly RowResult[]): string {
  return results
    .map((r) =>
      [
        `${r.scenario} / ${r.row.cluster.cloud} ${r.row.cluster.name} (${r.row.cluster.version} -> ${r.row.target}):`,
        ...r.decisions.map((d) => `    ${d.path.padEnd(12)} ${describeDecision(d)}`),
        ...r.problems.map((p) => `    !! ${p}`),
      ].join("\n"),
    )
    .join("\n");
}

async function compareRow(
  scenario: string,
  row: Row,
  lookups: (kind: "third-party" | "own", env: Record<string, string>) => CloudReadinessLookup,
): Promise<RowResult> {
  const data = await viaDataFunction(row);
  const decisions = [
    data.decision,
    await viaGate(row),
    await viaPolicy("3a policy", lookups("third-party", row.env), thirdPartyResource(row)),
    await viaPolicy("3b policy", lookups("own", row.env), ownResource(row, data.summary)),
    await viaCli(row),
  ];
  return { scenario, row, decisions, problems: disagreements(decisions) };
}

// ---------------------------------------------------------------------------------------------
// The table

const SCENARIOS = builtinScenarioNames();

it("finds the built-in scenarios", () => {
  expect(SCENARIOS).toEqual(expect.arrayContaining(["default", "expired-prechecks", "many-clusters"]));
});

describe.each(SCENARIOS)("scenario %s", (scenario) => {
  it("data function, upgrade gate, policy (third-party and own resource) and CLI agree on every cluster x target", async () => {
    const emulator = await startEmulator({ scenario, freezeClock: true });
    try {
      const state = await emulatorState(emulator);
      const tasks = tasksByCluster(state);
      const skipped: string[] = [];
      const compared: RowResult[] = [];

      // Sampling of generated scenarios: the skipped clusters must be copies of a sampled one.
      const chosen: ClusterState[] = [];
      for (const cloud of ["cce", "ack"] as const) {
        const all = state.clusters.filter((c) => c.cloud === cloud);
        const sample = all.length <= SAMPLE ? all : [...all.slice(0, SAMPLE / 2), ...all.slice(-SAMPLE / 2)];
        chosen.push(...sample);
        const profileOf = (c: ClusterState) => profile(c, tasks.get(c.id) ?? []);
        const profiles = new Set(sample.map(profileOf));
        const rest = all.filter((c) => !sample.includes(c));
        expect(rest.filter((c) => !profiles.has(profileOf(c))).map((c) => c.name)).toEqual([]);
        if (rest.length > 0)
          skipped.push(
            `${rest.length} ${cloud} clusters (${rest[0]!.name} .. ${rest.at(-1)!.name}): sampled ${sample.length} ` +
              `of ${all.length}; each of the others has the same facts and history as a sampled one (checked)`,
          );
      }

      const lookupCache = new Map<string, CloudReadinessLookup>();
      const lookups = (kind: string, env: Record<string, string>): CloudReadinessLookup => {
        const key = `${kind}|${JSON.stringify(env)}`;
        let lookup = lookupCache.get(key);
        if (lookup === undefined) {
          lookup = new CloudReadinessLookup({ env, clientOptions: CLIENT_OPTIONS });
          lookupCache.set(key, lookup);
        }
        return lookup;
      };

      for (const cluster of chosen) {
        const byPolls = (tasks.get(cluster.id) ?? []).filter(progressesByPolls);
        const targets = [...new Set([...cluster.targetVersions, cluster.version])];
        if (byPolls.length > 0) {
          // A read would move these tasks: the paths would not see the same facts.
          skipped.push(
            `${cluster.cloud} ${cluster.name} x [${targets.join(", ")}]: unfinished task(s) ${byPolls
              .map((t) => t.id)
              .join(", ")} finish after a number of reads, so each path would see another state`,
          );
          continue;
        }
        const env = envFor(emulator, cluster);
        for (const target of targets)
          compared.push(await compareRow(scenario, { cluster, target, env }, lookups));
      }

      // Nothing the paths read may have moved (a task finishing, a version changing) between them.
      const before = progressFingerprints(state);
      const after = progressFingerprints(await emulatorState(emulator));
      for (const result of compared) {
        if (before.get(result.row.cluster.id) !== after.get(result.row.cluster.id))
          result.problems.push("the cluster or one of its tasks changed while the paths read it");
      }

      if (scenario === "empty") expect(state.clusters).toEqual([]);
      else expect(compared.length).toBeGreaterThan(0);
      if (skipped.length > 0)
        console.info(`four paths, scenario ${scenario}: skipped\n  - ${skipped.join("\n  - ")}`);
      if (process.env.FOUR_PATHS_TABLE === "1") console.info(table(compared));

      const mismatches = compared.filter((r) => r.problems.length > 0);
      if (mismatches.length > 0) {
        throw new Error(
          `the four paths disagree on ${mismatches.length} of ${compared.length} row(s) of scenario ${scenario}:\n` +
            table(mismatches),
        );
      }
      expect(mismatches).toEqual([]);
    } finally {
      await emulator.close();
    }
  }, 40_000);
});
