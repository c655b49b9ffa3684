#!/usr/bin/env node
/**
 * Serialized provider bytes per resource (issue 14). Not a test. Every dynamic resource carries its
 * provider serialized by `@pulumi/pulumi`'s `serializeFunction` in `__provider` (twice in state), so
 * its size is paid per resource. Measured for each of the SDK's providers, against a minimal dynamic
 * provider (one `create`) serialized the same way. Target: <= 1.5 KB (the budget in sdk/src/providers.ts).
 *
 *   npm run build && node bench/serialize.js [--no-write]
 */
"use strict";
const path = require("node:path");
const { met, table, writeResults } = require("./lib/report");

const root = path.resolve(__dirname, "..");
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [root] }));
const sdk = require(path.join(root, "sdk/dist"));
const BUDGET = 1536;

/** Bytes of `provider` serialized as the dynamic resource does (a local, so no module is captured). */
async function bytes(provider) {
  const p = provider;
  const { text } = await pulumi.runtime.serializeFunction(() => p, { allowSecrets: true });
  return Buffer.byteLength(text);
}

async function run() {
  const minimal = await bytes({
    async create(inputs) {
      return { id: "id", outs: inputs };
    },
  });
  const names = Object.keys(sdk).filter((name) => name.endsWith("Provider"));
  const sizes = {};
  for (const name of names) sizes[name] = await bytes(sdk[name]);
  const values = Object.values(sizes);
  const largest = Math.max(...values);
  return [
    {
      measure: `serialized provider bytes per resource (${names.length} providers)`,
      ours: `${largest} B largest (min ${Math.min(...values)} B)`,
      baseline: `${minimal} B minimal provider`,
      ratio: `${(largest / minimal).toFixed(2)}x`,
      target: `<= ${BUDGET} B`,
      met: met(largest <= BUDGET),
      values: { ours: largest, baseline: minimal, ratio: largest / minimal, sizes },
    },
  ];
}

if (require.main === module) {
  run().then((rows) => {
    console.log(table(rows));
    if (!process.argv.includes("--no-write")) writeResults("serialize", { rows });
    process.exit(0);
  });
}
module.exports = { run };
