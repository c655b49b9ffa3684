/**
 * The vendors' official SDKs, pointed at the emulator. Requests they sign are the ground truth the
 * emulator's verifiers must accept.
 */
import CsClient, * as cs from "@alicloud/cs20151215";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { RuntimeOptions } from "@darabonba/typescript";
import { ClientBuilder } from "@huaweicloud/huaweicloud-sdk-core/ClientBuilder";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials";
import { type HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import { Region } from "@huaweicloud/huaweicloud-sdk-core/region/region";
import { Logger4jInstance } from "@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger";

// The Huawei SDK prints every error answer to stdout; the tests assert on them instead.
Logger4jInstance.level = "off";

export const HW = {
  ak: "UGEMU-HW-AK",
  sk: "ugemu-hw-sk",
  projectId: "ugemuproject0000000000000000000a",
  region: "cn-north-4",
} as const;

export const ALI = {
  accessKeyId: "UGEMU-ALI-AK",
  accessKeySecret: "ugemu-ali-sk",
  region: "cn-hangzhou",
} as const;

export interface HuaweiClientOptions {
  readonly ak?: string;
  readonly sk?: string;
  /** Omit to make the SDK look the project up through IAM (needs `region`). */
  readonly projectId?: string | null;
  readonly region?: boolean;
}

/** The Huawei core's generic client (the CCE-specific npm package is too old to use). */
export function huaweiClient(url: string, options: HuaweiClientOptions = {}): HcClient {
  const credentials = new BasicCredentials()
    .withAk(options.ak ?? HW.ak)
    .withSk(options.sk ?? HW.sk)
    .withIamEndpoint(url);
  const projectId = options.projectId === undefined ? HW.projectId : options.projectId;
  if (projectId !== null) credentials.withProjectId(projectId);
  const builder = new ClientBuilder<HcClient>((client) => client).withCredential(credentials);
  if (options.region === true) builder.withRegion(new Region(HW.region, [url]));
  else builder.withEndpoint(url);
  return builder.build();
}

export interface HuaweiCall {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** With `{project_id}` and other `{params}`. */
  readonly path: string;
  readonly pathParams?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

export type HuaweiResult = Record<string, unknown> & { httpStatusCode: number };

export function callHuawei(client: HcClient, call: HuaweiCall): Promise<HuaweiResult> {
  return client.sendRequest<never>({
    method: call.method,
    url: call.path,
    contentType: "application/json",
    queryParams: call.query ?? {},
    pathParams: call.pathParams ?? {},
    headers: { ...(call.headers ?? {}) },
    ...(call.body === undefined ? {} : { data: call.body }),
  }) as unknown as Promise<HuaweiResult>;
}

/** What the Huawei SDK throws for an error answer. */
export interface HuaweiSdkError {
  readonly httpStatusCode: number;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
}

export async function huaweiFailure(promise: Promise<unknown>): Promise<HuaweiSdkError> {
  try {
    await promise;
  } catch (error) {
    return error as HuaweiSdkError;
  }
  throw new Error("expected the call to fail");
}

export interface AckClientOptions {
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  /** "v2" makes openapi-core sign with the legacy ROA HMAC-SHA1. */
  readonly signatureAlgorithm?: "v2";
  /** Keep the SDK's own 3 s socket timeouts (only the test that shows why they are raised wants them). */
  readonly vendorTimeouts?: boolean;
}

/**
 * The SDK's transport (httpx) defaults both timeouts to 3 s, and its "connect" timeout is really a
 * socket idle timeout: a test worker starved for 3 s on a busy CI host fails a healthy call with
 * `ConnectTimeout`. These stay well under jest's 30 s test deadline, so a real hang still fails.
 */
export const ACK_TEST_TIMEOUT_MS = 20_000;

export function ackClient(url: string, options: AckClientOptions = {}): CsClient {
  const endpoint = new URL(url).host;
  return new CsClient(
    new $OpenApiUtil.Config({
      accessKeyId: options.accessKeyId ?? ALI.accessKeyId,
      accessKeySecret: options.accessKeySecret ?? ALI.accessKeySecret,
      regionId: ALI.region,
      endpoint,
      protocol: "http",
      ...(options.vendorTimeouts === true
        ? {}
        : { connectTimeout: ACK_TEST_TIMEOUT_MS, readTimeout: ACK_TEST_TIMEOUT_MS }),
      ...(options.signatureAlgorithm === undefined ? {} : { signatureAlgorithm: options.signatureAlgorithm }),
    }),
  );
}

/** Runtime options without the SDK's own retries, so a test sees exactly one request per call. */
export function noRetry(): RuntimeOptions {
  return new RuntimeOptions({ autoretry: false, maxAttempts: 0 });
}

/** What `@alicloud/openapi-core` throws for an error answer. */
export interface AliSdkError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
  readonly data?: Record<string, unknown>;
  readonly requestId?: string;
}

export async function aliFailure(promise: Promise<unknown>): Promise<AliSdkError> {
  try {
    await promise;
  } catch (error) {
    return error as AliSdkError;
  }
  throw new Error("expected the call to fail");
}

export { cs };
