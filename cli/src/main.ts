#!/usr/bin/env node
/** The `upgrade-guard` command: `npm start` runs it (a readiness report, offline by default). */
import { run } from "./index";

run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // `run` reports its own failures; this is only reached when stderr itself failed, so say nothing.
    process.exitCode = 3;
  },
);
