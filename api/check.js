#!/usr/bin/env node
// The public API of every package, checked with @microsoft/api-extractor against the reports in this
// folder (one per entry point of a package's `exports`). `npm run api` fails when the compiled
// declarations differ from the committed report: an API change must be reviewed by committing the
// new report, which `npm run api -- --update` writes. Needs a build first (it reads dist/*.d.ts); write
// reports from a clean build (`npm run clean && npm run build`), as CI's is: an incremental build may
// print the members of inferred types in another order.
const path = require("node:path");
const { Extractor, ExtractorConfig } = require("@microsoft/api-extractor");

const root = path.resolve(__dirname, "..");
const update = process.argv.includes("--update");
/** `--reports <dir>`: compare against reports elsewhere (the test of this check); `--only <folder>`. */
const option = (name) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const reportFolder = path.resolve(option("--reports") ?? __dirname);
const only = option("--only");

/** Package folder, the entry point's declaration file (under dist/), the report's name. */
const ENTRY_POINTS = [
  ["provider", "index", "provider.api.md"],
  ["provider", "impl", "provider-impl.api.md"],
  ["provider", "schemas", "provider-schemas.api.md"],
  ["provider", "config-keys", "provider-config-keys.api.md"],
  ["sdk", "index", "sdk.api.md"],
  ["sdk", "impl", "sdk-impl.api.md"],
  ["policy-pack", "policies/index", "policy-pack-policies.api.md"],
  ["emulator", "index", "emulator.api.md"],
  ["harness", "index", "harness.api.md"],
];

let failed = 0;
for (const [folder, entry, report] of ENTRY_POINTS.filter(
  ([folder]) => only === undefined || folder === only,
)) {
  const projectFolder = path.join(root, folder);
  const config = ExtractorConfig.prepare({
    configObjectFullPath: path.join(projectFolder, "api-extractor.json"),
    packageJsonFullPath: path.join(projectFolder, "package.json"),
    configObject: {
      projectFolder,
      mainEntryPointFilePath: path.join(projectFolder, "dist", `${entry}.d.ts`),
      compiler: { tsconfigFilePath: path.join(projectFolder, "tsconfig.json") },
      apiReport: {
        enabled: true,
        reportFileName: report,
        reportFolder,
        reportTempFolder: path.join(projectFolder, "dist", "api-temp"),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: "warning" } },
        // Release tags (@public, @beta) are not used: what a package's `exports` reach is its API.
        extractorMessageReporting: {
          default: { logLevel: "warning" },
          "ae-missing-release-tag": { logLevel: "none" },
          "ae-forgotten-export": { logLevel: "none" },
          "ae-unresolved-link": { logLevel: "none" },
          // Undocumented members are marked "(undocumented)" in the report, where a review sees them.
          "ae-undocumented": { logLevel: "none" },
        },
        tsdocMessageReporting: { default: { logLevel: "none" } },
      },
    },
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  const name = `${folder} (${entry})`;
  if (result.succeeded) {
    process.stdout.write(`api: ${name} matches ${path.relative(root, path.join(reportFolder, report))}\n`);
  } else if (result.apiReportChanged) {
    failed += 1;
    process.stderr.write(
      `api: the public API of ${name} changed: review the difference against ${path.relative(root, path.join(reportFolder, report))} ` +
        `(the new report is in ${path.relative(root, config.reportTempFolder)}) and run \`npm run api -- --update\` to accept it. ` +
        `If nothing public changed, the declarations may come from an incremental build (tsc prints inferred ` +
        `types in the order it met them): \`npm run clean && npm run build\`, then check again.\n`,
    );
  } else {
    failed += 1;
    process.stderr.write(`api: ${name}: ${result.errorCount} error(s), ${result.warningCount} warning(s)\n`);
  }
}
if (failed > 0) process.exitCode = 1;
