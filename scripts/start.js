#!/usr/bin/env node
// `npm start`: with arguments, the `upgrade-guard` command (`npm start -- check ...`); without, the
// demo a newcomer sees first, offline against the embedded emulator: the fleet readiness report, then
// a policy-enforced preview of examples/guarded-upgrade (stack `blocked`) stopped by the pack, then
// what to do next. The demo exits 0 when everything behaved as designed (the preview WAS blocked).
const path = require("node:path");
const { run, EXIT } = require("../cli/dist/index.js");

const root = path.resolve(__dirname, "..");
const context = { env: process.env, stdout: process.stdout, stderr: process.stderr };
const say = (text) => process.stdout.write(`${text}\n`);

async function demo() {
  say("== 1/3  Fleet readiness: every cluster, for its next version (upgrade-guard report)\n");
  const report = await run(["report"], context);
  if (report !== EXIT.ready) return report;
  const example = path.join("examples", "guarded-upgrade");
  say(`\n== 2/3  A Pulumi preview of ${example} (stack blocked) under the policy pack`);
  say(`        upgrade-guard preview --cwd ${example} --stack blocked --policy-pack policy-pack\n`);
  const preview = await run(
    [
      "preview",
      "--cwd",
      path.join(root, example),
      "--stack",
      "blocked",
      "--policy-pack",
      path.join(root, "policy-pack"),
    ],
    context,
  );
  if (preview !== EXIT.blocked) {
    process.stderr.write(
      `demo: the preview of the blocked stack exited ${preview}, not ${EXIT.blocked} (blocked)\n`,
    );
    return preview === EXIT.ready ? 1 : preview;
  }
  say("\n== 3/3  What next");
  say(
    "  - The pack blocked both upgrades: their clusters' latest checks have Fatal findings (listed above).",
  );
  say("    Fix the findings, run the vendor's check again, and preview again.");
  say(
    `  - The same program on clean clusters passes:  npm start -- preview --cwd ${example} --stack ready --policy-pack policy-pack`,
  );
  say(
    "  - A CI gate for one cluster:                  npm start -- check --cloud cce --cluster cce-ready --target v1.30",
  );
  say(
    "  - Against the real clouds: set the vendors' credential variables (see README.md); nothing else changes.",
  );
  return EXIT.ready;
}

const args = process.argv.slice(2);
(args.length === 0 ? demo() : run(args, context)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `upgrade-guard: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
