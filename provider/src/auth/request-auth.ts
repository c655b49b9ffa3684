/**
 * The per-attempt signing hooks the clients pass to `Transport.send` as `sign`. Each call stamps a
 * fresh date (and, for Alibaba, a fresh nonce: the gateway rejects a reused one).
 */
import { randomUUID } from "node:crypto";
import { type HttpRequest, type Transport } from "../transport/types";
import { signAcs3Request, signRoaV2Request } from "./alibaba-signer";
import { signHuaweiRequest } from "./huawei-signer";
import { createHuaweiTokenSource, type HuaweiTokenSource } from "./huawei-token";
import { type AckConfig, type CceConfig } from "./types";

/** Signs or authenticates one CCE request. `invalidate` drops a cached IAM token (after a 401). */
export type CceRequestAuth = ((request: HttpRequest, signal?: AbortSignal) => Promise<HttpRequest>) & {
  invalidate(): void;
};

export type AckRequestAuth = (request: HttpRequest) => HttpRequest;

function withHeader(request: HttpRequest, name: string, value: string): HttpRequest {
  return { ...request, headers: { ...request.headers, [name]: value } };
}

export function createCceRequestAuth(
  config: CceConfig,
  deps: { transport: Transport; clock?: { now(): number } },
): CceRequestAuth {
  const now = () => deps.clock?.now() ?? Date.now();
  const { credentials } = config;
  switch (credentials.kind) {
    case "aksk":
      return Object.assign(
        async (request: HttpRequest) =>
          signHuaweiRequest(
            withHeader(request, "x-project-id", config.projectId),
            credentials,
            new Date(now()),
          ),
        { invalidate: () => undefined },
      );
    case "token":
      return Object.assign(
        async (request: HttpRequest) => withHeader(request, "x-auth-token", credentials.token),
        {
          invalidate: () => undefined,
        },
      );
    case "password": {
      // Created on first use: resolving a config must not talk to IAM.
      let source: HuaweiTokenSource | undefined;
      const tokens = (): HuaweiTokenSource =>
        (source ??= createHuaweiTokenSource({
          transport: deps.transport,
          iamEndpoint: config.iamEndpoint,
          credentials,
          projectName: config.region,
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
  deps: { now?: () => number; nonce?: () => string } = {},
): AckRequestAuth {
  const now = deps.now ?? (() => Date.now());
  // 32 hex digits from a UUID: node draws those from a pooled entropy buffer, unlike randomBytes.
  const nonce = deps.nonce ?? (() => randomUUID().replace(/-/g, ""));
  const sign = config.signatureAlgorithm === "HMAC-SHA1" ? signRoaV2Request : signAcs3Request;
  return (request) => sign(request, config.credentials, new Date(now()), nonce());
}
