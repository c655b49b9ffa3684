/**
 * The configuration fields of both clients: one table row per field (environment names, secrecy,
 * Pulumi key, description), from which the resolver (config.ts), the `upgrade-guard:*` stack keys
 * (pulumi/shared/settings.ts) and the SDK's key lists are derived. Data only, with no imports that
 * run: the SDK lists its configuration keys at load time without loading zod or the resolver.
 *
 * Environment variables, first match wins within a field: vendor SDK names before Terraform names,
 * so a machine set up for the official SDK behaves as it does there (the rows below; the README's
 * configuration table lists them per setting).
 */
import { type AlibabaSignatureAlgorithm } from "./types";

/** The CCE settings a caller may give: one per row of `CCE_ENV`. */
export type CceSettings = { [Field in keyof typeof CCE_ENV]?: string };

/** The ACK settings a caller may give: one per row of `ACK_ENV`. */
export type AckSettings = { [Field in Exclude<keyof typeof ACK_ENV, "signatureAlgorithm">]?: string } & {
  signatureAlgorithm?: AlibabaSignatureAlgorithm;
};

/** Prefix of the Pulumi config keys, e.g. `upgrade-guard:accessKey`. */
export const PULUMI_CONFIG_NAMESPACE = "upgrade-guard";

/** One configuration field of a client: a row of `CCE_ENV` or `ACK_ENV`. */
export interface FieldSpec {
  /** Environment variables, first match wins. */
  readonly env: readonly string[];
  /** A secret: registered with `redact`, set with `pulumi config set --secret`. */
  readonly secret?: boolean;
  /**
   * The Pulumi config key (without the namespace) the SDK reads into this field, when it is not the
   * field's own name: one namespace serves both clouds, so ACK keys carry an `alibaba` prefix.
   */
  readonly pulumiKey?: string;
  /** Further Pulumi keys that fill the field when its own key is not set (an alias, a shared key). */
  readonly pulumiFallbacks?: readonly string[];
  /** What the field sets, in one sentence (the README's configuration table). */
  readonly description: string;
}

/** The Pulumi key that serves every cloud's endpoints (e.g. the local emulator). */
export const SHARED_ENDPOINT_KEY = "endpoint";
/** The Pulumi key that sets both clouds' request rate. */
export const SHARED_RATE_LIMIT_KEY = "rateLimit";

/** A client's field table, its keys kept (they are the settings' names) and its rows typed `FieldSpec`. */
function fieldTable<Field extends string>(
  table: Record<Field, FieldSpec>,
): Readonly<Record<Field, FieldSpec>> {
  return table;
}

export const CCE_ENV = fieldTable({
  region: {
    env: ["HW_REGION_NAME", "HUAWEICLOUD_SDK_REGION"],
    description: "Huawei Cloud region of the CCE clusters, e.g. cn-north-4.",
  },
  projectId: {
    env: ["HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID"],
    description: "Huawei Cloud project id of that region.",
  },
  // Access key ids are masked in messages too ("no AK/SK in any message"), though they are not secret.
  accessKey: {
    env: ["HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY"],
    secret: true,
    description: "Huawei Cloud access key (AK).",
  },
  secretKey: {
    env: ["HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY"],
    secret: true,
    description: "Huawei Cloud secret key (SK).",
  },
  securityToken: {
    env: ["HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN"],
    secret: true,
    description: "Security token of temporary Huawei credentials.",
  },
  authToken: {
    env: ["HW_AUTH_TOKEN"],
    secret: true,
    description: "A ready Huawei IAM token (X-Auth-Token), instead of AK/SK.",
  },
  userName: { env: ["HW_USER_NAME"], description: "IAM user name for password authentication." },
  password: {
    env: ["HW_USER_PASSWORD"],
    secret: true,
    description: "IAM user password for password authentication.",
  },
  domainName: {
    env: ["HW_DOMAIN_NAME"],
    description: "IAM account (domain) name for password authentication.",
  },
  endpoint: {
    env: ["UPGRADE_GUARD_CCE_ENDPOINT", "UPGRADE_GUARD_ENDPOINT"],
    pulumiKey: "cceEndpoint",
    pulumiFallbacks: [SHARED_ENDPOINT_KEY],
    description: "CCE API base URL, overriding the regional default.",
  },
  iamEndpoint: {
    env: ["UPGRADE_GUARD_IAM_ENDPOINT", "UPGRADE_GUARD_ENDPOINT", "HUAWEICLOUD_SDK_IAM_ENDPOINT"],
    pulumiFallbacks: [SHARED_ENDPOINT_KEY],
    description: "Huawei IAM base URL, overriding the default.",
  },
  credentialsFile: {
    env: ["HUAWEICLOUD_SDK_CREDENTIALS_FILE"],
    pulumiKey: "huaweiCredentialsFile",
    description:
      "The Huawei SDK credentials file (INI, section [basic]) read when no key is set; default ~/.huaweicloud/credentials.",
  },
  metadataCredentials: {
    env: ["UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS"],
    pulumiKey: "huaweiMetadataCredentials",
    description:
      "true: take temporary keys from the ECS metadata service (the instance's agency) when no key or credentials file is set.",
  },
  metadataEndpoint: {
    env: ["UPGRADE_GUARD_HUAWEI_METADATA_ENDPOINT", "UPGRADE_GUARD_ENDPOINT"],
    pulumiKey: "huaweiMetadataEndpoint",
    pulumiFallbacks: [SHARED_ENDPOINT_KEY],
    description: "Huawei ECS metadata service base URL, overriding http://169.254.169.254.",
  },
  rateLimit: {
    env: ["UPGRADE_GUARD_CCE_RATE_LIMIT", "UPGRADE_GUARD_RATE_LIMIT"],
    pulumiKey: "cceRateLimit",
    pulumiFallbacks: [SHARED_RATE_LIMIT_KEY],
    description:
      "Requests per second to one CCE endpoint per account: the start and ceiling of the adaptive rate (default 100; docs/rate-limits.md).",
  },
});

export const ACK_ENV = fieldTable({
  region: {
    env: ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"],
    pulumiKey: "alibabaRegion",
    description: "Alibaba Cloud region of the ACK clusters, e.g. cn-hangzhou.",
  },
  accessKeyId: {
    env: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
    secret: true,
    pulumiKey: "alibabaAccessKeyId",
    pulumiFallbacks: ["accessKeyId"],
    description: "Alibaba Cloud AccessKey id.",
  },
  accessKeySecret: {
    env: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
    secret: true,
    pulumiKey: "alibabaAccessKeySecret",
    pulumiFallbacks: ["accessKeySecret"],
    description: "Alibaba Cloud AccessKey secret.",
  },
  securityToken: {
    env: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
    secret: true,
    pulumiKey: "alibabaSecurityToken",
    description: "STS security token of temporary Alibaba credentials.",
  },
  roleArn: {
    env: ["ALIBABA_CLOUD_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_ARN"],
    pulumiKey: "alibabaRoleArn",
    description:
      "A RAM role to assume through STS AssumeRole with the access key, e.g. acs:ram::123456789012:role/upgrade-guard.",
  },
  roleSessionName: {
    env: ["ALIBABA_CLOUD_ROLE_SESSION_NAME", "ALICLOUD_ASSUME_ROLE_SESSION_NAME"],
    pulumiKey: "alibabaRoleSessionName",
    description: "The session name of the assumed RAM role (default upgrade-guard).",
  },
  profile: {
    env: ["ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"],
    pulumiKey: "alibabaProfile",
    description:
      "The profile to read from ~/.aliyun/config.json (aliyun CLI), else from the credentials file, when no key is set.",
  },
  credentialsFile: {
    env: ["ALIBABA_CLOUD_CREDENTIALS_FILE"],
    pulumiKey: "alibabaCredentialsFile",
    description: "The Alibaba Cloud credentials file (INI); default ~/.alibabacloud/credentials.",
  },
  ecsRoleName: {
    env: ["ALIBABA_CLOUD_ECS_METADATA"],
    pulumiKey: "alibabaEcsRoleName",
    description:
      "The ECS instance RAM role whose temporary keys the metadata service gives, when no key or profile is set.",
  },
  stsEndpoint: {
    env: ["UPGRADE_GUARD_STS_ENDPOINT", "UPGRADE_GUARD_ENDPOINT"],
    pulumiKey: "alibabaStsEndpoint",
    pulumiFallbacks: [SHARED_ENDPOINT_KEY],
    description: "Alibaba STS base URL, overriding https://sts.aliyuncs.com.",
  },
  metadataEndpoint: {
    env: ["UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT", "UPGRADE_GUARD_ENDPOINT"],
    pulumiKey: "alibabaMetadataEndpoint",
    pulumiFallbacks: [SHARED_ENDPOINT_KEY],
    description: "Alibaba ECS metadata service base URL, overriding http://100.100.100.200.",
  },
  signatureAlgorithm: {
    env: [],
    pulumiKey: "alibabaSignatureAlgorithm",
    description: "ACS3-HMAC-SHA256 (default) or HMAC-SHA1 (legacy ROA).",
  },
  endpoint: {
    env: ["UPGRADE_GUARD_ACK_ENDPOINT", "UPGRADE_GUARD_ENDPOINT"],
    pulumiKey: "ackEndpoint",
    pulumiFallbacks: [SHARED_ENDPOINT_KEY],
    description: "ACK (CS) API base URL, overriding the regional default.",
  },
  rateLimit: {
    env: ["UPGRADE_GUARD_ACK_RATE_LIMIT", "UPGRADE_GUARD_RATE_LIMIT"],
    pulumiKey: "alibabaRateLimit",
    pulumiFallbacks: [SHARED_RATE_LIMIT_KEY],
    description:
      "Requests per second to one ACK endpoint per account: the start and ceiling of the adaptive rate (default 100; docs/rate-limits.md).",
  },
});
