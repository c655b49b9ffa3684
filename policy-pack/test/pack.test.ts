/**
 * The pack's shape: what the Pulumi CLI needs to start it, and the split between ./policies (safe to
 * import anywhere) and the entry module (constructs the PolicyPack, which starts a gRPC server).
 * The real process is exercised in test/policy/analyzer-process.test.ts.
 */
// The PolicyPack constructor starts a gRPC server in this process; here it is replaced by a spy so the
// entry module can be loaded to see what it constructs. The real server runs in
// test/policy/analyzer-process.test.ts.
jest.mock("@pulumi/policy", () => ({ ...jest.requireActual("@pulumi/policy"), PolicyPack: jest.fn() }));

import * as fs from "node:fs";
import * as path from "node:path";
import { PolicyPack } from "@pulumi/policy";

const PACK_DIR = path.resolve(__dirname, "..");

describe("the policy pack directory", () => {
  it("has what the CLI needs: PulumiPolicy.yaml for Node.js and a package.json with a version and compiled main", () => {
    const yaml = fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8");
    expect(yaml).toMatch(/^runtime: nodejs$/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.main).toBe("dist/index.js");
    expect(pkg.exports["./policies"].default).toBe("./dist/policies/index.js");
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(["@pulumi/policy", "@pulumi/pulumi", "@upgrade-guard/sdk"]),
    );
  });

  it("./policies exports the three policies without constructing the PolicyPack", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policies, PACK_NAME } = require("../src/policies");
    expect(PACK_NAME).toBe("upgrade-guard");
    expect(
      policies.map((p: { name: string; enforcementLevel: string }) => [p.name, p.enforcementLevel]),
    ).toEqual([
      ["cluster-upgrade-requires-clean-precheck", "mandatory"],
      ["addon-upgrade-requires-clean-addon-precheck", "mandatory"],
      ["upgrade-precheck-freshness", "advisory"],
    ]);
    expect(PolicyPack).not.toHaveBeenCalled();
  });

  it("the entry module constructs exactly one PolicyPack named upgrade-guard with those policies", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policies } = require("../src/policies");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../src/index");
    expect(PolicyPack).toHaveBeenCalledTimes(1);
    expect(PolicyPack).toHaveBeenCalledWith("upgrade-guard", expect.objectContaining({ policies }));
  });
});
