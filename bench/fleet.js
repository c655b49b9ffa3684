#!/usr/bin/env node
/**
 * Fleet-readiness benchmark (issue 12). Not a test: it prints numbers and ratios against baselines
 * measured in the same run; only --strict turns a missed target into a non-zero exit (by hand).
 *
 *   npm run build && node bench/fleet.js [--clusters 200] [--latency 50] [--large 1000] [--skip-large]
 *                                        [--repeat 3] [--rate 50] [--concurrency 16] [--strict] [--no-write]
 *
 * The emulator (in this process, clock running, its throttling off) adds a fixed `--latency` ms to
 * every cloud request through a fault rule. Half the clusters are CCE, half ACK, generated as in
 * emulator/scenarios/many-clusters.yaml: every one has a finished precheck (and add-on check) or
 * cluster check for its next version. Measured:
 *   ours      the CLI's fleet report, `run(["report", "-o", "json", "-q"])` in process with
 *             `clientEnvironment(url)`: wall time, and the cloud requests it made (the emulator's
 *             request log, which never holds control-API calls)
 *   official  what a user would write instead: the vendors' official SDKs (`@alicloud/cs20151215`,
 *             `@huaweicloud/huaweicloud-sdk-core`, dev dependencies of the emulator package), one
 *             cluster after the other, making the same reads our facts gatherer makes
 *             (provider/src/readiness/facts.ts), listing the clusters first as the CLI does
 *   bound     ceil(our requests / C) x latency: C is the CLI's `--concurrency` (`--concurrency` here,
 *             default the CLI's DEFAULT_CONCURRENCY, 16), so no report that keeps C clusters in flight
 *             can be faster
 *   large     ours over `--large` clusters, against `--large / --clusters` times ours (linear scaling)
 *   throttled ours again with an emulator rateLimit fault per cloud (`--rate` requests per second,
 *             burst the same): throttled answers received (Huawei 429 APIGW.0308, Alibaba
 *             Throttling.User), and whether every cluster still got a verdict
 * Each is repeated `--repeat` times; min and median are printed, ratios use the medians. The same
 * results go to bench/results/fleet.json (not with --no-write), and the last run's file, when there
 * is one, is compared with this one.
 */
"use strict";
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { median, minMed: minMedOf, stats, table, writeResults } = require("./lib/report");

const root = path.resolve(__dirname, "..");
const { clientEnvironment, startEmulator } = require(path.join(root, "emulator/dist"));
const { DEFAULT_CONCURRENCY, run } = require(path.join(root, "cli/dist"));

// The official SDKs, from the emulator package whose dev dependencies they are.
const fromEmulator = (id) => require(require.resolve(id, { paths: [path.join(root, "emulator")] }));
const cs = fromEmulator("@alicloud/cs20151215");
const CsClient = cs.default;
const { $OpenApiUtil } = fromEmulator("@alicloud/openapi-core");
const { ClientBuilder } = fromEmulator("@huaweicloud/huaweicloud-sdk-core/ClientBuilder");
const { BasicCredentials } = fromEmulator("@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials");
const { Logger4jInstance } = fromEmulator("@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger");
// The Huawei SDK prints every error answer to stdout.
Logger4jInstance.level = "off";

const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}
const CLUSTERS = option("clusters", 200);
const LATENCY_MS = option("latency", 50);
const LARGE = option("large", 1000);
const SKIP_LARGE = args.includes("--skip-large");
const REPEAT = option("repeat", 3);
const RATE = option("rate", 50);
const STRICT = args.includes("--strict");
const WRITE = !args.includes("--no-write");

/** The CLI's clusters in flight: `--concurrency`, default the CLI's own (`DEFAULT_CONCURRENCY`). */
const CLI_CONCURRENCY = option("concurrency", DEFAULT_CONCURRENCY);
const TARGETS = { vsOfficial: 10, vsBound: 1.3, scaling: 1.2, throttledShare: 0.1 };
/** The vendors' throttle answers: Huawei's gateway and Alibaba's POP gateway. */
const THROTTLE_CODES = new Set(["APIGW.0308", "Throttling.User", "Throttling", "Throttling.Api"]);

const HW = { ak: "UGEMU-HW-AK", sk: "ugemu-hw-sk", projectId: "ugemuproject0000000000000000000a" };
const ALI = { accessKeyId: "UGEMU-ALI-AK", accessKeySecret: "ugemu-ali-sk", region: "cn-hangzhou" };
const FROM = { cce: "v1.29.5-r0", ack: "1.31.1-aliyun.1" };
const TO = { cce: "v1.30", ack: "1.32.1-aliyun.1" };

/** Like emulator/scenarios/many-clusters.yaml, with `count` clusters: half CCE, half ACK. */
function scenario(count) {
  const cce = Math.ceil(count / 2);
  return {
    name: `fleet-${count}`,
    clusters: [],
    generate: [
      {
        count: cce,
        template: {
          cloud: "cce",
          name: "fleet-cce-{i}",
          version: FROM.cce,
          targetVersions: [TO.cce],
          addons: [
            {
              template: "coredns",
              version: "1.29.4",
              risks: [
                {
                  riskName: "AddonStatus",
                  level: "Warning",
                  message: "addon status(abnormal) is not running",
                },
              ],
            },
          ],
          outcomes: {
            [TO.cce]: {
              precheck: {
                items: [
                  {
                    name: "NodeOSVersion",
                    group: "NodeCheck",
                    node: "192.168.0.11",
                    level: "Warning",
                    message: "kernel upgrade",
                  },
                ],
              },
            },
          },
          history: {
            cce: {
              prechecks: [{ targetVersion: TO.cce, createdAgo: "5m" }],
              addonChecks: [{ addon: "coredns", targetVersion: "1.30.1", createdAgo: "5m" }],
            },
          },
        },
      },
      {
        count: count - cce,
        template: {
          cloud: "ack",
          name: "fleet-ack-{i}",
          version: FROM.ack,
          targetVersions: [TO.ack],
          history: { ack: { checks: [{ type: "ClusterUpgrade", targetVersion: TO.ack, createdAgo: "5m" }] } },
        },
      },
    ].filter((g) => g.count > 0),
  };
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function byOperation(log) {
  const counts = {};
  for (const entry of log) {
    const key = `${entry.service}:${entry.operation ?? entry.path}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const isThrottled = (entry) => entry.status === 429 || THROTTLE_CODES.has(entry.errorCode ?? "");

// --- ours: the CLI's report in process -------------------------------------------------------------

/**
 * The provider's rate limit is process-wide (DEFAULT_LIMITS, provider/src/transport): a report run
 * right after another one here would start with the bucket the last one drained, which a CLI process
 * never does. So each report waits for the bucket to refill first (not measured).
 */
let LIMITS = { ratePerSecond: 20, burst: 40 };
try {
  LIMITS = require(path.join(root, "provider/dist/transport/defaults.js")).DEFAULT_LIMITS ?? LIMITS;
} catch {
  // keep the documented defaults
}
const REFILL_MS = Math.ceil((LIMITS.burst / LIMITS.ratePerSecond) * 1000) + 50;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function ours(emulator, fleet, env) {
  await emulator.control.loadScenario(fleet);
  await sleep(REFILL_MS);
  emulator.control.clearRequests();
  let stdout = "";
  let stderr = "";
  const started = performance.now();
  const exitCode = await run(["report", "-o", "json", "-q", "--concurrency", String(CLI_CONCURRENCY)], {
    env,
    stdout: { write: (text) => (stdout += text) },
    stderr: { write: (text) => (stderr += text) },
  });
  const wallMs = performance.now() - started;
  const log = emulator.control.requests({ limit: 1_000_000 });
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(
      `the report (exit ${exitCode}) is not JSON: ${stdout.slice(0, 300)}\n${stderr.slice(0, 1000)}`,
    );
  }
  return {
    wallMs,
    exitCode,
    requests: log.length,
    throttled: log.filter(isThrottled).length,
    byOperation: byOperation(log),
    clusters: report.summary.total,
    verdicts: report.summary.verdicts,
    errors: report.summary.verdicts.error ?? 0,
    firstError: report.clusters.find((c) => c.error !== undefined)?.error,
  };
}

// --- the official-SDK sequential loop ----------------------------------------------------------------

function huaweiClient(url) {
  const credentials = new BasicCredentials().withAk(HW.ak).withSk(HW.sk).withProjectId(HW.projectId);
  return new ClientBuilder((client) => client).withCredential(credentials).withEndpoint(url).build();
}

function cceGet(client, suffix, clusterId, query = {}) {
  return client.sendRequest({
    method: "GET",
    url: `/api/v3/projects/{project_id}/clusters${suffix}`,
    contentType: "application/json",
    queryParams: query,
    pathParams: clusterId === undefined ? {} : { cluster_id: clusterId },
    headers: {},
  });
}

function ackClient(url) {
  return new CsClient(
    new $OpenApiUtil.Config({
      accessKeyId: ALI.accessKeyId,
      accessKeySecret: ALI.accessKeySecret,
      regionId: ALI.region,
      endpoint: new URL(url).host,
      protocol: "http",
    }),
  );
}

const newest = (items, createdAt) =>
  [...items].sort((a, b) => Date.parse(createdAt(b) ?? 0) - Date.parse(createdAt(a) ?? 0))[0];

/** A precheck that reported anything about particular nodes (the gatherer then reads nodes and pools). */
const hasNodeScopedItems = (task) =>
  (task.status?.nodeCheckStatus?.nodeStageStatus ?? []).some(
    (stage) => (stage.itemsStatus ?? []).length > 0,
  ) ||
  [
    ...(task.status?.clusterCheckStatus?.itemsStatus ?? []),
    ...(task.status?.addonCheckStatus?.itemsStatus ?? []),
  ].some((item) => (item.riskSource?.nodeRisks ?? []).length > 0);

/**
 * One cluster after the other, the reads facts.ts makes (no target given, as in the report):
 *   CCE  ShowCluster, ShowClusterUpgradeInfo, ListPreCheckTasks, ListAddonPrecheckTasks
 *        (type addonUpgrade), ListUpgradeClusterTasks, ListUpgradeWorkFlows, and ListNodes and
 *        ListNodePools when the precheck has node-scoped items
 *   ACK  DescribeClusterDetail, ListClusterChecks, DescribeClusterTasks (page size 100),
 *        GetClusterCheck of the newest ClusterUpgrade check, DescribeTaskInfo of a running upgrade
 * after listing the clusters (CCE ListClusters, ACK DescribeClustersV1 pages of 100). Returns the
 * verdict inputs it found, so a broken read cannot pass as fast.
 */
async function officialLoop(emulator, fleet, url) {
  await emulator.control.loadScenario(fleet);
  emulator.control.clearRequests();
  const hw = huaweiClient(url);
  const ali = ackClient(url);
  const started = performance.now();
  const decided = { cce: 0, ack: 0, withCheck: 0 };

  const cceClusters = (await cceGet(hw, "")).items ?? [];
  const ackClusters = [];
  for (let page = 1; page <= 100; page++) {
    const answer = await ali.describeClustersV1(
      new cs.DescribeClustersV1Request({ pageSize: 100, pageNumber: page }),
    );
    const clusters = answer.body?.clusters ?? [];
    ackClusters.push(...clusters);
    if (clusters.length < 100) break;
  }

  for (const c of cceClusters) {
    const id = c.metadata.uid;
    const cluster = await cceGet(hw, "/{cluster_id}", id);
    const info = await cceGet(hw, "/{cluster_id}/upgradeinfo", id);
    const target = [...(info.spec?.versionInfo?.targetVersions ?? [])].sort().at(-1) ?? cluster.spec.version;
    const prechecks = await cceGet(hw, "/{cluster_id}/operation/precheck/tasks", id);
    await cceGet(hw, "/{cluster_id}/addons/precheck/tasks", id, { type: "addonUpgrade" });
    await cceGet(hw, "/{cluster_id}/operation/upgrade/tasks", id);
    await cceGet(hw, "/{cluster_id}/operation/upgradeworkflows", id);
    const precheck = newest(
      (prechecks.items ?? []).filter((t) => t.spec?.targetVersion === target),
      (t) => t.metadata?.creationTimestamp?.replace(" +0000 UTC", "Z"),
    );
    if (precheck !== undefined) decided.withCheck++;
    // As the gatherer does: the nodes and pools, to attribute node-scoped items to their pools.
    if (precheck !== undefined && hasNodeScopedItems(precheck)) {
      await cceGet(hw, "/{cluster_id}/nodes", id);
      await cceGet(hw, "/{cluster_id}/nodepools", id);
    }
    decided.cce++;
  }

  for (const c of ackClusters) {
    const id = c.clusterId;
    // The target is the detail's next_version (no target given); the check list below is filtered
    // by type as the gatherer does, and the emulator records the target on every check.
    const detail = (await ali.describeClusterDetail(id)).body ?? {};
    // The version's support window, as the gatherer reads it (DescribeKubernetesVersionMetadata).
    await ali.describeKubernetesVersionMetadata(
      new cs.DescribeKubernetesVersionMetadataRequest({
        region: detail.regionId,
        clusterType: detail.clusterType ?? "ManagedKubernetes",
        kubernetesVersion: detail.currentVersion,
        ...(detail.profile === undefined ? {} : { profile: detail.profile }),
      }),
    );
    const checks = (await ali.listClusterChecks(id, new cs.ListClusterChecksRequest({}))).body?.checks ?? [];
    const tasks =
      (await ali.describeClusterTasks(id, new cs.DescribeClusterTasksRequest({ pageSize: 100 }))).body
        ?.tasks ?? [];
    const check = newest(
      checks.filter((k) => k.type === undefined || k.type === "ClusterUpgrade"),
      (k) => k.createdAt,
    );
    if (check !== undefined) {
      await ali.getClusterCheck(id, check.checkId);
      decided.withCheck++;
    }
    for (const task of tasks) {
      if (/upgrade/i.test(task.taskType ?? "upgrade") && /^(running|paused)$/i.test(task.state ?? ""))
        await ali.describeTaskInfo(task.taskId);
    }
    decided.ack++;
  }
  const wallMs = performance.now() - started;
  const log = emulator.control.requests({ limit: 1_000_000 });
  return { wallMs, requests: log.length, byOperation: byOperation(log), decided };
}

// --- the run -------------------------------------------------------------------------------------------

function perCluster(byOp, clusters) {
  // Listing is per fleet, not per cluster: leave it out of the per-cluster figures.
  const listing = new Set(["cce:ListClusters", "ack:DescribeClustersV1"]);
  const per = { cce: 0, ack: 0 };
  for (const [key, count] of Object.entries(byOp)) {
    if (listing.has(key)) continue;
    const cloud = key.split(":")[0] === "ack" ? "ack" : "cce";
    per[cloud] += count;
  }
  const cce = Math.ceil(clusters / 2);
  return {
    cce: Number((per.cce / cce).toFixed(2)),
    ack: Number((per.ack / Math.max(1, clusters - cce)).toFixed(2)),
    listing: Object.entries(byOp)
      .filter(([key]) => listing.has(key))
      .reduce((sum, [, count]) => sum + count, 0),
  };
}

const minMed = (s) => minMedOf(s, seconds);

async function main() {
  const emulator = await startEmulator({ scenario: "empty", requestLogLimit: 1_000_000 });
  const fleet = scenario(CLUSTERS);
  const env = clientEnvironment(emulator.url);
  const log = (text) => process.stderr.write(`${text}\n`);
  try {
    emulator.control.setFault({ latencyMs: LATENCY_MS });
    console.log(
      `fleet bench: ${CLUSTERS} clusters (half CCE, half ACK), ${LATENCY_MS} ms added to every cloud request, ` +
        `${REPEAT} repeat(s), emulator ${emulator.url}, node ${process.version}, ${require("node:os").cpus().length} cpus; ` +
        `each report starts after ${REFILL_MS} ms (unmeasured) so the provider's process-wide bucket ` +
        `(${LIMITS.ratePerSecond}/s, burst ${LIMITS.burst}) is as full as in a fresh CLI process`,
    );

    const oursRuns = [];
    const officialRuns = [];
    for (let i = 0; i < REPEAT; i++) {
      // Interleaved, so a machine that slows down mid-run shifts both alike.
      oursRuns.push(await ours(emulator, fleet, env));
      log(`  ours #${i + 1}: ${seconds(oursRuns.at(-1).wallMs)}, ${oursRuns.at(-1).requests} requests`);
      officialRuns.push(await officialLoop(emulator, fleet, emulator.url));
      log(
        `  official loop #${i + 1}: ${seconds(officialRuns.at(-1).wallMs)}, ${officialRuns.at(-1).requests} requests`,
      );
    }
    const oursTime = stats(oursRuns.map((r) => r.wallMs));
    const officialTime = stats(officialRuns.map((r) => r.wallMs));
    const oursRequests = median(oursRuns.map((r) => r.requests));
    const boundMs = Math.ceil(oursRequests / CLI_CONCURRENCY) * LATENCY_MS;

    let large;
    if (!SKIP_LARGE) {
      const largeFleet = scenario(LARGE);
      const runs = [];
      for (let i = 0; i < REPEAT; i++) {
        runs.push(await ours(emulator, largeFleet, env));
        log(`  ours ${LARGE} #${i + 1}: ${seconds(runs.at(-1).wallMs)}, ${runs.at(-1).requests} requests`);
      }
      large = { clusters: LARGE, time: stats(runs.map((r) => r.wallMs)), runs };
    }

    const rules = ["cce", "ack"].map((service) =>
      emulator.control.setFault({ service, rateLimit: { perSecond: RATE, burst: Math.ceil(RATE) } }),
    );
    const throttledRuns = [];
    for (let i = 0; i < REPEAT; i++) {
      throttledRuns.push(await ours(emulator, fleet, env));
      const r = throttledRuns.at(-1);
      log(`  throttled #${i + 1}: ${seconds(r.wallMs)}, ${r.requests} requests, ${r.throttled} throttled`);
    }
    for (const rule of rules) emulator.control.clearFaults(rule.id);
    const throttledTime = stats(throttledRuns.map((r) => r.wallMs));
    const worstThrottled = throttledRuns.reduce((a, b) =>
      b.throttled / b.requests > a.throttled / a.requests ? b : a,
    );
    const throttledErrors = Math.max(...throttledRuns.map((r) => r.errors));

    const oursErrors = Math.max(...oursRuns.map((r) => r.errors));
    const vsOfficial = officialTime.median / oursTime.median;
    const vsBound = oursTime.median / boundMs;
    const scaling =
      large === undefined ? undefined : large.time.median / ((LARGE / CLUSTERS) * oursTime.median);
    const share = worstThrottled.throttled / worstThrottled.requests;
    const met = (ok) => (ok ? "met" : "MISSED");
    const official = officialRuns[0];
    const rows = [
      {
        measure: `${CLUSTERS} clusters vs official-SDK loop`,
        ours: minMed(oursTime),
        baseline: minMed(officialTime),
        ratio: `${vsOfficial.toFixed(2)}x faster`,
        target: `>= ${TARGETS.vsOfficial}x faster`,
        met: met(vsOfficial >= TARGETS.vsOfficial && oursErrors === 0),
        values: { ours: oursTime, baseline: officialTime, ratio: vsOfficial },
      },
      {
        measure: `${CLUSTERS} clusters vs concurrency bound`,
        ours: minMed(oursTime),
        baseline: `${seconds(boundMs)} (ceil(${oursRequests}/${CLI_CONCURRENCY}) x ${LATENCY_MS} ms)`,
        ratio: `${vsBound.toFixed(2)}x the bound`,
        target: `<= ${TARGETS.vsBound}x`,
        met: met(vsBound <= TARGETS.vsBound),
        values: { ours: oursTime, baseline: boundMs, ratio: vsBound },
      },
      large === undefined
        ? {
            measure: `${LARGE.toLocaleString("en")} clusters vs ${CLUSTERS} x ${LARGE / CLUSTERS}`,
            ours: "skipped",
            baseline: "",
            ratio: "",
            target: `<= ${TARGETS.scaling}x`,
            met: "skipped",
          }
        : {
            measure: `${LARGE.toLocaleString("en")} clusters vs ${CLUSTERS} x ${LARGE / CLUSTERS}`,
            ours: minMed(large.time),
            baseline: seconds((LARGE / CLUSTERS) * oursTime.median),
            ratio: `${scaling.toFixed(2)}x linear`,
            target: `<= ${TARGETS.scaling}x`,
            met: met(scaling <= TARGETS.scaling),
            values: { ours: large.time, baseline: (LARGE / CLUSTERS) * oursTime.median, ratio: scaling },
          },
      {
        measure: `${CLUSTERS} clusters throttled (${RATE}/s per cloud)`,
        ours: minMed(throttledTime),
        baseline: `${minMed(oursTime)} unthrottled`,
        ratio: `${(throttledTime.median / oursTime.median).toFixed(2)}x; throttled ${worstThrottled.throttled}/${worstThrottled.requests} = ${(share * 100).toFixed(1)}%; error rows ${throttledErrors}`,
        target: `< ${TARGETS.throttledShare * 100}% throttled, 0 error rows`,
        met: met(share < TARGETS.throttledShare && throttledErrors === 0),
        values: { ours: throttledTime, baseline: oursTime, ratio: share },
      },
    ];
    console.log("");
    console.log(table(rows));
    console.log("");
    const oursPer = perCluster(oursRuns[0].byOperation, CLUSTERS);
    const officialPer = perCluster(official.byOperation, CLUSTERS);
    console.log(
      `requests: ours ${oursRuns[0].requests} (per cluster: CCE ${oursPer.cce}, ACK ${oursPer.ack}; listing ${oursPer.listing}); ` +
        `official-SDK loop ${official.requests} (per cluster: CCE ${officialPer.cce}, ACK ${officialPer.ack}; listing ${officialPer.listing})`,
    );
    console.log(`  ours by operation: ${JSON.stringify(oursRuns[0].byOperation)}`);
    console.log(`  official loop by operation: ${JSON.stringify(official.byOperation)}`);
    console.log(
      `verdicts: ours ${JSON.stringify(oursRuns[0].verdicts)}; official loop decided ${official.decided.cce} CCE + ` +
        `${official.decided.ack} ACK clusters, ${official.decided.withCheck} with a check for the target`,
    );
    if (oursErrors > 0 || throttledErrors > 0) {
      const first = [...oursRuns, ...throttledRuns].find((r) => r.firstError !== undefined)?.firstError;
      console.log(
        `error rows: unthrottled ${oursErrors}, throttled ${throttledErrors}; first: ${JSON.stringify(first)}`,
      );
    }
    console.log(
      `throttled phase: emulator rateLimit ${RATE} requests/s per cloud (burst ${Math.ceil(RATE)}), ` +
        `throttled answers per run ${throttledRuns.map((r) => `${r.throttled}/${r.requests}`).join(", ")}`,
    );

    const results = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: require("node:os").cpus().length, node: process.version },
      settings: {
        clusters: CLUSTERS,
        latencyMs: LATENCY_MS,
        large: SKIP_LARGE ? null : LARGE,
        repeat: REPEAT,
        ratePerSecond: RATE,
      },
      ours: {
        wallMs: oursTime,
        requests: oursRuns.map((r) => r.requests),
        perCluster: oursPer,
        byOperation: oursRuns[0].byOperation,
        errors: oursErrors,
      },
      official: {
        wallMs: officialTime,
        requests: officialRuns.map((r) => r.requests),
        perCluster: officialPer,
        byOperation: official.byOperation,
      },
      bound: { wallMs: boundMs, concurrency: CLI_CONCURRENCY },
      large:
        large === undefined
          ? null
          : {
              clusters: LARGE,
              wallMs: large.time,
              requests: large.runs.map((r) => r.requests),
              errors: Math.max(...large.runs.map((r) => r.errors)),
            },
      throttled: {
        wallMs: throttledTime,
        requests: throttledRuns.map((r) => r.requests),
        throttled: throttledRuns.map((r) => r.throttled),
        errors: throttledErrors,
      },
      ratios: { vsOfficial, vsBound, scaling: scaling ?? null, throttledShare: share },
      targets: TARGETS,
      met: Object.fromEntries(rows.map((r) => [r.measure, r.met])),
    };
    if (WRITE) {
      writeResults("fleet", { settings: results.settings, rows, extra: results });
    }
    const missed = rows.filter((r) => r.met === "MISSED");
    if (STRICT && missed.length > 0) process.exitCode = 1;
  } finally {
    await emulator.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
