#!/usr/bin/env node
/**
 * Emulator benchmark (not a test: it reports, it does not assert unless --strict).
 *
 *   npx tsc -b emulator && node bench/emulator.js [--seconds 2] [--rounds 7] [--concurrency 32] [--strict]
 *
 * Starts the built emulator as a child process with the `many-clusters` scenario (1,000 clusters) and
 * a large request log, then drives sustained, freshly signed requests over keep-alive connections:
 *   - ACK GetClusterCheck signed with ACS3-HMAC-SHA256 (new date and nonce per request);
 *   - CCE ListAddonPrecheckTasks signed with SDK-HMAC-SHA256.
 * A bare node:http server answering a body of the same size (lib/bare-server.js, its own process like
 * the emulator) is measured with the same client in the same run, in rounds alternating with the
 * emulator's (`--rounds`, default 7, of `--seconds` 2 each), and the emulator's throughput is reported
 * as a ratio of it too (a machine-independent number): the median over rounds of each round's ratio. With `taskset` the client runs on core 0 and both servers on
 * core 1 (lib/pin.js). Memory is sampled from the emulator (/__emulator/stats) after a warm-up, after
 * the request log has filled, and at the end: with a capped log it must stay flat.
 * Target (issue 3): at least 3,000 requests per second on a 2-core machine.
 */
"use strict";
const { createHash, createHmac, randomBytes } = require("node:crypto");
const http = require("node:http");
const path = require("node:path");
const { pinSelf, startServer } = require("./lib/pin");
const { median, met, stats, table, writeResults } = require("./lib/report");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const SECONDS = option("seconds", 2);
const CONCURRENCY = option("concurrency", 32);
const ROUNDS = option("rounds", 7);
const STRICT = args.includes("--strict");
const WRITE = !args.includes("--no-write");
/** Issue 14: the emulator's throughput against the bare node:http server. */
const TARGET_RATIO = 0.9;
const TARGET_RPS = 3000;
const LOG_CAPACITY = 50_000;
const MAX_HEAP_GROWTH = 1.1;

const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest("hex");

function signAcs3(method, pathname, headers, secret, accessKeyId) {
  const names = Object.keys(headers)
    .filter((n) => n === "host" || n === "content-type" || n.startsWith("x-acs-"))
    .sort();
  const canonical = [
    method,
    pathname,
    "",
    names.map((n) => `${n}:${headers[n].trim()}\n`).join(""),
    names.join(";"),
    headers["x-acs-content-sha256"],
  ].join("\n");
  const signature = hmac(secret, `ACS3-HMAC-SHA256\n${sha256(canonical)}`);
  return `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${names.join(";")},Signature=${signature}`;
}

function signHuawei(method, pathname, query, headers, ak, sk) {
  const names = Object.keys(headers).sort();
  const canonical = [
    method,
    `${pathname}/`,
    query,
    names.map((n) => `${n}:${headers[n].trim()}\n`).join(""),
    names.join(";"),
    sha256(""),
  ].join("\n");
  const signature = hmac(sk, `SDK-HMAC-SHA256\n${headers["x-sdk-date"]}\n${sha256(canonical)}`);
  return `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
}

const EMPTY_SHA = sha256("");

function requestFactories(host, clusters, checks) {
  const ack = clusters.filter((c) => c.cloud === "ack");
  const cce = clusters.filter((c) => c.cloud === "cce");
  let i = 0;
  return {
    GetClusterCheck() {
      const cluster = ack[i++ % ack.length];
      const pathname = `/clusters/${cluster.id}/checks/${checks.get(cluster.id)}`;
      const headers = {
        host,
        "x-acs-action": "GetClusterCheck",
        "x-acs-version": "2015-12-15",
        "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        "x-acs-signature-nonce": randomBytes(16).toString("hex"),
        "x-acs-content-sha256": EMPTY_SHA,
      };
      headers.authorization = signAcs3("GET", pathname, headers, "ugemu-ali-sk", "UGEMU-ALI-AK");
      return { method: "GET", path: pathname, headers };
    },
    ListAddonPrecheckTasks() {
      const cluster = cce[i++ % cce.length];
      const pathname = `/api/v3/projects/${cluster.projectId}/clusters/${cluster.id}/addons/precheck/tasks`;
      const headers = {
        "content-type": "application/json",
        host,
        "x-project-id": cluster.projectId,
        "x-sdk-date": new Date()
          .toISOString()
          .replace(/[-:]/g, "")
          .replace(/\.\d{3}/, ""),
      };
      const authorization = signHuawei(
        "GET",
        pathname,
        "type=addonUpgrade",
        headers,
        "UGEMU-HW-AK",
        "ugemu-hw-sk",
      );
      return { method: "GET", path: `${pathname}?type=addonUpgrade`, headers: { ...headers, authorization } };
    },
  };
}

function call(agent, port, spec) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, agent, method: spec.method, path: spec.path, headers: spec.headers },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end();
  });
}

let ticksPerSecond;
/** CPU seconds the process `pid` has used (Linux /proc), or undefined where it cannot be read. */
function processCpuSeconds(pid) {
  try {
    ticksPerSecond ??=
      Number(require("node:child_process").execFileSync("getconf", ["CLK_TCK"]).toString()) || 100;
    const fields = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * Sustained load for `seconds`: `concurrency` loops, each sending the next request when the last one
 * ends. With the server's `pid`, also how busy the server and this client were: a server below
 * about 95% was waiting for the client, so its rate is the client's limit, not its own.
 */
async function drive(port, make, seconds, pid) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let ok = 0;
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const spec = make();
      const started = performance.now();
      try {
        const answer = await call(agent, port, spec);
        if (answer.status === 200) ok++;
        else failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  const serverBefore = pid === undefined ? undefined : processCpuSeconds(pid);
  const clientBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const serverAfter = pid === undefined ? undefined : processCpuSeconds(pid);
  const client = process.cpuUsage(clientBefore);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(2));
  return {
    requests: ok + failed,
    ok,
    failed,
    // Only successful answers count: a fast 401 or 500 is not throughput.
    rps: Math.round(ok / elapsed),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
    clientBusy: Number(((client.user + client.system) / 1e6 / elapsed).toFixed(2)),
    ...(serverBefore === undefined || serverAfter === undefined
      ? {}
      : {
          serverBusy: Number(((serverAfter - serverBefore) / elapsed).toFixed(2)),
          serverCpuUsPerRequest: Math.round(((serverAfter - serverBefore) * 1e6) / Math.max(1, ok + failed)),
        }),
  };
}

async function json(port, pathname) {
  const agent = new http.Agent();
  const answer = await call(agent, port, { method: "GET", path: pathname, headers: {} });
  agent.destroy();
  return JSON.parse(answer.body.toString());
}

function startEmulator() {
  const cli = path.resolve(__dirname, "..", "emulator", "dist", "cli.js");
  return startServer("the emulator", 1, [
    "--expose-gc",
    cli,
    "--port",
    "0",
    "--scenario",
    "many-clusters",
    "--request-log",
    String(LOG_CAPACITY),
  ]);
}

/** The baseline (lib/bare-server.js): a bare node:http server in its own process, no signatures checked. */
function startBaseline(size) {
  return startServer("the bare server", 1, [path.join(__dirname, "lib", "bare-server.js"), String(size)]);
}

/** The round with the median rate (its latencies are reported), and the rates of all rounds. */
function summarize(runs) {
  const byRate = [...runs].sort((a, b) => a.rps - b.rps);
  const middle = byRate[Math.floor((byRate.length - 1) / 2)];
  return {
    ...middle,
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    rates: stats(runs.map((r) => r.rps)),
    perRound: runs.map(({ rps, serverBusy, clientBusy, serverCpuUsPerRequest }) => ({
      rps,
      serverBusy,
      clientBusy,
      serverCpuUsPerRequest,
    })),
  };
}

/** `server 73 us CPU per request, busy 0.99, client busy 0.97` (medians over rounds), when measured. */
function cpuLine(summary) {
  const measured = summary.perRound.filter((r) => r.serverCpuUsPerRequest !== undefined);
  if (measured.length === 0) return "server CPU not measured (no /proc)";
  const mid = (key) => median(measured.map((r) => r[key]));
  return `server ${mid("serverCpuUsPerRequest")} us CPU per request, busy ${mid("serverBusy")}; client busy ${mid("clientBusy")}`;
}

const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main() {
  // The client (this process) on core 0, the servers on core 1, when taskset is there (lib/pin.js).
  const pinnedCores = pinSelf(0);
  const { child, port } = await startEmulator();
  try {
    const clusters = await json(port, "/__emulator/clusters");
    const state = await json(port, "/__emulator/state");
    const checks = new Map(state.state.ackChecks.map((c) => [c.clusterId, c.id]));
    const make = requestFactories(`127.0.0.1:${port}`, clusters, checks);

    const heapStats = () => json(port, "/__emulator/stats?gc=true");
    // Signed ACK requests sent so far: each claims a nonce (Huawei's signatures carry none).
    let nonceClaims = 0;
    const driveAck = async (seconds, pid) => {
      const run = await drive(port, make.GetClusterCheck, seconds, pid);
      nonceClaims += run.requests;
      return run;
    };
    // Warm-up (JIT, sockets).
    await driveAck(1);
    const warm = await heapStats();
    // Throughput in alternating rounds (emulator, bare server, emulator), both servers in their own
    // process on the same core, so a slow spell of the shared host falls on both sides alike.
    const sample = await call(new http.Agent(), port, make.GetClusterCheck());
    const baseline = await startBaseline(sample.body.length);
    const runs = { GetClusterCheck: [], ListAddonPrecheckTasks: [], bare: [] };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        runs.GetClusterCheck.push(await driveAck(SECONDS, child.pid));
        // The same signed requests, so both sides pay the client's signing on this machine's cores.
        runs.bare.push(await drive(baseline.port, make.GetClusterCheck, SECONDS, baseline.child.pid));
        runs.ListAddonPrecheckTasks.push(await drive(port, make.ListAddonPrecheckTasks, SECONDS, child.pid));
      }
    } finally {
      baseline.child.kill("SIGTERM");
    }
    const results = {
      GetClusterCheck: summarize(runs.GetClusterCheck),
      ListAddonPrecheckTasks: summarize(runs.ListAddonPrecheckTasks),
    };
    const bare = summarize(runs.bare);
    // Each round's emulator rate over the bare rate of the same round (its neighbour in time), then
    // the median of those: the shared host's speed drifts over tens of seconds, and a ratio of two
    // medians taken from different moments carried that drift (0.49x and 1.01x in two runs of the
    // same build), where a ratio within each round cancels it.
    const ratios = Object.fromEntries(
      Object.keys(results).map((name) => [
        name,
        stats(runs[name].map((run, round) => Number((run.rps / runs.bare[round].rps).toFixed(3)))),
      ]),
    );
    // Fill the request log and the nonce cache first, so later samples measure a steady state: from
    // here on memory must stay flat. Full is not yet steady: the nonce cache's Map (V8's ordered hash
    // table) keeps deleted slots until its table fills, then doubles once (about 7 MiB at 200,000
    // nonces) and stays that size; measured in plain Node, a Map churned like the cache steps once
    // at about 262,000 insertions and is flat to 800,000. So the fill also waits until every nonce
    // has been replaced once (twice the capacity claimed).
    let filled = await heapStats();
    const full = (s) =>
      s.requestLog.size >= s.requestLog.capacity &&
      s.nonceCache.size >= s.nonceCache.capacity &&
      nonceClaims >= 2 * s.nonceCache.capacity;
    for (let guard = 0; guard < 100 && !full(filled); guard++) {
      await driveAck(1);
      filled = await heapStats();
    }
    const claimedAtFill = nonceClaims;
    const samples = [filled];
    const extra = [];
    for (let round = 0; round < ROUNDS; round++) {
      extra.push(await driveAck(SECONDS));
      samples.push(await heapStats());
    }

    const report = {
      machine: { cpus: require("node:os").cpus().length, node: process.version },
      settings: {
        seconds: SECONDS,
        rounds: ROUNDS,
        pinned: pinnedCores,
        concurrency: CONCURRENCY,
        clusters: clusters.length,
        requestLogCapacity: LOG_CAPACITY,
      },
      results,
      extraGetClusterCheckRounds: extra.map((r) => r.rps),
      baselineBareHttp: bare,
      ratioToBaseline: Object.fromEntries(
        Object.entries(ratios).map(([k, v]) => [k, Number(v.median.toFixed(2))]),
      ),
      // Heap after a forced GC: warm-up, after the measured runs, then after each further round.
      memoryMiB: [warm, ...samples].map((s, i) => ({
        sample: i === 0 ? "warm" : i === 1 ? "after filling the request log" : `after round ${i - 1}`,
        heapUsed: mb(s.memory.heapUsed),
        rss: mb(s.memory.rss),
        requestLog: s.requestLog.size,
      })),
    };
    const rows = Object.entries(results).map(([name, v]) => {
      const ratio = ratios[name].median;
      return {
        measure: `emulator throughput ${name}`,
        ours: `${v.rates.median} req/s (min ${v.rates.min}; p50 ${v.p50ms} ms, ${v.failed} failed)`,
        baseline: `${bare.rates.median} req/s (min ${bare.rates.min}) bare node:http`,
        ratio: `${ratio.toFixed(2)}x (min ${ratios[name].min.toFixed(2)}x)`,
        target: `>= ${TARGET_RATIO}x, >= ${TARGET_RPS} req/s`,
        met: met(ratio >= TARGET_RATIO && v.rates.median >= TARGET_RPS && v.failed === 0),
        values: { ours: v.rates, baseline: bare.rates, ratio, ratios: ratios[name] },
      };
    });
    console.log(table(rows));
    if (WRITE) writeResults("emulator", { settings: report.settings, rows, extra: report });
    // Heap after the fill versus the largest heap sampled later; GC noise stays well under 10 %.
    const heapAfterFill = samples[0].memory.heapUsed;
    const heapLater = Math.max(...samples.slice(1).map((s) => s.memory.heapUsed));
    const growth = heapLater / heapAfterFill;
    const flat = full(samples[0]) && growth <= MAX_HEAP_GROWTH;
    process.stderr.write(
      `memory flat: ${flat ? "yes" : "no"} (heap ${mb(heapAfterFill)} MiB after filling the request log ` +
        `(${samples[0].requestLog.size}/${samples[0].requestLog.capacity}) and the nonce cache ` +
        `(${samples[0].nonceCache.size}/${samples[0].nonceCache.capacity}, turned over: ${claimedAtFill} nonces claimed), at most ${mb(heapLater)} MiB over ` +
        `${samples.length - 1} further rounds; growth ratio ${growth.toFixed(3)}, limit ${MAX_HEAP_GROWTH})\n`,
    );
    const below = Object.entries(results).filter(
      ([name, v]) => v.rates.median < TARGET_RPS || v.failed > 0 || ratios[name].median < TARGET_RATIO,
    );
    process.stderr.write(`bare node:http: ${cpuLine(bare)} (medians of ${ROUNDS} rounds)\n`);
    for (const [name, v] of Object.entries(results)) {
      process.stderr.write(`${name}: ${cpuLine(v)}\n`);
      process.stderr.write(
        `${name}: ${v.rates.median} req/s median of ${ROUNDS} (p50 ${v.p50ms} ms, p99 ${v.p99ms} ms, ${v.failed} failed) — target ${TARGET_RPS}: ${v.rates.median >= TARGET_RPS && v.failed === 0 ? "met" : v.failed > 0 ? "NOT met (requests failed)" : "NOT met"}\n`,
      );
    }
    if (STRICT && (below.length > 0 || !flat)) process.exitCode = 1;
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
