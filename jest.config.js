// @swc/jest rather than ts-jest: it transforms each file in milliseconds and leaves type checking to
// `npm run typecheck` (tsc over sources and tests), so the suite is fast and types are still checked
// once. It also compiles `import()` to `require`, which ts-jest with module node16 leaves native and
// jest then cannot run without --experimental-vm-modules.
/** @type {import('jest').Config} */
const swc = [
  "@swc/jest",
  {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
    sourceMaps: "inline",
  },
];

module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": swc },
  roots: [
    "<rootDir>/provider/test",
    "<rootDir>/emulator/test",
    "<rootDir>/sdk/test",
    "<rootDir>/policy-pack/test",
    "<rootDir>/cli/test",
    "<rootDir>/harness/test",
    "<rootDir>/test",
  ].filter((dir) => require("node:fs").existsSync(dir.replace("<rootDir>", __dirname))),
  testMatch: ["**/*.test.ts"],
  testTimeout: 30_000,
  // Serialized Pulumi providers must not carry coverage counters (they would inflate the text ~10x).
  coveragePathIgnorePatterns: ["/node_modules/", "/dist/"],
};
