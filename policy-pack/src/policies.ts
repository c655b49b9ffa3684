/**
 * The policies of the upgrade-guard pack, WITHOUT constructing the `PolicyPack` (whose constructor
 * starts a gRPC server and may run only once per process), so tests and other packs can import
 * them: `require("@upgrade-guard/policy-pack/policies")`.
 *
 * The policies themselves are the SDK's factories; this pack is just their default composition.
 */
import { type ResourceValidationPolicy } from "@pulumi/policy";
import { upgradeGuardPolicies } from "@upgrade-guard/sdk";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "upgrade-guard";

export const PACK_DESCRIPTION =
  "Blocks a Huawei Cloud CCE or Alibaba Cloud ACK cluster (or CCE add-on) version change when the latest " +
  "vendor pre-upgrade check has blocking findings, and fails closed when that check is missing, pending, " +
  "stale, unreadable or unknown at preview.";

/** The three policies with their default levels (two mandatory, one advisory). */
export const policies: ResourceValidationPolicy[] = upgradeGuardPolicies();
