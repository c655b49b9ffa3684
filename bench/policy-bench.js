#!/usr/bin/env node
/**
 * Benchmark of the upgrade-guard policy pack through the REAL analyzer process
 * (`@pulumi/pulumi/cmd/run-policy-pack`), with the emulator answering the pack's lookups.
 * Not a test: it prints numbers, and compares them with targets and with a baseline measured in the
 * same run (Analyze of a resource no policy applies to), so a slow machine does not skew the verdict.
 *
 *   npm run build && node bench/policy-bench.js [--pack <dir>] [--inputs 1000] [--lookups 200] [--clusters 50]
 *
 * Phases:
 *   baseline  Analyze of a not-applicable resource (the cost of one Analyze round trip)
 *   inputs    N upgrade-guard ClusterUpgrade resources whose readiness is in their inputs (target <= 2 ms each)
 *   lookups   M third-party cluster resources over K clusters, versions changing, so the pack looks the
 *             clusters up in the emulator (target: one lookup per distinct cluster), sent 8 at a time
 *             as the engine sends them concurrently
 */
"use strict";
const path = require("node:path");
const { spawn } = require("node:child_process");
const { performance } = require("node:perf_hooks");

const root = path.resolve(__dirname, "..");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
// The same grpc-js and google-protobuf copies the generated stubs use.
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
const { Struct } = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }),
);
const { Empty } = require(
  require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiDir] }),
);
const analyzerPb = require(path.join(pulumiDir, "proto/analyzer_pb"));
const analyzerGrpc = require(path.join(pulumiDir, "proto/analyzer_grpc_pb"));
const { startEmulator } = require(path.join(root, "emulator/dist"));

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const PACK_DIR = path.resolve(option("pack", path.join(root, "policy-pack")));
const INPUT_RESOURCES = Number(option("inputs", "1000"));
const LOOKUP_RESOURCES = Number(option("lookups", "200"));
const CLUSTERS = Number(option("clusters", "50"));
const CONCURRENCY = 8;
const TARGET_MS_PER_INPUT_RESOURCE = 2;

const CCE_TOKEN = "pulumi-nodejs:dynamic/upgrade-guard/cce:ClusterUpgrade";
const ACK_TOKEN = "pulumi-nodejs:dynamic/upgrade-guard/ack:ClusterUpgrade";

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
          version: "v1.29.5-r0",
          targetVersions: ["v1.30"],
          outcomes: {
            "v1.30": {
              precheck: {
                items: [{ name: "NodeOSVersion", group: "NodeCheck", level: "Warning", message: "kernel" }],
              },
            },
          },
          history: { cce: { prechecks: [{ targetVersion: "v1.30", createdAgo: "5m" }] } },
        },
      },
      {
        count: count - half,
        template: {
          cloud: "ack",
          name: "bench-ack-{i}",
          version: "1.31.1-aliyun.1",
          targetVersions: ["1.32.1-aliyun.1"],
          outcomes: {
            "1.32.1-aliyun.1": {
              check: {
                items: [
                  { name: "VSwitchIPs", group: "ClusterResource", level: "warning", message: "few IPs" },
                ],
              },
            },
          },
          history: {
            ack: { checks: [{ type: "ClusterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "5m" }] },
          },
        },
      },
    ],
  };
}

function startPack(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(pulumiDir, "cmd/run-policy-pack"), "127.0.0.1:0", PACK_DIR],
      { cwd: PACK_DIR, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the pack printed no port in 30 s:\n${out}`)), 30_000);
    child.stderr.on("data", (chunk) => (out += chunk));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && child.port === undefined) {
        clearTimeout(timer);
        child.port = Number(line.trim());
        if (!Number.isInteger(child.port)) return reject(new Error(`not a port: ${line}`));
        const client = new analyzerGrpc.AnalyzerClient(
          `127.0.0.1:${child.port}`,
          grpc.credentials.createInsecure(),
        );
        resolve({ child, client, output: () => out });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (child.port === undefined) reject(new Error(`the pack exited with ${code}:\n${out}`));
    });
  });
}

function call(client, method, request) {
  return new Promise((resolve, reject) =>
    client[method](request, { deadline: new Date(Date.now() + 120_000) }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

function request(type, name, props) {
  const r = new analyzerPb.AnalyzeRequest();
  r.setType(type);
  r.setName(name);
  r.setUrn(`urn:pulumi:bench::bench::${type}::${name}`);
  r.setProperties(Struct.fromJavaScript(props));
  r.setOptions(new analyzerPb.AnalyzerResourceOptions());
  return r;
}

/** Sends the requests `concurrency` at a time; returns each call's duration (ms) and the wall time. */
async function timeAll(client, requests, concurrency) {
  const durations = [];
  const diagnostics = [];
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < requests.length) {
      const r = requests[next++];
      const t0 = performance.now();
      const response = await call(client, "analyze", r);
      durations.push(performance.now() - t0);
      for (const d of response.getDiagnosticsList()) diagnostics.push(d);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { durations, wallMs: performance.now() - started, diagnostics };
}

function report(label, result, baselineMedian) {
  const m = median(result.durations);
  console.log(
    `${label.padEnd(10)} n=${String(result.durations.length).padStart(5)}  median ${m.toFixed(3)} ms  ` +
      `p95 ${percentile(result.durations, 95).toFixed(3)} ms  wall/resource ${(result.wallMs / result.durations.length).toFixed(3)} ms` +
      (baselineMedian === undefined ? "" : `  (${(m / baselineMedian).toFixed(2)}x baseline)`),
  );
  return m;
}

async function main() {
  const emulator = await startEmulator({ scenario: scenario(CLUSTERS), requestLogLimit: 1_000_000 });
  let pack;
  try {
    const clusters = emulator.control.clusters();
    const env = {
      UPGRADE_GUARD_ENDPOINT: emulator.url,
      HUAWEICLOUD_SDK_AK: "UGEMU-HW-AK",
      HUAWEICLOUD_SDK_SK: "ugemu-hw-sk",
      HUAWEICLOUD_SDK_PROJECT_ID: "ugemuproject0000000000000000000a",
      HW_REGION_NAME: "cn-north-4",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "UGEMU-ALI-AK",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "ugemu-ali-sk",
      ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    };
    pack = await startPack(env);
    const info = await call(pack.client, "getAnalyzerInfo", new Empty());
    console.log(
      `pack ${info.getName()}@${info.getVersion()} (${PACK_DIR}), emulator ${emulator.url}, node ${process.version}`,
    );

    // Warm up the process (module loading, JIT), outside every measurement.
    await timeAll(
      pack.client,
      Array.from({ length: 200 }, (_, i) =>
        request("random:index/randomPet:RandomPet", `w${i}`, { length: 2 }),
      ),
      1,
    );

    const baseline = await timeAll(
      pack.client,
      Array.from({ length: INPUT_RESOURCES }, (_, i) =>
        request("random:index/randomPet:RandomPet", `pet${i}`, { length: 2 }),
      ),
      1,
    );
    const baselineMedian = report("baseline", baseline);

    const observedAt = new Date().toISOString();
    const expiresAt = new Date(Date.now() + 50 * 60_000).toISOString();
    const inputRequests = Array.from({ length: INPUT_RESOURCES }, (_, i) => {
      const cce = i % 2 === 0;
      const cluster = clusters[i % clusters.length];
      return request(cce ? CCE_TOKEN : ACK_TOKEN, `upgrade${i}`, {
        clusterId: cluster.id,
        currentVersion: cce ? "v1.29.5-r0" : "1.31.1-aliyun.1",
        targetVersion: cce ? "v1.30" : "1.32.1-aliyun.1",
        readiness: {
          checkId: `chk-${i}`,
          worstSeverity: "warning",
          verdict: "ready",
          observedAt,
          expiresAt,
          digest: `sha256:${"0".repeat(64)}`,
        },
        __provider: "exports.handler = function () { /* serialized dynamic provider */ };".repeat(20),
      });
    });
    emulator.control.clearRequests();
    const inputs = await timeAll(pack.client, inputRequests, 1);
    const inputsCalls = emulator.control.requests({ limit: 1_000_000 }).length;
    const inputsMedian = report("inputs", inputs, baselineMedian);
    const blockedInputs = inputs.diagnostics.filter((d) => d.getEnforcementlevel() === 1).length;

    const lookupRequests = Array.from({ length: LOOKUP_RESOURCES }, (_, i) => {
      const cluster = clusters[i % clusters.length];
      return cluster.cloud === "cce"
        ? request("huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", `hw${i}`, {
            clusterId: cluster.id,
            targetVersion: "v1.30",
            strategy: { type: "inPlaceRollingUpdate" },
          })
        : request("alicloud:cs/managedKubernetes:ManagedKubernetes", `ali${i}`, {
            name: cluster.name,
            version: "1.32.1-aliyun.1",
          });
    });
    emulator.control.clearRequests();
    const lookups = await timeAll(pack.client, lookupRequests, CONCURRENCY);
    const log = emulator.control.requests({ limit: 1_000_000 });
    const lookupMedian = report("lookups", lookups, baselineMedian);

    const byOperation = {};
    for (const entry of log)
      byOperation[entry.operation ?? entry.path] = (byOperation[entry.operation ?? entry.path] ?? 0) + 1;
    const distinct = new Set(lookupRequests.map((_, i) => clusters[i % clusters.length].id)).size;
    // A cluster is "looked up" once per list of its checks (the per-cluster call every lookup makes).
    const checkLists = (byOperation["ListPreCheckTasks"] ?? 0) + (byOperation["ListClusterChecks"] ?? 0);
    const mandatory = lookups.diagnostics.filter((d) => d.getEnforcementlevel() === 1).length;

    console.log("");
    console.log(
      `API calls during 'inputs': ${inputsCalls} (for ${INPUT_RESOURCES} resources); mandatory violations: ${blockedInputs}`,
    );
    console.log(
      `API calls during 'lookups': ${log.length} for ${LOOKUP_RESOURCES} resources over ${distinct} clusters`,
    );
    console.log(`  by operation: ${JSON.stringify(byOperation)}`);
    console.log(
      `  check lists per distinct cluster: ${(checkLists / distinct).toFixed(2)}; calls per cluster: ${(log.length / distinct).toFixed(2)}`,
    );
    console.log(
      `  mandatory violations: ${mandatory} (the ACK mapping decides whether warning-only checks pass)`,
    );
    console.log("");
    const inputsOk = inputsMedian <= TARGET_MS_PER_INPUT_RESOURCE;
    console.log(
      `target: <= ${TARGET_MS_PER_INPUT_RESOURCE} ms per resource with readiness in inputs: ${inputsOk ? "MET" : "MISSED"} (median ${inputsMedian.toFixed(3)} ms; ${(inputsMedian - baselineMedian).toFixed(3)} ms above the round trip)`,
    );
    console.log(
      `target: one lookup per distinct cluster: ${checkLists === distinct ? "MET" : "MISSED"} (${checkLists} check lists for ${distinct} clusters)`,
    );
    console.log(
      `lookups: median ${lookupMedian.toFixed(3)} ms per resource (${(lookupMedian / baselineMedian).toFixed(1)}x baseline), transport rate limit included`,
    );
  } finally {
    if (pack !== undefined) {
      pack.client.close();
      pack.child.kill("SIGTERM");
    }
    await emulator.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
