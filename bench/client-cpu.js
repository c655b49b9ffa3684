#!/usr/bin/env node
/**
 * Client CPU per signed call (issue 14). Not a test. The emulator runs in a child process, so only
 * the caller's CPU is counted: each case makes `--calls` sequential calls (after a warm-up, see the
 * two regimes below) in a fresh child process and reports `process.cpuUsage()` (user + system) per
 * call.
 *   ours      the provider's clients: ACK `getClusterCheck`, CCE `showCluster` (rate limits raised so
 *             no call waits)
 *   official  the vendors' SDKs (`@alicloud/cs20151215` getClusterCheck; the Huawei core SDK's
 *             `sendRequest` of ShowCluster), dev dependencies of the emulator package
 *   floor     bare undici (`request` on a keep-alive Agent) + the provider's signing functions +
 *             `JSON.parse`: what any signed client must spend
 *   dispatch  the same with undici's lower-level `dispatch` and a handler that gathers the body,
 *             which is how the provider's transport sends: printed beside the floor (no target) so
 *             the table shows what is left above the cheapest way undici offers
 * Targets: ours <= 0.7x official and <= 1.3x the floor, both clouds. With `taskset` (Linux) the
 * emulator runs on core 1 and every measured child on core 0 (lib/pin.js says why).
 *
 * Two regimes. "cold" (the targets' rows): the `--calls` right after the short warm-up, as a preview
 * or a fleet report of a few hundred clusters runs; V8 is still compiling the hot path then, on its
 * worker threads as well, and `process.cpuUsage()` counts those threads. "warm" (shown, no target):
 * the same calls after `--warm` more, when every case runs optimized code, so the rows say what a
 * call costs once compilation is done (a long waiter, a daemon) and how much of a cold row is V8's.
 *
 *   npm run build && node bench/client-cpu.js [--calls 3000] [--warm 3000] [--repeat 3] [--no-write]
 */
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { pinned, pinningAvailable, startServer } = require("./lib/pin");
const { met, minMed, option, stats, table, writeResults } = require("./lib/report");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const CALLS = option(args, "calls", 3000);
const REPEAT = option(args, "repeat", 3);
const WARMUP = 200;
const WARM = option(args, "warm", 3000);
const REGIMES = { cold: WARMUP, warm: WARMUP + WARM };
const TARGETS = { vsOfficial: 0.7, vsFloor: 1.3 };

const HW = {
  ak: "UGEMU-HW-AK",
  sk: "ugemu-hw-sk",
  projectId: "ugemuproject0000000000000000000a",
  region: "cn-north-4",
};
const ALI = { accessKeyId: "UGEMU-ALI-AK", accessKeySecret: "ugemu-ali-sk", region: "cn-hangzhou" };

// --- the child: one case, prints microseconds of CPU per call ------------------------------------

const fromEmulator = (id) => require(require.resolve(id, { paths: [path.join(root, "emulator")] }));

/**
 * A bare signed GET sender: undici's `request` (then `body.text()`), or `dispatch` with a handler
 * that gathers the chunks; either way the answer is `JSON.parse`d.
 */
function bareSender(style) {
  const { Agent, request } = require(require.resolve("undici", { paths: [path.join(root, "provider")] }));
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  if (style === "request")
    return async (target, headers) => {
      const answer = await request(target, { method: "GET", headers, dispatcher });
      if (answer.statusCode !== 200) throw new Error(`status ${answer.statusCode}`);
      return JSON.parse(await answer.body.text());
    };
  return (target, headers) => {
    const { origin, pathname, search } = new URL(target);
    return new Promise((resolve, reject) => {
      const chunks = [];
      let status = 0;
      dispatcher.dispatch(
        { origin, path: pathname + search, method: "GET", headers },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode) {
            status = statusCode;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            if (status !== 200) reject(new Error(`status ${status}`));
            else resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
          },
          onResponseError(_controller, error) {
            reject(error);
          },
        },
      );
    });
  };
}

function ackBare({ url, ack }, style) {
  const { signAcs3Request } = require(path.join(root, "provider/dist/auth/alibaba-signer.js"));
  const { randomUUID } = require("node:crypto");
  const send = bareSender(style);
  const target = `${url}/clusters/${ack.clusterId}/checks/${ack.checkId}`;
  const headers = {
    "x-acs-action": "GetClusterCheck",
    "x-acs-version": "2015-12-15",
    accept: "application/json",
  };
  return () =>
    send(
      target,
      signAcs3Request({ method: "GET", url: target, headers }, ALI, new Date(), randomUUID()).headers,
    );
}

function cceBare({ url, cce }, style) {
  const { signHuaweiRequest } = require(path.join(root, "provider/dist/auth/huawei-signer.js"));
  const send = bareSender(style);
  const target = `${url}/api/v3/projects/${HW.projectId}/clusters/${cce.clusterId}`;
  const headers = {
    "content-type": "application/json",
    host: new URL(url).host,
    "x-project-id": HW.projectId,
  };
  const credentials = { accessKey: HW.ak, secretKey: HW.sk };
  return () =>
    send(target, signHuaweiRequest({ method: "GET", url: target, headers }, credentials, new Date()).headers);
}

/** Each case returns an async function making one call. */
const CASES = {
  async "ack-ours"({ url, ack }) {
    const { createAckClient } = require(path.join(root, "provider/dist"));
    const client = createAckClient({
      ...ALI,
      endpoint: url,
      env: {},
      transport: { limits: { concurrency: 16, ratePerSecond: 1e6, burst: 1e6 } },
    });
    return () => client.getClusterCheck({ clusterId: ack.clusterId, checkId: ack.checkId });
  },
  async "ack-official"({ url, ack }) {
    const cs = fromEmulator("@alicloud/cs20151215");
    const { $OpenApiUtil } = fromEmulator("@alicloud/openapi-core");
    const client = new cs.default(
      new $OpenApiUtil.Config({
        ...ALI,
        regionId: ALI.region,
        endpoint: new URL(url).host,
        protocol: "http",
      }),
    );
    return () => client.getClusterCheck(ack.clusterId, ack.checkId);
  },
  "ack-floor": (context) => ackBare(context, "request"),
  "ack-dispatch": (context) => ackBare(context, "dispatch"),
  async "cce-ours"({ url, cce }) {
    const { createCceClient } = require(path.join(root, "provider/dist"));
    const client = createCceClient({
      accessKey: HW.ak,
      secretKey: HW.sk,
      projectId: HW.projectId,
      region: HW.region,
      endpoint: url,
      env: {},
      transport: { limits: { concurrency: 16, ratePerSecond: 1e6, burst: 1e6 } },
    });
    return () => client.showCluster({ clusterId: cce.clusterId });
  },
  async "cce-official"({ url, cce }) {
    const { ClientBuilder } = fromEmulator("@huaweicloud/huaweicloud-sdk-core/ClientBuilder");
    const { BasicCredentials } = fromEmulator("@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials");
    const { Logger4jInstance } = fromEmulator("@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger");
    Logger4jInstance.level = "off";
    const credentials = new BasicCredentials().withAk(HW.ak).withSk(HW.sk).withProjectId(HW.projectId);
    const client = new ClientBuilder((c) => c).withCredential(credentials).withEndpoint(url).build();
    return () =>
      client.sendRequest({
        method: "GET",
        url: "/api/v3/projects/{project_id}/clusters/{cluster_id}",
        contentType: "application/json",
        queryParams: {},
        pathParams: { cluster_id: cce.clusterId },
        headers: {},
      });
  },
  "cce-floor": (context) => cceBare(context, "request"),
  "cce-dispatch": (context) => cceBare(context, "dispatch"),
};

async function child(name, context) {
  const call = await CASES[name](context);
  for (let i = 0; i < context.warmup; i++) await call();
  const before = process.cpuUsage();
  for (let i = 0; i < context.calls; i++) await call();
  const used = process.cpuUsage(before);
  process.stdout.write(String((used.user + used.system) / context.calls));
  process.exit(0);
}

// --- the parent --------------------------------------------------------------------------------------

function startEmulator() {
  const cli = path.join(root, "emulator", "dist", "cli.js");
  return startServer("the emulator", 1, [cli, "--port", "0", "--scenario", "many-clusters"]);
}

async function targetsOf(url) {
  const get = async (p) => (await fetch(`${url}${p}`)).json();
  const clusters = await get("/__emulator/clusters");
  const state = await get("/__emulator/state");
  const check = state.state.ackChecks[0];
  const cce = clusters.find((c) => c.cloud === "cce");
  return { ack: { clusterId: check.clusterId, checkId: check.id }, cce: { clusterId: cce.id } };
}

async function run({ calls = CALLS, repeat = REPEAT, regimes = REGIMES } = {}) {
  const { child: emulator, url } = await startEmulator();
  try {
    const targets = await targetsOf(url);
    const samples = {};
    for (let i = 0; i < repeat; i++) {
      for (const [regime, warmup] of Object.entries(regimes)) {
        const context = { url, calls, warmup, ...targets };
        for (const name of Object.keys(CASES)) {
          const [command, argv] = pinned(0, [
            process.execPath,
            __filename,
            "--child",
            name,
            JSON.stringify(context),
          ]);
          const out = execFileSync(command, argv, {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            // A child that hangs (an emulator that stopped answering) fails the bench, not holds it.
            timeout: 5 * 60_000,
          });
          (samples[`${regime} ${name}`] ??= []).push(Number(out));
        }
      }
    }
    const us = (v) => `${v.toFixed(0)} us`;
    const rows = [];
    for (const regime of Object.keys(regimes)) {
      for (const cloud of ["ack", "cce"]) {
        const label = cloud === "ack" ? "ACK GetClusterCheck" : "CCE ShowCluster";
        // The cold rows keep the names earlier results files use; the warm ones say so.
        const prefix = regime === "cold" ? "client CPU/call" : "client CPU/call warm";
        const ours = stats(samples[`${regime} ${cloud}-ours`]);
        for (const [base, name, target] of [
          ["official", "official SDK", TARGETS.vsOfficial],
          ["floor", "bare floor", TARGETS.vsFloor],
          ["dispatch", "bare dispatch", undefined],
        ]) {
          const baseline = stats(samples[`${regime} ${cloud}-${base}`]);
          const ratio = ours.median / baseline.median;
          const judged = regime === "cold" && target !== undefined;
          rows.push({
            measure: `${prefix} ${label} vs ${name}`,
            ours: minMed(ours, us),
            baseline: minMed(baseline, us),
            ratio: `${ratio.toFixed(2)}x`,
            target: judged ? `<= ${target}x` : "(shown)",
            met: judged ? met(ratio <= target) : "",
            values: { ours, baseline, ratio },
          });
        }
      }
    }
    return rows;
  } finally {
    emulator.kill("SIGTERM");
  }
}

if (require.main === module) {
  if (args[0] === "--child") {
    child(args[1], JSON.parse(args[2])).catch((error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    });
  } else {
    run().then((rows) => {
      console.log(
        `client CPU: ${CALLS} sequential calls per case (cold: after ${WARMUP} of warm-up; warm: after ` +
          `${WARMUP + WARM}), ${REPEAT} repeat(s), fresh process each, ` +
          `${pinningAvailable() ? "client and emulator pinned to cores 0 and 1" : "unpinned (no taskset)"}\n`,
      );
      console.log(table(rows));
      if (!args.includes("--no-write"))
        writeResults("client-cpu", {
          settings: { calls: CALLS, warm: WARM, repeat: REPEAT, pinned: pinningAvailable() },
          rows,
        });
    });
  }
}
module.exports = { run };
