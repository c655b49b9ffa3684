// @API STS POST /?Action=AssumeRole
// @API ECS-METADATA GET /latest/meta-data/ram/security-credentials/{role}
// @API HUAWEI-METADATA GET /openstack/latest/securitykey
/**
 * The fetchers of temporary credentials (docs/credentials.md):
 *
 * - Alibaba STS `AssumeRole` (https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-assumerole),
 *   an RPC-style call signed with ACS3-HMAC-SHA256 by the base keys: `x-acs-action: AssumeRole`,
 *   `x-acs-version: 2015-04-01`, the parameters in the query.
 * - The ECS instance RAM role from the metadata service
 *   (https://help.aliyun.com/zh/ecs/user-guide/attach-an-instance-ram-role-to-an-ecs-instance):
 *   a session token from `PUT /latest/api/token` (the hardened, IMDSv2-style mode), then
 *   `GET /latest/meta-data/ram/security-credentials/<role>` with it.
 * - Huawei ECS metadata `GET /openstack/latest/securitykey`
 *   (https://support.huaweicloud.com/intl/en-us/usermanual-ecs/ecs_03_0166.html): the temporary AK/SK
 *   and security token of the agency attached to the instance, after a session token from
 *   `PUT /meta-data/latest/api/token` when the service offers one.
 *
 * Every key and token is registered with `redact` the moment it is parsed. A source that cannot
 * give credentials is a `ConfigError` (unreachable metadata, within its deadline) or an `ApiError`
 * (STS refused) whose message names the source and the fix, never a value.
 */
import { z } from "zod";
import { ApiError, ConfigError, TransportError, categorize } from "../errors";
import { registerSecret } from "../internal/redact";
import { parseTimestamp } from "../internal/timestamps";
import { jsonOrUndefined } from "../internal/validate";
import { DEFAULT_TIMEOUTS } from "../transport/defaults";
import { createDisposableTransport } from "../transport/transport";
import { type HttpRequest, type HttpResponse, type Transport } from "../transport/types";
import { signAcs3Request } from "./alibaba-signer";
import { type Expiring } from "./temporary-credentials";
import {
  type AlibabaAssumeRolePlan,
  type AlibabaCredentials,
  type AlibabaEcsRamRolePlan,
  type HuaweiAkSkCredentials,
  type HuaweiMetadataPlan,
} from "./types";

/** How long a metadata service may take, all requests together, before it counts as unreachable. */
export const METADATA_DEADLINE_MS = 3_000;
/** How long STS may take. */
export const STS_DEADLINE_MS = 20_000;

export interface FetchDeps {
  /** The client's transport; a short-lived one of its own otherwise (destroyed after each fetch). */
  readonly transport?: Transport;
  readonly now?: () => number;
  readonly nonce?: () => string;
  readonly metadataDeadlineMs?: number;
  /** Cancels the fetch: every caller waiting for it gave up. */
  readonly signal?: AbortSignal;
}

/** What the requests of one fetch share: the transport and the signal that ends them. */
interface Fetch {
  readonly transport: Transport;
  /** Aborts at the fetch's deadline (all its requests together) or when the fetch is cancelled. */
  readonly signal: AbortSignal;
  /** True when the fetch was cancelled rather than out of time. */
  cancelled(): boolean;
}

async function withDeadline<T>(
  deps: FetchDeps,
  deadlineMs: number,
  run: (fetch: Fetch) => Promise<T>,
): Promise<T> {
  const deadline = AbortSignal.timeout(deadlineMs);
  const cancel = deps.signal;
  const signal = cancel === undefined ? deadline : AbortSignal.any([deadline, cancel]);
  const cancelled = (): boolean => cancel?.aborted === true && !deadline.aborted;
  if (deps.transport !== undefined) return run({ transport: deps.transport, signal, cancelled });
  // Its connects are bounded by the deadline too, so a hung one does not outlive the fetch.
  const transport = createDisposableTransport({
    retry: { maxAttempts: 2 },
    timeouts: { connectMs: Math.min(DEFAULT_TIMEOUTS.connectMs, deadlineMs) },
  });
  try {
    return await run({ transport, signal, cancelled });
  } finally {
    // Not `close()`: it would wait for a connect to a host that drops SYNs to time out.
    await transport.destroy();
  }
}

/** One request of `fetch`, within what is left of its deadline. */
async function sendWithin(
  fetch: Fetch,
  request: HttpRequest,
  options: {
    operation: string;
    cloud: "ack" | "iam";
    sign?: (request: HttpRequest) => HttpRequest;
    onNoAnswer: (error: TransportError) => Error;
  },
): Promise<HttpResponse> {
  try {
    return await fetch.transport.send(request, {
      cloud: options.cloud,
      operation: options.operation,
      retryMode: "idempotent",
      signal: fetch.signal,
      ...(options.sign === undefined ? {} : { sign: options.sign }),
    });
  } catch (error) {
    // A cancelled fetch is no unreachable source.
    if (error instanceof TransportError && !fetch.cancelled()) throw options.onNoAnswer(error);
    throw error;
  }
}

type Send = (request: HttpRequest, operation: string) => Promise<HttpResponse>;

/**
 * One fetch from a metadata service within its deadline: `run` sends with `send` and fails with
 * `fail`, whose message names the source, the service and the fix (shared by both clouds).
 */
function fromMetadata<T>(
  plan: { readonly source: string; readonly metadataEndpoint: string },
  deps: FetchDeps,
  where: { readonly cloud: "ack" | "iam"; readonly fix: string; readonly settings: readonly string[] },
  run: (send: Send, fail: (why: string) => ConfigError) => Promise<T>,
): Promise<T> {
  const deadlineMs = deps.metadataDeadlineMs ?? METADATA_DEADLINE_MS;
  const fail = (why: string) =>
    new ConfigError(
      "CONFIG_MISSING",
      `${plan.source}: the metadata service at ${plan.metadataEndpoint} ${why} — ${where.fix}`,
      where.settings,
    );
  const onNoAnswer = (error: TransportError) =>
    fail(`did not answer within ${deadlineMs} ms (${error.code})`);
  return withDeadline(deps, deadlineMs, (fetch) =>
    run(
      (request, operation) => sendWithin(fetch, request, { operation, cloud: where.cloud, onNoAnswer }),
      fail,
    ),
  );
}

// --- Alibaba STS AssumeRole --------------------------------------------------------------------

const AlibabaKeys = z.looseObject({
  AccessKeyId: z.string().min(1),
  AccessKeySecret: z.string().min(1),
  SecurityToken: z.string().min(1),
  Expiration: z.string(),
});

const AssumeRoleResponse = z.looseObject({ Credentials: AlibabaKeys });

/** The keys of an STS or ECS answer, each registered with `redact`; `undefined` without a usable expiry. */
function expiringKeys(
  keys: z.infer<typeof AlibabaKeys> | undefined,
): Expiring<AlibabaCredentials> | undefined {
  if (keys === undefined) return undefined;
  registerSecret(keys.AccessKeyId);
  registerSecret(keys.AccessKeySecret);
  registerSecret(keys.SecurityToken);
  const expiresAt = parseTimestamp(keys.Expiration);
  if (expiresAt === undefined) return undefined;
  return {
    value: {
      accessKeyId: keys.AccessKeyId,
      accessKeySecret: keys.AccessKeySecret,
      securityToken: keys.SecurityToken,
    },
    expiresAt,
  };
}

const PopError = z.looseObject({
  Code: z.string().optional(),
  Message: z.string().optional(),
  RequestId: z.string().optional(),
});

export async function assumeAlibabaRole(
  plan: AlibabaAssumeRolePlan,
  deps: FetchDeps,
): Promise<Expiring<AlibabaCredentials>> {
  const now = deps.now ?? (() => Date.now());
  const nonce = deps.nonce ?? (() => `${now()}-${Math.random().toString(16).slice(2)}`);
  const query = new URLSearchParams({
    RoleArn: plan.roleArn,
    RoleSessionName: plan.roleSessionName,
    DurationSeconds: String(plan.durationSeconds),
  });
  const unsigned: HttpRequest = {
    method: "POST",
    url: `${plan.stsEndpoint}/?${query.toString()}`,
    headers: { accept: "application/json", "x-acs-action": "AssumeRole", "x-acs-version": "2015-04-01" },
  };
  const fix = `check the role ARN, that the role's trust policy lets the base keys' account assume it, and the base keys`;
  const response = await withDeadline(deps, STS_DEADLINE_MS, (fetch) =>
    sendWithin(fetch, unsigned, {
      operation: "AssumeRole",
      cloud: "ack",
      sign: (request) => signAcs3Request(request, plan.base, new Date(now()), nonce()),
      onNoAnswer: (error) =>
        new ConfigError(
          "CONFIG_MISSING",
          `${plan.source}: STS at ${plan.stsEndpoint} did not answer (${error.code}) — check the network, or point UPGRADE_GUARD_STS_ENDPOINT at a reachable STS endpoint`,
          ["UPGRADE_GUARD_STS_ENDPOINT"],
        ),
    }),
  );
  const json = jsonOrUndefined(response.body);
  if (response.status < 200 || response.status > 299) {
    const parsed = PopError.safeParse(json);
    const code = parsed.success ? parsed.data.Code : undefined;
    throw new ApiError({
      cloud: "ack",
      operation: "AssumeRole",
      httpStatus: response.status,
      vendorCode: code,
      vendorMessage: parsed.success ? parsed.data.Message : undefined,
      requestId: response.requestId ?? (parsed.success ? parsed.data.RequestId : undefined),
      category: categorize(response.status, code),
      hint: `STS refused to let ${plan.source}: ${fix}`,
    });
  }
  const keys = expiringKeys(AssumeRoleResponse.safeParse(json).data?.Credentials);
  if (keys === undefined) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `${plan.source}: STS answered AssumeRole without usable Credentials (AccessKeyId, AccessKeySecret, SecurityToken, Expiration) — check UPGRADE_GUARD_STS_ENDPOINT points at STS`,
      ["UPGRADE_GUARD_STS_ENDPOINT"],
    );
  }
  return keys;
}

// --- Alibaba ECS instance RAM role -----------------------------------------------------------------

const EcsRoleResponse = AlibabaKeys.extend({ Code: z.string().optional() });

const ECS = {
  cloud: "ack",
  fix:
    "run on an ECS instance with that RAM role attached, set UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT to a reachable metadata service, " +
    "or give keys instead (ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET) and set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
  settings: ["ALIBABA_CLOUD_ECS_METADATA", "UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT"],
} as const;

export async function fetchAlibabaEcsRole(
  plan: AlibabaEcsRamRolePlan,
  deps: FetchDeps,
): Promise<Expiring<AlibabaCredentials>> {
  const base = plan.metadataEndpoint;
  return fromMetadata(plan, deps, ECS, async (send, fail) => {
    const tokenResponse = await send(
      {
        method: "PUT",
        url: `${base}/latest/api/token`,
        headers: { "x-aliyun-ecs-metadata-token-ttl-seconds": "21600" },
      },
      "EcsMetadataToken",
    );
    if (tokenResponse.status !== 200 || tokenResponse.body.trim() === "") {
      throw fail(`refused a session token (HTTP ${tokenResponse.status})`);
    }
    const token = tokenResponse.body.trim();
    registerSecret(token);
    const headers = { "x-aliyun-ecs-metadata-token": token };
    const rolesUrl = `${base}/latest/meta-data/ram/security-credentials/`;
    let roleName = plan.roleName;
    if (roleName === undefined) {
      const listed = await send({ method: "GET", url: rolesUrl, headers }, "EcsMetadataRoles");
      const first = listed.status === 200 ? listed.body.split(/\s+/).find((line) => line !== "") : undefined;
      if (first === undefined) {
        throw fail(`lists no RAM role (HTTP ${listed.status}): attach a RAM role to the instance`);
      }
      roleName = first;
    }
    const answer = await send(
      { method: "GET", url: `${rolesUrl}${encodeURIComponent(roleName)}`, headers },
      "EcsMetadataRoleCredentials",
    );
    if (answer.status === 404) {
      throw fail(
        `has no RAM role "${roleName}" on this instance: check ALIBABA_CLOUD_ECS_METADATA names the attached role`,
      );
    }
    const parsed = EcsRoleResponse.safeParse(
      answer.status === 200 ? jsonOrUndefined(answer.body) : undefined,
    ).data;
    const keys = expiringKeys(parsed);
    if (keys === undefined || (parsed?.Code ?? "Success") !== "Success") {
      throw fail(`gave no usable credentials for role "${roleName}" (HTTP ${answer.status})`);
    }
    return keys;
  });
}

// --- Huawei ECS metadata securitykey ---------------------------------------------------------------

const SecurityKeyResponse = z.looseObject({
  credential: z.looseObject({
    access: z.string().min(1),
    secret: z.string().min(1),
    securitytoken: z.string().min(1),
    expires_at: z.string(),
  }),
});

const HUAWEI = {
  cloud: "iam",
  fix:
    "run on an ECS instance with an agency attached (the console's Management > Agency), set UPGRADE_GUARD_HUAWEI_METADATA_ENDPOINT to a reachable metadata service, " +
    "or give keys instead (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK) and unset UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS",
  settings: ["UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS", "UPGRADE_GUARD_HUAWEI_METADATA_ENDPOINT"],
} as const;

export async function fetchHuaweiMetadataKeys(
  plan: HuaweiMetadataPlan,
  deps: FetchDeps,
): Promise<Expiring<HuaweiAkSkCredentials>> {
  const base = plan.metadataEndpoint;
  return fromMetadata(plan, deps, HUAWEI, async (send, fail) => {
    const tokenResponse = await send(
      {
        method: "PUT",
        url: `${base}/meta-data/latest/api/token`,
        headers: { "x-metadata-token-ttl-seconds": "21600" },
      },
      "MetadataToken",
    );
    // As the vendor's SDK: 404/405 means a service without session tokens; anything else is an error.
    let headers: Record<string, string> = {};
    if (tokenResponse.status === 200 && tokenResponse.body.trim() !== "") {
      const token = tokenResponse.body.trim();
      registerSecret(token);
      headers = { "x-metadata-token": token };
    } else if (tokenResponse.status !== 404 && tokenResponse.status !== 405) {
      throw fail(`refused a session token (HTTP ${tokenResponse.status})`);
    }
    const answer = await send(
      { method: "GET", url: `${base}/openstack/latest/securitykey`, headers },
      "MetadataSecurityKey",
    );
    const parsed = SecurityKeyResponse.safeParse(
      answer.status === 200 ? jsonOrUndefined(answer.body) : undefined,
    );
    if (parsed.success) {
      registerSecret(parsed.data.credential.access);
      registerSecret(parsed.data.credential.secret);
      registerSecret(parsed.data.credential.securitytoken);
    }
    const expiresAt = parsed.success ? parseTimestamp(parsed.data.credential.expires_at) : undefined;
    if (!parsed.success || expiresAt === undefined) {
      throw fail(
        answer.status === 401 || answer.status === 404
          ? `has no temporary keys for this instance (HTTP ${answer.status}): attach an agency to the instance`
          : `gave no usable securitykey (HTTP ${answer.status})`,
      );
    }
    return {
      value: {
        kind: "aksk",
        accessKey: parsed.data.credential.access,
        secretKey: parsed.data.credential.secret,
        securityToken: parsed.data.credential.securitytoken,
      },
      expiresAt,
    };
  });
}
