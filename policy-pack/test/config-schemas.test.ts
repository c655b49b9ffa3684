/**
 * The default pack publishes precomputed config schemas (src/generated/config-schemas.ts) so that it
 * need not load zod at start-up; they must be exactly what `toPolicyConfigSchema` derives now.
 */
import { CONFIG_SCHEMAS } from "../src/generated/config-schemas";
import {
  addonPolicyConfigSchema,
  clusterPolicyConfigSchema,
  freshnessPolicyConfigSchema,
  POLICY_NAMES,
  toPolicyConfigSchema,
} from "../src/policies";

const REGENERATE =
  "src/generated/config-schemas.ts is out of date with the policies' zod schemas: regenerate it with " +
  "`npm run -w @upgrade-guard/policy-pack generate` and commit the result.";

it("src/generated/config-schemas.ts equals toPolicyConfigSchema of each policy's zod schema", () => {
  const now = {
    [POLICY_NAMES.cluster]: toPolicyConfigSchema(clusterPolicyConfigSchema),
    [POLICY_NAMES.addon]: toPolicyConfigSchema(addonPolicyConfigSchema),
    [POLICY_NAMES.freshness]: toPolicyConfigSchema(freshnessPolicyConfigSchema),
  };
  try {
    expect(CONFIG_SCHEMAS).toStrictEqual(now);
  } catch (error) {
    throw new Error(`${REGENERATE}\n\n${(error as Error).message}`);
  }
});
