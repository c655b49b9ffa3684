/**
 * The per-attempt signing hooks the clients pass to `Transport.send` as `sign`. Each call stamps a
 * fresh date (and, for Alibaba, a fresh nonce: the gateway rejects a reused one).
 */
import { randomUUID } from "node:crypto";
import { type HttpRequest, type Transport } from "../transport/types";
import { signAcs3Request, signRoaV2Request } from "./alibaba-signer";
import { type HuaweiSigningCredentials, signHuaweiRequest } from "./huawei-signer";
import { createHuaweiTokenSource, type HuaweiTokenSource } from "./huawei-token";
import { createTemporaryCredentialsSource } from "./temporary-credentials";
import { assumeAlibabaRole, fetchAlibabaEcsRole, fetchHuaweiMetadataKeys } from "./temporary-sources";
import { type AckConfig, type CceConfig } from "./types";

/**
 * Signs or authenticates one CCE request. `invalidate` drops a cached IAM token (after a 401). With
 * static keys or a fixed token it answers at once; a source that may fetch (IAM, metadata) returns a
 * promise.
 */
export type CceRequestAuth = ((
  request: HttpRequest,
  signal?: AbortSignal,
) => HttpRequest | Promise<HttpRequest>) & {
  invalidate(): void;
};

/**
 * Signs one ACK request. With static keys it answers at once; with temporary ones (an assumed RAM
 * role, the ECS instance role) it may first fetch or refresh them, so it may return a promise.
 */
export type AckRequestAuth = (
  request: HttpRequest,
  signal?: AbortSignal,
) => HttpRequest | Promise<HttpRequest>;

/** The 32 hex digits of a UUID (`8-4-4-4-12`), without its dashes. */
function hexDigitsOf(uuid: string): string {
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
}

function withHeader(request: HttpRequest, name: string, value: string): HttpRequest {
  return { ...request, headers: { ...request.headers, [name]: value } };
}

export function createCceRequestAuth(
  config: CceConfig,
  deps: {
    transport: Transport;
    clock?: { now(): number };
    /** The clock of the temporary keys' refresh (default `clock`), apart so tests can age keys alone. */
    credentialClock?: { now(): number };
  },
): CceRequestAuth {
  const now = () => deps.clock?.now() ?? Date.now();
  const { credentials, credentialPlan: plan } = config;
  const sign = (request: HttpRequest, keys: HuaweiSigningCredentials) =>
    signHuaweiRequest(withHeader(request, "x-project-id", config.projectId), keys, new Date(now()));
  if (plan !== undefined) {
    // Fetches nothing before the first request: resolving a config must not call the metadata service.
    const keys = createTemporaryCredentialsSource({
      fetch: (signal) => fetchHuaweiMetadataKeys(plan, { transport: deps.transport, signal }),
      clock: deps.credentialClock ?? { now },
      operation: "MetadataSecurityKey",
    });
    return Object.assign(
      async (request: HttpRequest, signal?: AbortSignal) => sign(request, await keys.get(signal)),
      { invalidate: () => keys.invalidate() },
    );
  }
  switch (credentials.kind) {
    case "aksk":
      return Object.assign((request: HttpRequest) => sign(request, credentials), {
        invalidate: () => undefined,
      });
    case "token":
      return Object.assign((request: HttpRequest) => withHeader(request, "x-auth-token", credentials.token), {
        invalidate: () => undefined,
      });
    case "password": {
      // Created on first use: resolving a config must not talk to IAM.
      let source: HuaweiTokenSource | undefined;
      const tokens = (): HuaweiTokenSource =>
        (source ??= createHuaweiTokenSource({
          transport: deps.transport,
          iamEndpoint: config.iamEndpoint,
          credentials,
          projectId: config.projectId,
          clock: { now },
        }));
      return Object.assign(
        async (request: HttpRequest, signal?: AbortSignal) =>
          withHeader(request, "x-auth-token", await tokens().getToken(signal)),
        { invalidate: () => source?.invalidate() },
      );
    }
  }
}

export function createAckRequestAuth(
  config: AckConfig,
  deps: {
    now?: () => number;
    nonce?: () => string;
    transport?: Transport;
    /** The clock of the temporary keys' refresh (default `now`), apart so tests can age keys alone. */
    credentialClock?: { now(): number };
  } = {},
): AckRequestAuth {
  const now = deps.now ?? (() => Date.now());
  // 32 hex digits from a UUID: node draws those from a pooled entropy buffer, unlike randomBytes.
  // Sliced rather than `replace(/-/g, "")`: this runs on every signed call.
  const nonce = deps.nonce ?? (() => hexDigitsOf(randomUUID()));
  const sign = config.signatureAlgorithm === "HMAC-SHA1" ? signRoaV2Request : signAcs3Request;
  const plan = config.credentialPlan;
  if (plan === undefined) return (request) => sign(request, config.credentials, new Date(now()), nonce());
  const fetchDeps = { now, nonce, ...(deps.transport === undefined ? {} : { transport: deps.transport }) };
  // Fetches nothing before the first request: resolving a config must not call STS or the metadata service.
  const keys = createTemporaryCredentialsSource({
    fetch: (signal) =>
      plan.kind === "assumeRole"
        ? assumeAlibabaRole(plan, { ...fetchDeps, signal })
        : fetchAlibabaEcsRole(plan, { ...fetchDeps, signal }),
    clock: deps.credentialClock ?? { now },
    operation: plan.kind === "assumeRole" ? "AssumeRole" : "EcsMetadataRoleCredentials",
  });
  return async (request, signal) => sign(request, await keys.get(signal), new Date(now()), nonce());
}
