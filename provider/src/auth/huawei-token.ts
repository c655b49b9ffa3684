// @API IAM POST /v3/auth/tokens
/**
 * Huawei IAM password authentication (docs/signing.md#huawei-iam-token): exchanges user name, password and account
 * (domain) for a project-scoped token, sent on CCE calls as `X-Auth-Token`.
 *
 * The token (tokens live 24 h) is cached, shared by concurrent callers and refreshed before it
 * expires as temporary keys are (temporary-credentials.ts). The password and every token are
 * registered with `redact` so they can never appear in an error or a log line.
 */
import { z } from "zod";
import { type ApiError, type InputIssue, ResponseShapeError } from "../errors";
import { redactedExcerpt, registerSecret } from "../internal/redact";
import { parseTimestamp } from "../internal/timestamps";
import { jsonOrUndefined, toIssues } from "../internal/validate";
import { type HttpResponse, type Transport } from "../transport/types";
import { iamApiError } from "./iam-error";
import { createTemporaryCredentialsSource, type Expiring } from "./temporary-credentials";
import { type HuaweiPasswordCredentials } from "./types";

export const IAM_TOKEN_OPERATION = "KeystoneCreateUserTokenByPassword";

/** Refresh this long before `expires_at`, so a token never expires in the middle of a wait. */
export const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export interface HuaweiTokenSource {
  /** A valid token, fetched or refreshed if needed. */
  getToken(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached token (e.g. after a 401), so the next `getToken` fetches a new one. */
  invalidate(): void;
}

export interface HuaweiTokenSourceOptions {
  readonly transport: Transport;
  /** e.g. `https://iam.cn-north-4.myhuaweicloud.com`, no trailing slash needed. */
  readonly iamEndpoint: string;
  readonly credentials: HuaweiPasswordCredentials;
  /**
   * The id of the project to scope the token to: the project of the CCE paths. By id, not by the
   * region name, which scopes to the region's main project only (a region may have several).
   */
  readonly projectId: string;
  readonly clock?: { now(): number };
  readonly refreshBeforeExpiryMs?: number;
  /** Overrides the IAM error mapping; the default reads both IAM error dialects. */
  readonly toApiError?: (response: HttpResponse, operation: string) => ApiError;
}

const TokenResponse = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    issued_at: z.string().optional(),
  }),
});

function passwordAuthBody(credentials: HuaweiPasswordCredentials, projectId: string): string {
  return JSON.stringify({
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: {
            name: credentials.userName,
            password: credentials.password,
            domain: { name: credentials.domainName },
          },
        },
      },
      scope: { project: { id: projectId } },
    },
  });
}

export function createHuaweiTokenSource(options: HuaweiTokenSourceOptions): HuaweiTokenSource {
  const { transport, credentials, projectId } = options;
  const toApiError = options.toApiError ?? iamApiError;
  const url = `${options.iamEndpoint.replace(/\/+$/, "")}/v3/auth/tokens?nocatalog=true`;
  registerSecret(credentials.password);

  async function fetchToken(signal: AbortSignal): Promise<Expiring<string>> {
    const response = await transport.send(
      {
        method: "POST",
        url,
        headers: { "content-type": "application/json;charset=UTF-8" },
        body: passwordAuthBody(credentials, projectId),
      },
      { cloud: "iam", operation: IAM_TOKEN_OPERATION, retryMode: "idempotent", signal },
    );
    const token = response.headers["x-subject-token"];
    if (token !== undefined) registerSecret(token);
    if (response.status < 200 || response.status > 299) throw toApiError(response, IAM_TOKEN_OPERATION);
    const shapeError = (issues: InputIssue[]) =>
      new ResponseShapeError(IAM_TOKEN_OPERATION, issues, redactedExcerpt(response.body));
    if (token === undefined || token === "") {
      throw shapeError([{ path: "headers.x-subject-token", message: "missing" }]);
    }
    const parsed = TokenResponse.safeParse(jsonOrUndefined(response.body));
    if (!parsed.success) throw shapeError(toIssues(parsed.error));
    const expiresAt = parseTimestamp(parsed.data.token.expires_at);
    if (expiresAt === undefined) throw shapeError([{ path: "token.expires_at", message: "not a timestamp" }]);
    return { value: token, expiresAt };
  }

  const source = createTemporaryCredentialsSource({
    fetch: fetchToken,
    clock: options.clock ?? { now: () => Date.now() },
    refreshBeforeExpiryMs: options.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
    operation: IAM_TOKEN_OPERATION,
    messages: {
      aborted: `IAM ${IAM_TOKEN_OPERATION}: aborted while waiting for a token`,
      cancelled: "every caller waiting for this IAM token aborted",
    },
  });
  return { getToken: (signal) => source.get(signal), invalidate: () => source.invalidate() };
}
