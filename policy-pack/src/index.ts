/**
 * The upgrade-guard CrossGuard pack: `pulumi preview --policy-pack <this directory>`.
 *
 * Constructing the `PolicyPack` starts the analyzer's gRPC server and prints its port, so this module
 * must print nothing else before it and must be the pack's `main`. The policies and their default
 * composition live in ./policies (the library); this entry serves them through ./lazy-policies, which
 * loads the library at the first Analyze rather than at start-up.
 */
import { PolicyPack } from "@pulumi/policy";
import { lazyPolicies } from "./lazy-policies";
import { PACK_DESCRIPTION, PACK_DISPLAY_NAME, PACK_NAME } from "./policies/metadata";

new PolicyPack(PACK_NAME, {
  description: PACK_DESCRIPTION,
  displayName: PACK_DISPLAY_NAME,
  policies: lazyPolicies(),
});
