// The architecture rules live in eslint.config.mjs; this proves they fire, so a config edit that
// silently disables one fails the build. Runs the real ESLint over in-memory snippets, in a child
// process because jest cannot load the ESM config file without experimental VM modules.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

const cases = {
  "undici outside transport": [
    "provider/src/clients/x.ts",
    'import { request } from "undici";\nexport const r = request;\n',
  ],
  "global fetch": ["provider/src/transport/x.ts", "export const f = () => fetch('http://x');\n"],
  "fetch through globalThis": [
    "provider/src/clients/x.ts",
    "export const f = () => globalThis.fetch('http://x');\n",
  ],
  "fetch destructured from global": ["sdk/src/x.ts", "const { fetch: f } = global;\nexport const g = f;\n"],
  "transport importing auth": [
    "provider/src/transport/x.ts",
    'import { a } from "../auth/config";\nexport const b = a;\n',
  ],
  "auth importing clients": [
    "provider/src/auth/x.ts",
    'import { a } from "../clients/cce/client";\nexport const b = a;\n',
  ],
  "clients importing resources": [
    "provider/src/clients/cce/x.ts",
    'import { a } from "../../pulumi/shared/common";\nexport const b = a;\n',
  ],
  "transport importing functions": [
    "provider/src/transport/x.ts",
    'import { a } from "../pulumi/functions";\nexport const b = a;\n',
  ],
  "internal importing resources": [
    "provider/src/internal/x.ts",
    'import { a } from "../pulumi/shared/common";\nexport const b = a;\n',
  ],
  "resources importing functions": [
    "provider/src/pulumi/resources/x.ts",
    'import { a } from "../functions/cce";\nexport const b = a;\n',
  ],
  "functions importing resources": [
    "provider/src/pulumi/functions/x.ts",
    'import { a } from "../resources/common";\nexport const b = a;\n',
  ],
  "shared importing resources": [
    "provider/src/pulumi/shared/x.ts",
    'import { a } from "../resources/lifecycle";\nexport const b = a;\n',
  ],
  "functions using shared and readiness": [
    "provider/src/pulumi/functions/x.ts",
    'import { a } from "../shared/common";\nimport { b } from "../../readiness/facts";\nexport const c = [a, b];\n',
  ],
  "readiness importing the transport barrel": [
    "provider/src/readiness/x.ts",
    'import { createTransport } from "../transport";\nexport const b = createTransport;\n',
  ],
  "readiness importing resources": [
    "provider/src/readiness/x.ts",
    'import { a } from "../pulumi/shared/common";\nexport const b = a;\n',
  ],
  "clients importing readiness": [
    "provider/src/clients/cce/x.ts",
    'import { a } from "../../readiness/evaluate";\nexport const b = a;\n',
  ],
  "emulator importing provider logic": [
    "emulator/src/x.ts",
    'import { a } from "@upgrade-guard/provider";\nexport const b = a;\n',
  ],
  "undici inside transport": [
    "provider/src/transport/x.ts",
    'import { request } from "undici";\nexport const r = request;\n',
  ],
  "emulator using provider schemas": [
    "emulator/src/x.ts",
    'import { a } from "@upgrade-guard/provider/schemas";\nexport const b = a;\n',
  ],
  "clients importing auth": [
    "provider/src/clients/x.ts",
    'import { a } from "../auth/config";\nexport const b = a;\n',
  ],
  "readiness importing the package barrel": [
    "provider/src/readiness/x.ts",
    'import { a } from "..";\nexport const b = a;\n',
  ],
  "clients importing ../../index": [
    "provider/src/clients/cce/x.ts",
    'import { a } from "../../index";\nexport const b = a;\n',
  ],
  "resources importing @pulumi/pulumi": [
    "provider/src/pulumi/resources/x.ts",
    'import * as pulumi from "@pulumi/pulumi";\nexport const b = pulumi;\n',
  ],
  "clients importing @pulumi/pulumi": [
    "provider/src/clients/x.ts",
    'import * as pulumi from "@pulumi/pulumi";\nexport const b = pulumi;\n',
  ],
  "provider importing the SDK": [
    "provider/src/pulumi/functions/x.ts",
    'import { a } from "@upgrade-guard/sdk";\nexport const b = a;\n',
  ],
  "sdk importing the policy SDK": [
    "sdk/src/x.ts",
    'import { PolicyPack } from "@pulumi/policy";\nexport const b = PolicyPack;\n',
  ],
  "sdk importing the policy pack": [
    "sdk/src/x.ts",
    'import { a } from "@upgrade-guard/policy-pack/policies";\nexport const b = a;\n',
  ],
  "cli importing pulumi": ["cli/src/x.ts", 'import * as p from "@pulumi/pulumi";\nexport const b = p;\n'],
  "policies importing the SDK and the policy SDK": [
    "policy-pack/src/policies/x.ts",
    'import { a } from "@upgrade-guard/sdk";\nimport { b } from "@pulumi/policy";\nexport const c = [a, b];\n',
  ],
  "sdk importing pulumi": ["sdk/src/x.ts", 'import * as p from "@pulumi/pulumi";\nexport const b = p;\n'],
  "harness importing undici": [
    "harness/src/x.ts",
    'import { request } from "undici";\nexport const r = request;\n',
  ],
  "harness importing an upgrade-guard package": [
    "harness/src/x.ts",
    'import { a } from "@upgrade-guard/policy-pack/policies";\nexport const b = a;\n',
  ],
  "harness importing pulumi and the policy SDK": [
    "harness/src/x.ts",
    'import * as p from "@pulumi/pulumi";\nimport { PolicyPack } from "@pulumi/policy";\nexport const b = [p, PolicyPack];\n',
  ],
} as const;

const script = `
const { ESLint } = require("eslint");
const path = require("node:path");
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const cases = JSON.parse(process.argv[1]);
  const out = {};
  for (const [name, [file, code]] of Object.entries(cases)) {
    const [result] = await eslint.lintText(code, { filePath: path.join(process.cwd(), file) });
    out[name] = result.messages.map((m) => m.message);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

let messages: Record<keyof typeof cases, string[]>;
beforeAll(() => {
  const stdout = execFileSync(process.execPath, ["-e", script, JSON.stringify(cases)], {
    cwd: root,
    encoding: "utf8",
  });
  messages = JSON.parse(stdout);
}, 60_000);

describe("architecture lint rules", () => {
  it.each([
    ["undici outside transport", "Only provider/src/transport may import undici"],
    ["global fetch", "Use the transport"],
    ["fetch through globalThis", "Use the transport"],
    ["fetch destructured from global", "Use the transport"],
    ["transport importing auth", "transport is below auth"],
    ["auth importing clients", "auth is below clients"],
    ["clients importing readiness", "clients are below readiness"],
    ["emulator importing provider logic", "The emulator may use only"],
    ["clients importing resources", "clients are below readiness and the Pulumi implementation"],
    ["transport importing functions", "transport is below"],
    ["internal importing resources", "bottom layer"],
    ["readiness importing the transport barrel", "never raw HTTP"],
    ["readiness importing resources", "readiness is below the Pulumi implementation"],
    ["resources importing functions", "share code only through pulumi/shared"],
    ["functions importing resources", "share code only through pulumi/shared"],
    ["shared importing resources", "pulumi/shared is below resources and functions"],
    ["readiness importing the package barrel", "not a barrel"],
    ["clients importing ../../index", "not a barrel"],
    ["resources importing @pulumi/pulumi", "The provider package is below Pulumi"],
    ["clients importing @pulumi/pulumi", "The provider package is below Pulumi"],
    ["provider importing the SDK", "The provider package is below Pulumi"],
    ["sdk importing the policy SDK", "The SDK is below the policies"],
    ["sdk importing the policy pack", "The SDK is below the policies"],
    ["cli importing pulumi", "The CLI loads Pulumi only through @upgrade-guard/harness"],
    ["harness importing undici", "Only provider/src/transport may import undici"],
    ["harness importing an upgrade-guard package", "The harness is below upgrade-guard's packages"],
  ] as const)("rejects %s", (name, expected) => {
    expect(messages[name].some((m) => m.includes(expected))).toBe(true);
  });

  it.each([
    "undici inside transport",
    "emulator using provider schemas",
    "clients importing auth",
    "policies importing the SDK and the policy SDK",
    "sdk importing pulumi",
    "functions using shared and readiness",
    "harness importing pulumi and the policy SDK",
  ] as const)("allows %s", (name) => {
    expect(messages[name].filter((m) => m.includes("restricted"))).toEqual([]);
  });
});
