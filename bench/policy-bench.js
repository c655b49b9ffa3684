#!/usr/bin/env node
/**
 * Benchmark of the upgrade-guard policy pack, with the emulator answering every lookup. Not a test:
 * it prints numbers, and compares them with targets and with a baseline measured in the same run
 * (Analyze of a resource no policy judges, `aws:s3/bucket:Bucket`), so a slow machine does not skew
 * the verdict.
 *
 *   npm run build && node bench/policy-bench.js [--pack <dir>] [--inputs 1000] [--lookups 200]
 *                                               [--clusters 50] [--per-cluster 20]
 *
 * The policy judges facts it reads from the cloud: upgrade-guard's own upgrade resources carry the
 * program's claims (`currentVersion`, and the `readiness` summary `getUpgradeReadiness` returned),
 * which the policy checks against ONE gathering of the facts per cluster and target (the provider's
 * facts gatherer), cached for the process and shared by concurrent Analyze calls.
 *
 * Phases, through the REAL analyzer process (`@pulumi/pulumi/cmd/run-policy-pack`, started by
 * @upgrade-guard/harness's `startPolicyPack` as the tests start it), a fresh process
 * per phase group so no phase finds the cache of another warm:
 *   baseline  Analyze of a resource no policy judges (the cost of one Analyze round trip), one at a
 *             time and CONCURRENCY at a time (the engine sends resources concurrently)
 *   own       N upgrade-guard ClusterUpgrade resources (cce and ack) over K clusters with HONEST
 *             claims, so the policy verifies them live: CONCURRENCY at a time with a cold cache (a
 *             first preview), then the same ones again one at a time from the cache (the cost of
 *             judging one resource, against a baseline measured right before; target <= 2 ms)
 *   lookups   M third-party cluster resources over the K clusters, versions changing, so the pack
 *             finds the clusters itself (by id for CCE, by name for ACK); CONCURRENCY at a time
 *   In the process the gatherings are counted by the emulator's request log: one gathering lists a
 *   cluster's checks exactly once (CCE ListPreCheckTasks, ACK ListClusterChecks).
 * and in this process, through the policy SDK's own Analyze handler (`@pulumi/policy/server`) with a
 * `CloudReadinessLookup` whose `gatherings` counter can be read (the analyzer process's cannot):
 *   gather    `--per-cluster` resources per cluster, own and third-party mixed, ALL sent at once:
 *             the facts gatherer must run exactly once per distinct (cluster, target); then the own
 *             ones again one at a time (in-process cost per resource; still no new gathering)
 *
 * Every lookup goes through the provider's transport with its default limits (20 requests per
 * second per origin, burst 40), as in a real preview: the first answer for a cluster includes that
 * pacing (it dominates the cold phases' wall time), answers from the cache do not.
 */
"use strict";
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { met, table, writeResults } = require("./lib/report");

const root = path.resolve(__dirname, "..");
const policyServer = require(require.resolve("@pulumi/policy/server", { paths: [root] }));
// The analyzer process and its requests, as the tests start and build them.
const { analyzeRequest, emptyPb, startPolicyPack } = require(path.join(root, "harness/dist"));
const { clientEnvironment, startEmulator } = require(path.join(root, "emulator/dist"));
const { getUpgradeReadiness } = require(path.join(root, "provider/dist"));
const { TYPE_TOKENS } = require(path.join(root, "sdk/dist"));
const { CloudReadinessLookup, upgradeGuardPolicies } = require(path.join(root, "policy-pack/dist/policies"));

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const PACK_DIR = path.resolve(option("pack", path.join(root, "policy-pack")));
const INPUT_RESOURCES = Number(option("inputs", "1000"));
const LOOKUP_RESOURCES = Number(option("lookups", "200"));
const CLUSTERS = Number(option("clusters", "50"));
const PER_CLUSTER = Number(option("per-cluster", "20"));
const CONCURRENCY = 8;
/** The issue's target for a resource whose readiness is in its inputs (now: verified live, cached). */
const TARGET_MS_PER_OWN_RESOURCE = 2;

const POLICY = "cluster-upgrade-requires-clean-precheck";
const BASELINE_TYPE = "aws:s3/bucket:Bucket";
const FROM = { cce: "v1.29.5-r0", ack: "1.31.1-aliyun.1" };
const TO = { cce: "v1.30", ack: "1.32.1-aliyun.1" };
/** The size of a real serialized dynamic provider, which every upgrade-guard resource carries. */
const SERIALIZED_PROVIDER = "exports.handler = function () { /* serialized dynamic provider */ };".repeat(20);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Half CCE, half ACK clusters, each with a finished check with warnings only (the upgrade may go). */
function scenario(count) {
  const half = Math.ceil(count / 2);
  return {
    name: "policy-bench",
    clusters: [],
    generate: [
      {
        count: half,
        template: {
          cloud: "cce",
          name: "bench-cce-{i}",
          version: FROM.cce,
          targetVersions: [TO.cce],
          outcomes: {
            [TO.cce]: {
              precheck: {
                items: [{ name: "NodeOSVersion", group: "NodeCheck", level: "Warning", message: "kernel" }],
              },
            },
          },
          history: { cce: { prechecks: [{ targetVersion: TO.cce, createdAgo: "5m" }] } },
        },
      },
      {
        count: count - half,
        template: {
          cloud: "ack",
          name: "bench-ack-{i}",
          version: FROM.ack,
          targetVersions: [TO.ack],
          outcomes: {
            [TO.ack]: {
              check: {
                items: [
                  { name: "VSwitchIPs", group: "ClusterResource", level: "warning", message: "few IPs" },
                ],
              },
            },
          },
          history: {
            ack: { checks: [{ type: "ClusterUpgrade", targetVersion: TO.ack, createdAgo: "5m" }] },
          },
        },
      },
    ],
  };
}

/** A fresh analyzer process for the pack; a call may wait behind the transport's pacing, hence 120 s. */
function startPack(env) {
  return startPolicyPack(PACK_DIR, { env, startTimeoutMs: 30_000, callTimeoutMs: 120_000 });
}

const request = analyzeRequest;

/** The policy SDK's own Analyze handler in this process, called like the gRPC method. */
function inProcessAnalyzer(policies) {
  const analyze = policyServer.makeAnalyzeRpcFun("upgrade-guard-bench", "0.0.0", "advisory", policies);
  return {
    analyze: (r) =>
      new Promise((resolve, reject) =>
        analyze({ request: r }, (error, response) => (error ? reject(error) : resolve(response))),
      ),
  };
}

/**
 * Sends the requests `concurrency` at a time (Infinity: all at once) through `analyze`; returns each
 * call's duration (ms), the wall time and the diagnostics.
 */
async function timeAll(analyze, requests, concurrency) {
  const durations = [];
  const diagnostics = [];
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < requests.length) {
      const r = requests[next++];
      const t0 = performance.now();
      const response = await analyze(r);
      durations.push(performance.now() - t0);
      for (const d of response.getDiagnosticsList()) diagnostics.push(d);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return { durations, wallMs: performance.now() - started, diagnostics };
}

const viaProcess = (pack) => (r) => pack.call("analyze", r);

function report(label, result, baselineMedian) {
  const m = median(result.durations);
  console.log(
    `${label.padEnd(16)} n=${String(result.durations.length).padStart(5)}  median ${m.toFixed(3)} ms  ` +
      `p95 ${percentile(result.durations, 95).toFixed(3)} ms  wall/resource ${(result.wallMs / result.durations.length).toFixed(3)} ms` +
      (baselineMedian === undefined ? "" : `  (${(m / baselineMedian).toFixed(2)}x baseline)`),
  );
  return m;
}

/** Mandatory diagnostics of the cluster policy, and the first line of the first one (to say why). */
function violations(result) {
  const mine = result.diagnostics.filter(
    (d) => d.getPolicyname() === POLICY && d.getEnforcementlevel() === 1,
  );
  return { count: mine.length, first: mine[0]?.getMessage().split("\n")[0] };
}

function byOperation(log) {
  const counts = {};
  for (const entry of log)
    counts[entry.operation ?? entry.path] = (counts[entry.operation ?? entry.path] ?? 0) + 1;
  return counts;
}

/** One gathering lists a cluster's checks exactly once (CCE ListPreCheckTasks, ACK ListClusterChecks). */
const checkLists = (counts) => (counts["ListPreCheckTasks"] ?? 0) + (counts["ListClusterChecks"] ?? 0);

async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function main() {
  // A frozen clock: every check keeps its age (5 min) for the whole run, whatever the machine's speed.
  const emulator = await startEmulator({
    scenario: scenario(CLUSTERS),
    requestLogLimit: 1_000_000,
    freezeClock: true,
  });
  const packs = [];
  try {
    const clusters = emulator.control.clusters();
    const env = clientEnvironment(emulator.url);
    const started = async () => {
      const pack = await startPack(env);
      packs.push(pack);
      // Warm up the process (module loading, JIT), outside every measurement.
      await timeAll(
        viaProcess(pack),
        Array.from({ length: 200 }, (_, i) => request(BASELINE_TYPE, `w${i}`, { bucket: `w${i}` })),
        1,
      );
      return pack;
    };
    const baselineRequests = (n, prefix) =>
      Array.from({ length: n }, (_, i) =>
        request(BASELINE_TYPE, `${prefix}${i}`, { bucket: `${prefix}${i}` }),
      );

    // The honest claims: what the SDK fills into each resource, read with the real data function.
    const claimsStarted = performance.now();
    const summaries = new Map(
      await mapLimited(clusters, CONCURRENCY, async (cluster) => {
        const readiness = await getUpgradeReadiness(
          { cloud: cluster.cloud, clusterId: cluster.id, targetVersion: TO[cluster.cloud] },
          { env },
        );
        return [cluster.id, readiness.summary];
      }),
    );
    const claimsMs = performance.now() - claimsStarted;
    const ownResource = (cluster, name) =>
      request(
        cluster.cloud === "cce" ? TYPE_TOKENS.cce.ClusterUpgrade : TYPE_TOKENS.ack.ClusterUpgrade,
        name,
        {
          clusterId: cluster.id,
          currentVersion: cluster.version,
          targetVersion: TO[cluster.cloud],
          readiness: summaries.get(cluster.id),
          __provider: SERIALIZED_PROVIDER,
        },
      );
    const thirdPartyResource = (cluster, name) =>
      cluster.cloud === "cce"
        ? request("huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", name, {
            clusterId: cluster.id,
            targetVersion: TO.cce,
            strategy: { type: "inPlaceRollingUpdate" },
          })
        : request("alicloud:cs/managedKubernetes:ManagedKubernetes", name, {
            name: cluster.name,
            version: TO.ack,
          });

    // --- the real analyzer process ----------------------------------------------------------
    const first = await started();
    const info = await first.call("getAnalyzerInfo", new emptyPb.Empty());
    console.log(
      `pack ${info.getName()}@${info.getVersion()} (${PACK_DIR}), emulator ${emulator.url}, node ${process.version}`,
    );
    console.log(
      `${clusters.length} clusters; honest claims read with getUpgradeReadiness in ${(claimsMs / 1000).toFixed(1)} s`,
    );
    console.log("");
    console.log(`analyzer process (cmd/run-policy-pack), baseline ${BASELINE_TYPE}:`);
    const baseline = await timeAll(viaProcess(first), baselineRequests(INPUT_RESOURCES, "b"), 1);
    const baselineMedian = report("baseline", baseline);
    const baselineConcurrent = await timeAll(
      viaProcess(first),
      baselineRequests(INPUT_RESOURCES, "c"),
      CONCURRENCY,
    );
    const baselineConcurrentMedian = report(`baseline x${CONCURRENCY}`, baselineConcurrent);

    // Own resources with honest claims, in a process whose cache only the baseline touched.
    const ownRequests = Array.from({ length: INPUT_RESOURCES }, (_, i) =>
      ownResource(clusters[i % clusters.length], `upgrade${i}`),
    );
    const ownDistinct = new Set(ownRequests.map((_, i) => clusters[i % clusters.length].id)).size;
    emulator.control.clearRequests();
    const own = await timeAll(viaProcess(first), ownRequests, CONCURRENCY);
    const ownLog = emulator.control.requests({ limit: 1_000_000 });
    const ownMedian = report(`own x${CONCURRENCY}`, own, baselineConcurrentMedian);
    const ownBlocked = violations(own);
    // The same resources again, one at a time: every fact is in the cache, so this is the cost of
    // judging one resource (claims checked against the cached snapshot, evaluate, the message).
    // Its baseline is measured again right before, so drift of a busy machine shifts both alike.
    const baselineAgain = await timeAll(viaProcess(first), baselineRequests(INPUT_RESOURCES, "d"), 1);
    const baselineAgainMedian = report("baseline again", baselineAgain);
    emulator.control.clearRequests();
    const ownWarm = await timeAll(viaProcess(first), ownRequests, 1);
    const ownWarmCalls = emulator.control.requests({ limit: 1_000_000 }).length;
    const ownWarmMedian = report("own warm", ownWarm, baselineAgainMedian);
    await packs.pop().stop();

    // Third-party resources in a fresh process: the pack finds every cluster itself.
    const second = await started();
    const lookupRequests = Array.from({ length: LOOKUP_RESOURCES }, (_, i) =>
      thirdPartyResource(clusters[i % clusters.length], `tp${i}`),
    );
    const lookupDistinct = new Set(lookupRequests.map((_, i) => clusters[i % clusters.length].id)).size;
    emulator.control.clearRequests();
    const lookups = await timeAll(viaProcess(second), lookupRequests, CONCURRENCY);
    const lookupLog = emulator.control.requests({ limit: 1_000_000 });
    const lookupMedian = report(`lookups x${CONCURRENCY}`, lookups, baselineConcurrentMedian);
    const lookupBlocked = violations(lookups);
    await packs.pop().stop();

    // --- in this process, with a lookup whose gatherings can be counted ------------------------
    console.log("");
    console.log(`in process (@pulumi/policy/server Analyze handler), baseline ${BASELINE_TYPE}:`);
    const lookup = new CloudReadinessLookup({ env });
    const analyzer = inProcessAnalyzer(upgradeGuardPolicies({ lookup }));
    await timeAll(analyzer.analyze, baselineRequests(200, "iw"), 1);
    const inBaseline = await timeAll(analyzer.analyze, baselineRequests(INPUT_RESOURCES, "ib"), 1);
    const inBaselineMedian = report("baseline", inBaseline);
    // PER_CLUSTER resources per cluster, own and third-party alternating, all in flight at once.
    const gatherRequests = clusters.flatMap((cluster, c) =>
      Array.from({ length: PER_CLUSTER }, (_, k) =>
        k % 2 === 0 ? ownResource(cluster, `g${c}-${k}`) : thirdPartyResource(cluster, `g${c}-${k}`),
      ),
    );
    const distinctPairs = new Set(clusters.map((cluster) => `${cluster.id}|${TO[cluster.cloud]}`)).size;
    emulator.control.clearRequests();
    const gatheringsBefore = lookup.gatherings;
    const gather = await timeAll(analyzer.analyze, gatherRequests, Infinity);
    const gatherings = lookup.gatherings - gatheringsBefore;
    const gatherLog = emulator.control.requests({ limit: 1_000_000 });
    console.log(
      `${`gather x${gatherRequests.length}`.padEnd(16)} n=${String(gather.durations.length).padStart(5)}  ` +
        `wall ${(gather.wallMs / 1000).toFixed(2)} s (all in flight at once, so per-call times are the wall time)`,
    );
    const gatherBlocked = violations(gather);
    // Again one at a time, from the cache: the in-process cost of judging one resource.
    const warmRequests = gatherRequests.filter((_, i) => i % 2 === 0);
    const inWarm = await timeAll(analyzer.analyze, warmRequests, 1);
    const inWarmMedian = report("own warm", inWarm, inBaselineMedian);
    const gatheringsAfterWarm = lookup.gatherings - gatheringsBefore;

    // --- summary ---------------------------------------------------------------------------------
    const ownOps = byOperation(ownLog);
    const lookupOps = byOperation(lookupLog);
    const gatherOps = byOperation(gatherLog);
    console.log("");
    console.log(
      `'own' (${INPUT_RESOURCES} upgrade-guard ClusterUpgrade resources, honest claims, ${ownDistinct} clusters): ` +
        `${ownLog.length} API calls; check lists per distinct cluster ${(checkLists(ownOps) / ownDistinct).toFixed(2)}; ` +
        `mandatory violations ${ownBlocked.count}${ownBlocked.first === undefined ? "" : ` (first: ${ownBlocked.first})`}`,
    );
    console.log(`  by operation: ${JSON.stringify(ownOps)}`);
    console.log(
      `'lookups' (${LOOKUP_RESOURCES} third-party resources, ${lookupDistinct} clusters): ${lookupLog.length} API calls; ` +
        `check lists per distinct cluster ${(checkLists(lookupOps) / lookupDistinct).toFixed(2)}; calls per cluster ` +
        `${(lookupLog.length / lookupDistinct).toFixed(2)}; mandatory violations ${lookupBlocked.count}` +
        (lookupBlocked.first === undefined ? "" : ` (first: ${lookupBlocked.first})`),
    );
    console.log(`  by operation: ${JSON.stringify(lookupOps)}`);
    console.log(
      `'gather' (${gatherRequests.length} resources, ${PER_CLUSTER} per cluster, all at once): ` +
        `${gatherings} gatherings for ${distinctPairs} distinct (cluster, target); ${gatherLog.length} API calls ` +
        `(check lists ${checkLists(gatherOps)}); mandatory violations ${gatherBlocked.count}` +
        (gatherBlocked.first === undefined ? "" : ` (first: ${gatherBlocked.first})`),
    );
    console.log("");
    console.log(
      `own resources (live verification), analyzer process: first preview (cold cache, ${CONCURRENCY} in flight) ` +
        `median ${ownMedian.toFixed(3)} ms, ${(ownMedian / baselineConcurrentMedian).toFixed(2)}x the baseline at the ` +
        `same concurrency, wall ${(own.wallMs / INPUT_RESOURCES).toFixed(3)} ms per resource (transport rate limit ` +
        `included); from the cache median ${ownWarmMedian.toFixed(3)} ms, ${(ownWarmMedian / baselineAgainMedian).toFixed(2)}x ` +
        `the baseline (${(ownWarmMedian - baselineAgainMedian).toFixed(3)} ms above one round trip), ${ownWarmCalls} API calls`,
    );
    console.log(
      `own resources, in process, from the cache: median ${inWarmMedian.toFixed(3)} ms, ` +
        `${(inWarmMedian / inBaselineMedian).toFixed(1)}x the in-process baseline (${inBaselineMedian.toFixed(3)} ms)`,
    );
    console.log(
      `target: <= ${TARGET_MS_PER_OWN_RESOURCE} ms per own resource once its cluster is read (analyzer process, ` +
        `from the cache): ${ownWarmMedian <= TARGET_MS_PER_OWN_RESOURCE ? "MET" : "MISSED"} (median ${ownWarmMedian.toFixed(3)} ms)`,
    );
    console.log(
      `target: one gathering per distinct (cluster, target), ${PER_CLUSTER} resources per cluster at once: ` +
        `${gatherings === distinctPairs && gatheringsAfterWarm === distinctPairs ? "MET" : "MISSED"} ` +
        `(${(gatherings / distinctPairs).toFixed(2)} per pair: ${gatherings} for ${distinctPairs}; ` +
        `${gatheringsAfterWarm} after the second pass)`,
    );
    const processLists = checkLists(ownOps);
    console.log(
      `target: one gathering per distinct cluster in the analyzer process (check lists): own ` +
        `${processLists === ownDistinct ? "MET" : "MISSED"} (${processLists} for ${ownDistinct}); lookups ` +
        `${checkLists(lookupOps) === lookupDistinct ? "MET" : "MISSED"} (${checkLists(lookupOps)} for ${lookupDistinct})`,
    );
    console.log(
      `lookups: median ${lookupMedian.toFixed(3)} ms per resource (${(lookupMedian / baselineConcurrentMedian).toFixed(1)}x ` +
        `baseline at the same concurrency), transport rate limit included`,
    );
    const ms = (v) => `${v.toFixed(3)} ms`;
    const rows = [
      {
        measure: "Analyze per own resource, cached (analyzer process)",
        ours: ms(ownWarmMedian),
        baseline: `${ms(baselineAgainMedian)} ${BASELINE_TYPE}`,
        ratio: `${(ownWarmMedian / baselineAgainMedian).toFixed(2)}x`,
        target: `<= ${TARGET_MS_PER_OWN_RESOURCE} ms`,
        met: met(ownWarmMedian <= TARGET_MS_PER_OWN_RESOURCE),
        values: {
          ours: ownWarmMedian,
          baseline: baselineAgainMedian,
          ratio: ownWarmMedian / baselineAgainMedian,
        },
      },
      {
        measure: `Analyze per own resource, cold (x${CONCURRENCY}, rate limit included)`,
        ours: ms(ownMedian),
        baseline: `${ms(baselineConcurrentMedian)} ${BASELINE_TYPE} x${CONCURRENCY}`,
        ratio: `${(ownMedian / baselineConcurrentMedian).toFixed(2)}x`,
        target: "(reported)",
        met: "",
        values: {
          ours: ownMedian,
          baseline: baselineConcurrentMedian,
          ratio: ownMedian / baselineConcurrentMedian,
        },
      },
      {
        measure: "Analyze: gatherings per distinct (cluster, target)",
        ours: `${gatherings} (${gatheringsAfterWarm} after a second pass)`,
        baseline: `${distinctPairs} distinct pairs`,
        ratio: `${(gatherings / distinctPairs).toFixed(2)}x`,
        target: "exactly 1 per pair",
        met: met(gatherings === distinctPairs && gatheringsAfterWarm === distinctPairs),
        values: { ours: gatherings, baseline: distinctPairs, ratio: gatherings / distinctPairs },
      },
    ];
    console.log("");
    console.log(table(rows));
    if (!process.argv.includes("--no-write")) {
      const settings = {
        inputs: INPUT_RESOURCES,
        lookups: LOOKUP_RESOURCES,
        clusters: CLUSTERS,
        perCluster: PER_CLUSTER,
      };
      writeResults("policy", { settings, rows });
    }
  } finally {
    for (const pack of packs) await pack.stop();
    await emulator.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
