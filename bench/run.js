#!/usr/bin/env node
/**
 * Runs every benchmark (`npm run bench`, which builds first) and prints ONE table of their rows,
 * `measure | ours | baseline | ratio | target` (min and median over repetitions; ratios use medians),
 * written also to bench/results/bench.json and compared with the last run's file. Each benchmark
 * runs in its own process and leaves its rows in bench/results/<name>.json, which this reads. None
 * of them is a pass/fail test.
 *
 *   npm run bench [-- --quick] [-- --only load,client-cpu]
 *
 * `--quick` runs each with small settings (a smoke run of a minute or two, noisier figures).
 */
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { readResults, table, writeResults } = require("./lib/report");

const MINUTE = 60_000;
const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const onlyAt = args.indexOf("--only");
const ONLY = onlyAt >= 0 ? new Set(args[onlyAt + 1].split(",")) : undefined;

/** [name (results file), file, timeout, options, quick options]. */
const BENCHES = [
  ["serialize", "serialize.js", 2 * MINUTE, [], []],
  ["load", "load.js", 10 * MINUTE, [], ["--repeat", "3"]],
  ["waiter", "waiter.js", 2 * MINUTE, [], []],
  ["client-cpu", "client-cpu.js", 15 * MINUTE, [], ["--calls", "1000", "--warm", "1000", "--repeat", "1"]],
  ["emulator", "emulator.js", 10 * MINUTE, [], ["--seconds", "2", "--rounds", "1"]],
  ["policy", "policy-bench.js", 10 * MINUTE, [], ["--inputs", "100", "--lookups", "40", "--clusters", "10"]],
  // The fleet bench paces through the official-SDK loop for most of its ~20 min.
  ["fleet", "fleet.js", 45 * MINUTE, [], ["--clusters", "20", "--skip-large", "--repeat", "1"]],
];

const rows = [];
const failed = [];
for (const [name, file, timeout, options, quick] of BENCHES) {
  if (ONLY !== undefined && !ONLY.has(name)) continue;
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(__dirname, file), ...(QUICK ? quick : options)], {
    stdio: "inherit",
    timeout,
  });
  const results = readResults(name);
  if (result.status !== 0 || results === undefined || Date.parse(results.generatedAt) < started) {
    failed.push(file);
    process.stdout.write(`bench/${file} ended with ${result.status ?? result.signal}\n`);
    continue;
  }
  rows.push(...results.rows);
}

process.stdout.write(`\n=== all benchmarks${QUICK ? " (--quick)" : ""} ===\n\n${table(rows)}\n\n`);
if (failed.length > 0) process.stdout.write(`failed: ${failed.join(", ")}\n`);
writeResults("bench", { settings: { quick: QUICK, only: ONLY === undefined ? null : [...ONLY] }, rows });
process.exitCode = failed.length === 0 ? 0 : 1;
