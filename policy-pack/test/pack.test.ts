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
import {
  PolicyPack,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import type * as LazyPolicies from "../src/lazy-policies";

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

  it("the entry module constructs exactly one PolicyPack named upgrade-guard with the library's policies, lazily", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policies, PACK_DESCRIPTION } = require("../src/policies");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../src/index");
    expect(PolicyPack).toHaveBeenCalledTimes(1);
    const [name, args] = (PolicyPack as unknown as jest.Mock).mock.calls[0];
    expect(name).toBe("upgrade-guard");
    expect(args).toEqual({
      description: PACK_DESCRIPTION,
      displayName: "upgrade-guard: safe CCE and ACK upgrades",
      policies: expect.any(Array),
    });
    // Every property but validateResource is the library's (the real-analyzer test compares the wire).
    const withoutValidation = ({ validateResource: _, ...rest }: ResourceValidationPolicy) => rest;
    expect(args.policies.map(withoutValidation)).toStrictEqual(policies.map(withoutValidation));
    for (const policy of args.policies) expect(policy.validateResource).toEqual(expect.any(Function));
  });
});

describe("the lazy policies of the default pack", () => {
  it("load the library at the first validateResource, once, and delegate to its policy with the same arguments", async () => {
    const calls: { name: string; args: unknown; report: unknown }[] = [];
    let loads = 0;
    await jest.isolateModulesAsync(async () => {
      // The library as the lazy policies see it: counts its loads, records what each policy receives.
      jest.doMock("../src/policies", () => {
        loads++;
        const { POLICY_NAMES } = jest.requireActual("../src/policies/metadata");
        return {
          policies: Object.values(POLICY_NAMES).map((name) => ({
            name,
            validateResource: (args: unknown, report: unknown) => {
              calls.push({ name: name as string, args, report });
              return Promise.resolve(`judged by ${name}`);
            },
          })),
        };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { lazyPolicies } = require("../src/lazy-policies") as typeof LazyPolicies;
      const lazy = lazyPolicies();
      expect(loads).toBe(0);
      const args = { type: "t", name: "n" } as unknown as ResourceValidationArgs;
      const report = jest.fn();
      const validate = (index: number) =>
        (lazy[index]!.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => unknown)(
          args,
          report,
        );
      await expect(validate(0)).resolves.toBe("judged by cluster-upgrade-requires-clean-precheck");
      expect(loads).toBe(1);
      await expect(validate(2)).resolves.toBe("judged by upgrade-precheck-freshness");
      await expect(validate(0)).resolves.toBe("judged by cluster-upgrade-requires-clean-precheck");
      expect(loads).toBe(1);
      expect(calls).toEqual([
        { name: "cluster-upgrade-requires-clean-precheck", args, report },
        { name: "upgrade-precheck-freshness", args, report },
        { name: "cluster-upgrade-requires-clean-precheck", args, report },
      ]);
      expect(calls.every((call) => call.args === args && call.report === report)).toBe(true);
    });
  });
});
