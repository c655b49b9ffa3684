/**
 * Credentials and resolved client configuration. Produced by `auth/config.ts`, consumed by the
 * clients. Secrets resolved here are registered with `redact`.
 */

export interface HuaweiAkSkCredentials {
  readonly kind: "aksk";
  readonly accessKey: string;
  readonly secretKey: string;
  /** For temporary credentials: sent as `X-Security-Token`. */
  readonly securityToken?: string;
}

export interface HuaweiTokenCredentials {
  readonly kind: "token";
  /** A ready IAM token, sent as `X-Auth-Token`. */
  readonly token: string;
}

export interface HuaweiPasswordCredentials {
  readonly kind: "password";
  readonly userName: string;
  readonly password: string;
  readonly domainName: string;
}

export type HuaweiCredentials = HuaweiAkSkCredentials | HuaweiTokenCredentials | HuaweiPasswordCredentials;

/**
 * Temporary Huawei credentials fetched when needed (the ECS metadata service), cached and refreshed
 * before they expire by the request auth (request-auth.ts). Data only: resolving a configuration
 * never talks to the network.
 */
export interface HuaweiMetadataPlan {
  readonly kind: "metadata";
  /** Base URL of the metadata service, default `http://169.254.169.254`. */
  readonly metadataEndpoint: string;
  /** Where the keys come from, for messages (never a value). */
  readonly source: string;
}

export type HuaweiCredentialPlan = HuaweiMetadataPlan;

export interface CceConfig {
  readonly region: string;
  readonly projectId: string;
  /** Base URL without trailing slash, e.g. `https://cce.cn-north-4.myhuaweicloud.com`. */
  readonly endpoint: string;
  readonly iamEndpoint: string;
  /**
   * With `credentialPlan`, `credentials` is an `aksk` stand-in whose `accessKey` names the source
   * (never a key) and whose secret is empty: it only keys the per-account limits; the keys that sign
   * come from the plan.
   */
  readonly credentials: HuaweiCredentials;
  /** Temporary keys fetched, cached and refreshed at call time, when the chain chose such a source. */
  readonly credentialPlan?: HuaweiCredentialPlan;
  /** Where the credentials came from (variable names or setting keys, never values), for messages. */
  readonly credentialSources?: readonly string[];
  /** Requests per second to the endpoint for this account, when configured (docs/rate-limits.md). */
  readonly rateLimit?: number;
}

export interface AlibabaCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export type AlibabaSignatureAlgorithm = "ACS3-HMAC-SHA256" | "HMAC-SHA1";

/** A RAM role assumed through STS `AssumeRole` with long-term (or STS) base keys. */
export interface AlibabaAssumeRolePlan {
  readonly kind: "assumeRole";
  readonly base: AlibabaCredentials;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** Base URL of STS, default `https://sts.aliyuncs.com`. */
  readonly stsEndpoint: string;
  /** Where the keys come from, for messages (never a value). */
  readonly source: string;
}

/** The RAM role of the ECS instance, read from its metadata service. */
export interface AlibabaEcsRamRolePlan {
  readonly kind: "ecsRamRole";
  /** The role name; when absent, the one role the metadata service lists. */
  readonly roleName?: string;
  /** Base URL of the metadata service, default `http://100.100.100.200`. */
  readonly metadataEndpoint: string;
  readonly source: string;
}

export type AlibabaCredentialPlan = AlibabaAssumeRolePlan | AlibabaEcsRamRolePlan;

export interface AckConfig {
  readonly region: string;
  readonly endpoint: string;
  /**
   * With `credentialPlan`, a stand-in whose `accessKeyId` names the source (never a key) and whose
   * secret is empty: it only keys the per-account limits; the keys that sign come from the plan.
   */
  readonly credentials: AlibabaCredentials;
  /** Temporary keys fetched, cached and refreshed at call time, when the chain chose such a source. */
  readonly credentialPlan?: AlibabaCredentialPlan;
  readonly signatureAlgorithm: AlibabaSignatureAlgorithm;
  /** Where the credentials came from (variable names or setting keys, never values), for messages. */
  readonly credentialSources?: readonly string[];
  /** Requests per second to the endpoint for this account, when configured (docs/rate-limits.md). */
  readonly rateLimit?: number;
}
