/**
 * `require("@upgrade-guard/sdk")` loads neither zod nor undici nor the provider's implementation (issue
 * 14: a program's load, paid on every `pulumi preview`, adds little to @pulumi/pulumi's); the SDK loads
 * them when a resource or data function first needs them. A fresh node process on the compiled dist/
 * (run `npm run build` first), as a Pulumi program loads the SDK.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** Every module file in require.cache of a fresh process after `script` (awaited) ran. */
function modulesAfter(script: string): string[] {
  const out = execFileSync(
    process.execPath,
    [
      "-e",
      `(async () => { ${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache))); process.exit(0); })()`,
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  return JSON.parse(out) as string[];
}

const relativeToProvider = (files: string[]): string[] =>
  files
    .map((file) =>
      path
        .relative(path.join(ROOT, "provider", "dist"), file)
        .split(path.sep)
        .join("/"),
    )
    .filter((file) => !file.startsWith(".."))
    .sort();

it("require('@upgrade-guard/sdk') loads no zod, no undici, and of the provider only the configuration keys", () => {
  const loaded = modulesAfter(`require("@upgrade-guard/sdk")`);
  expect(loaded.filter((file) => /[\\/]node_modules[\\/](zod|undici)[\\/]/.test(file))).toEqual([]);
  // The `upgrade-guard:*` key list (config-keys) and what it is derived from: the field tables and
  // the redaction registry that secret keys are registered with. Nothing that validates or sends.
  expect(relativeToProvider(loaded)).toEqual([
    "auth/fields.js",
    "config-keys.js",
    "internal/redact.js",
    "pulumi/shared/settings.js",
  ]);
});

it("the first data function call loads the implementation, and with it zod", () => {
  // Arguments that fail validation, so no request is sent: the call still needs the implementation.
  const loaded = modulesAfter(
    `await require("@upgrade-guard/sdk").cce.getPrecheck({}).then(
       () => { throw new Error("empty arguments were accepted"); },
       (error) => { if (!/clusterId/.test(error.message)) throw error; })`,
  );
  expect(loaded.some((file) => /[\\/]node_modules[\\/]zod[\\/]/.test(file))).toBe(true);
  expect(relativeToProvider(loaded)).toContain("impl.js");
});
