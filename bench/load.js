#!/usr/bin/env node
/**
 * Module load time (issue 14). Not a test. Each figure is the time `require(...)` takes in a fresh
 * `node -e` child process (measured inside the child, so node's own start-up is left out), repeated
 * `--repeat` times with the cases interleaved; min and median are printed, targets use medians.
 *   ours      `@upgrade-guard/sdk`, the policy pack (`require(".")` with cwd policy-pack, as
 *             `cmd/run-policy-pack` loads it) and `@upgrade-guard/provider`
 *   baseline  `@pulumi/pulumi` / `@pulumi/policy` alone (what the program or pack loads anyway);
 *             `node:http` for the provider, which needs neither
 * Target: the SDK and the pack add at most 0.1 s over their baseline.
 *
 *   npm run build && node bench/load.js [--repeat 7] [--no-write]
 */
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { met, minMed, option, stats, table, writeResults } = require("./lib/report");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const REPEAT = option(args, "repeat", 7);
const TARGET_ADDED_MS = 100;

/** Milliseconds `require(id)` takes in a fresh process with the given cwd. */
function loadMs(id, cwd) {
  // exit at once: the pack's PolicyPack starts a gRPC server that would keep the child alive.
  const script =
    `const t=process.hrtime.bigint();require(${JSON.stringify(id)});` +
    `process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));process.exit(0)`;
  return Number(execFileSync(process.execPath, ["-e", script], { cwd, encoding: "utf8" }));
}

const CASES = [
  { measure: "load @upgrade-guard/sdk", ours: ["@upgrade-guard/sdk", root], base: ["@pulumi/pulumi", root] },
  {
    measure: "load the policy pack",
    ours: [".", path.join(root, "policy-pack")],
    base: ["@pulumi/policy", path.join(root, "policy-pack")],
  },
  {
    measure: "load @upgrade-guard/provider",
    ours: ["@upgrade-guard/provider", root],
    base: ["node:http", root],
    noTarget: true,
  },
];

function run() {
  const samples = CASES.map(() => ({ ours: [], base: [] }));
  for (let i = 0; i < REPEAT; i++) {
    CASES.forEach((c, k) => {
      samples[k].base.push(loadMs(...c.base));
      samples[k].ours.push(loadMs(...c.ours));
    });
  }
  const ms = (v) => `${v.toFixed(0)} ms`;
  return CASES.map((c, k) => {
    const ours = stats(samples[k].ours);
    const base = stats(samples[k].base);
    const added = ours.median - base.median;
    return {
      measure: c.measure,
      ours: minMed(ours, ms),
      baseline: `${minMed(base, ms)} ${c.base[0]}`,
      ratio: `+${added.toFixed(0)} ms (${(ours.median / base.median).toFixed(2)}x)`,
      target: c.noTarget ? "(reported)" : `<= +${TARGET_ADDED_MS} ms`,
      met: c.noTarget ? "" : met(added <= TARGET_ADDED_MS),
      values: { ours, baseline: base, addedMs: added, ratio: ours.median / base.median },
    };
  });
}

if (require.main === module) {
  const rows = run();
  console.log(`module load: ${REPEAT} fresh processes per case, node ${process.version}\n`);
  console.log(table(rows));
  if (!args.includes("--no-write")) writeResults("load", { settings: { repeat: REPEAT }, rows });
}
module.exports = { run };
