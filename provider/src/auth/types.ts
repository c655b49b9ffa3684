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

export interface CceConfig {
  readonly region: string;
  readonly projectId: string;
  /** Base URL without trailing slash, e.g. `https://cce.cn-north-4.myhuaweicloud.com`. */
  readonly endpoint: string;
  readonly iamEndpoint: string;
  readonly credentials: HuaweiCredentials;
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

export interface AckConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: AlibabaCredentials;
  readonly signatureAlgorithm: AlibabaSignatureAlgorithm;
  /** Where the credentials came from (variable names or setting keys, never values), for messages. */
  readonly credentialSources?: readonly string[];
  /** Requests per second to the endpoint for this account, when configured (docs/rate-limits.md). */
  readonly rateLimit?: number;
}
