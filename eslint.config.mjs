// Lint rules that guard the architecture, not just style:
// - undici is imported only by provider/src/transport (one module owns HTTP);
// - the global fetch is banned everywhere (it would bypass the transport's retries, limits and redaction);
// - imports flow one way: internal <- transport <- auth <- clients <- readiness <- resources/functions
//   (provider) <- sdk <- policy-pack; the provider never loads @pulumi/* nor the packages above it, the
//   SDK never loads the policy SDK, no layer reaches a barrel (`..`, `../index`) that would bypass these
//   rules, and the emulator may use only the provider's public schemas;
// - the harness (Pulumi's plugin processes and policy handlers, for tests) loads @pulumi/* but none of
//   upgrade-guard's packages, whose tests use it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const layer = (files, patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns }] },
});
const UNDICI = { group: ["undici", "undici/*"], message: "Only provider/src/transport may import undici." };
const ban = (group, message) => ({ group, message });
/** What no file of provider/src may import, on top of its own layer's rule. */
const PROVIDER_BELOW_PULUMI = ban(
  ["@pulumi/*", "@upgrade-guard/sdk*", "@upgrade-guard/policy-pack*"],
  "The provider package is below Pulumi: it never loads @pulumi/* nor the SDK or the policy pack.",
);
/** A barrel (`..`, `../..`, `../index`) re-exports every layer, so importing it bypasses the layer rules. */
const NO_BARREL = {
  regex: "^(\\.\\./)*\\.\\.(/index(\\.js|\\.ts)?)?$",
  message: "Import the module itself, not a barrel (.., ../index): a barrel re-exports the layers above.",
};
const providerLayer = (files, patterns) => layer(files, [PROVIDER_BELOW_PULUMI, NO_BARREL, ...patterns]);

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "coverage/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "Use the transport (provider/src/transport)." },
      ],
      // The same fetch reached through the global object (`globalThis.fetch`, `const { fetch } = global`).
      "no-restricted-properties": [
        "error",
        ...["globalThis", "global", "self", "window"].map((object) => ({
          object,
          property: "fetch",
          message: "Use the transport (provider/src/transport).",
        })),
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [UNDICI] }],
    },
  },
  providerLayer(["provider/src/**"], [UNDICI]),
  layer(
    ["sdk/src/**"],
    [
      UNDICI,
      ban(
        ["@pulumi/policy", "@pulumi/policy/*", "@upgrade-guard/policy-pack*"],
        "The SDK is below the policies: it never loads @pulumi/policy or the policy pack.",
      ),
    ],
  ),
  layer(
    ["cli/src/**"],
    [
      UNDICI,
      ban(["@pulumi/*"], "The CLI loads Pulumi only through @upgrade-guard/harness, for preview and up."),
    ],
  ),
  layer(
    ["harness/src/**"],
    [
      UNDICI,
      ban(
        ["@upgrade-guard/*"],
        "The harness is below upgrade-guard's packages (their tests use it): it never loads them.",
      ),
    ],
  ),
  providerLayer(
    ["provider/src/internal/**", "provider/src/errors.ts"],
    [
      UNDICI,
      ban(
        [
          "../transport*",
          "../auth*",
          "../clients*",
          "../readiness*",
          "./transport*",
          "./auth*",
          "./clients*",
          "./readiness*",
          "../pulumi*",
          "../impl*",
          "./pulumi*",
          "./impl*",
        ],
        "internal/ and errors.ts are the bottom layer.",
      ),
    ],
  ),
  providerLayer(
    ["provider/src/transport/**"],
    [
      ban(
        ["../auth*", "../clients*", "../readiness*", "../pulumi*", "../impl*"],
        "transport is below auth, clients, readiness and the Pulumi implementation.",
      ),
    ],
  ),
  providerLayer(
    ["provider/src/auth/**"],
    [
      UNDICI,
      ban(
        ["../clients*", "../readiness*", "../pulumi*", "../impl*"],
        "auth is below clients, readiness and the Pulumi implementation.",
      ),
    ],
  ),
  providerLayer(
    ["provider/src/clients/**"],
    [
      UNDICI,
      ban(
        ["../../readiness*", "../readiness*", "../../pulumi*", "../../impl*", "../pulumi*"],
        "clients are below readiness and the Pulumi implementation.",
      ),
    ],
  ),
  providerLayer(
    ["provider/src/readiness/**"],
    [
      UNDICI,
      {
        regex: "^\\.\\./(transport(/index.*|/transport.*)?|auth(/.*)?)$",
        message:
          "readiness gets data through clients, never raw HTTP (it may use transport's clock and types).",
      },
      ban(["../pulumi*", "../impl*"], "readiness is below the Pulumi implementation."),
    ],
  ),
  // The Pulumi implementation: resources and functions share code only through pulumi/shared and the
  // layers below, never each other.
  providerLayer(
    ["provider/src/pulumi/shared/**"],
    [
      UNDICI,
      ban(
        ["../resources*", "../functions*", "../../impl*"],
        "pulumi/shared is below resources and functions.",
      ),
    ],
  ),
  providerLayer(
    ["provider/src/pulumi/resources/**"],
    [
      UNDICI,
      ban(["../functions*", "../../impl*"], "Resources and functions share code only through pulumi/shared."),
    ],
  ),
  providerLayer(
    ["provider/src/pulumi/functions/**"],
    [
      UNDICI,
      ban(["../resources*", "../../impl*"], "Resources and functions share code only through pulumi/shared."),
    ],
  ),
  layer(
    ["emulator/src/**"],
    [
      UNDICI,
      {
        regex: "^@upgrade-guard/provider(?!/schemas$)(/.*)?$",
        message:
          "The emulator may use only @upgrade-guard/provider/schemas: it must not share the client's logic.",
      },
      ban(["@upgrade-guard/sdk*"], "The emulator is below the SDK."),
    ],
  ),
  {
    files: ["**/test/**", "test/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-restricted-imports": "off",
    },
  },
);
