/**
 * The upgrade-guard CrossGuard pack: `pulumi preview --policy-pack <this directory>`.
 *
 * Constructing the `PolicyPack` starts the analyzer's gRPC server and prints its port, so this module
 * must print nothing else before it and must be the pack's `main`. The policies and their default composition live in ./policies (the library).
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  description: PACK_DESCRIPTION,
  displayName: "upgrade-guard: safe CCE and ACK upgrades",
  policies,
});
