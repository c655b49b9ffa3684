/**
 * Starting the pack loads neither zod nor upgrade-guard's provider or SDK (issue 14: the pack's load
 * adds little to @pulumi/policy's); the first Analyze loads them. Fresh node processes on the
 * compiled dist/ (run `npm run build` first), as `cmd/run-policy-pack` loads the pack.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const HEAVY = /[\\/]node_modules[\\/]zod[\\/]|[\\/](provider|sdk)[\\/]dist[\\/]/;

/** The heavy modules loaded in a fresh process with cwd policy-pack/ after `script` ran. */
function heavyModulesAfter(script: string): string[] {
  const out = execFileSync(
    process.execPath,
    [
      "-e",
      `(async () => { ${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache))); process.exit(0); })()`,
    ],
    { cwd: PACK_DIR, encoding: "utf8" },
  );
  // The entry's gRPC server prints its port only once bound, after this script has exited.
  return (JSON.parse(out) as string[]).filter((file) => HEAVY.test(file));
}

it("require('.') (the pack's entry, which constructs the PolicyPack) loads no zod, provider or SDK module", () => {
  expect(heavyModulesAfter(`require(".")`)).toEqual([]);
});

it("the first validateResource of a lazy policy loads the library (and with it zod and the provider)", () => {
  const heavy = heavyModulesAfter(
    `const [cluster] = require("./dist/lazy-policies").lazyPolicies();
     const args = { type: "random:index/randomPet:RandomPet", name: "pet", props: {},
       getConfig: () => ({}), notApplicable: (reason) => { throw Object.assign(new Error(reason), { na: true }); } };
     await Promise.resolve().then(() => cluster.validateResource(args, () => {})).catch((e) => { if (!e.na) throw e; })`,
  );
  expect(heavy.some((file) => file.includes(`${path.sep}zod${path.sep}`))).toBe(true);
  expect(heavy.some((file) => /[\\/]provider[\\/]dist[\\/]/.test(file))).toBe(true);
});
