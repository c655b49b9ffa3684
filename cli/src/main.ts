#!/usr/bin/env node
/** The `upgrade-guard` command: `npm start` runs it (a readiness report, offline by default). */
import { run } from "./index";

run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `upgrade-guard: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
