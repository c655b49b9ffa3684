#!/usr/bin/env node
/**
 * Runs every benchmark in turn (`npm run bench`, which builds first). Each one reports ratios against a
 * baseline it measures in the same run; none of them is a pass/fail test. Extra arguments are passed to
 * each benchmark (e.g. `npm run bench -- --seconds 2`).
 */
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const MINUTE = 60_000;
/** [title, file, timeout]: the fleet bench paces through the provider's 20 requests/s for ~20 min. */
const BENCHES = [
  ["emulator: signed requests per second, memory with 1,000 clusters", "emulator.js", 10 * MINUTE],
  ["policy pack: Analyze per resource, API calls per cluster", "policy-bench.js", 10 * MINUTE],
  [
    "fleet report: 200 and 1,000 clusters against the official-SDK loop and the concurrency bound",
    "fleet.js",
    45 * MINUTE,
  ],
];

let failed = 0;
for (const [title, file, timeout] of BENCHES) {
  process.stdout.write(`\n=== ${title} (bench/${file}) ===\n`);
  const result = spawnSync(process.execPath, [path.join(__dirname, file), ...process.argv.slice(2)], {
    stdio: "inherit",
    timeout,
  });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`bench/${file} ended with ${result.status ?? result.signal}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
