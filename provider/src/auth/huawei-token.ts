// @API IAM POST /v3/auth/tokens
/**
 * Huawei IAM password authentication (docs/signing.md#huawei-iam-token): exchanges user name, password and account
 * (domain) for a project-scoped token, sent on CCE calls as `X-Auth-Token`.
 *
 * The token is cached until shortly before it expires (tokens live 24 h); callers that ask while a
 * request is under way share it (single flight); the request is cancelled only when every caller
 * waiting for it has aborted. A failed refresh of a token that has not expired yet gives that token
 * instead of the error. The password and every token are registered with
 * `redact` so they can never appear in an error or a log line.
 */
import { z } from "zod";
import { type ApiError, type InputIssue, ResponseShapeError, TransportError } from "../errors";
import { redactedExcerpt, registerSecret } from "../internal/redact";
import { parseTimestamp } from "../internal/timestamps";
import { jsonOrUndefined, toIssues } from "../internal/validate";
import { untilAborted } from "../transport/clock";
import { type HttpResponse, type Transport } from "../transport/types";
import { iamApiError } from "./iam-error";
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
  /** The project to scope the token to; for Huawei this is the region name, e.g. `cn-north-4`. */
  readonly projectName: string;
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

interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
  readonly expiresAt: number;
}

function passwordAuthBody(credentials: HuaweiPasswordCredentials, projectName: string): string {
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
      scope: { project: { name: projectName } },
    },
  });
}

function abortError(signal: AbortSignal): TransportError {
  return new TransportError("ABORTED", `IAM ${IAM_TOKEN_OPERATION}: aborted while waiting for a token`, {
    operation: IAM_TOKEN_OPERATION,
    attempts: 0,
    ambiguous: false,
    cause: signal.reason,
  });
}

/** One IAM request shared by every caller that asked while it was under way. */
interface Flight {
  readonly request: Promise<CachedToken>;
  readonly controller: AbortController;
  /** Callers still waiting for it; when the last one aborts, the request is cancelled. */
  waiters: number;
}

export function createHuaweiTokenSource(options: HuaweiTokenSourceOptions): HuaweiTokenSource {
  const { transport, credentials, projectName } = options;
  const clock = options.clock ?? { now: () => Date.now() };
  const margin = options.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS;
  const toApiError = options.toApiError ?? iamApiError;
  const url = `${options.iamEndpoint.replace(/\/+$/, "")}/v3/auth/tokens?nocatalog=true`;
  registerSecret(credentials.password);

  let cached: CachedToken | undefined;
  let inFlight: Flight | undefined;
  // Bumped by invalidate(): a fetch started before it must not refill the cache.
  let generation = 0;

  async function fetchToken(signal: AbortSignal): Promise<CachedToken> {
    const response = await transport.send(
      {
        method: "POST",
        url,
        headers: { "content-type": "application/json;charset=UTF-8" },
        body: passwordAuthBody(credentials, projectName),
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
    const now = clock.now();
    // A token that lives less than twice the margin is refreshed halfway through its life instead.
    const refreshAt = expiresAt - Math.min(margin, Math.max(0, (expiresAt - now) / 2));
    return { token, refreshAt, expiresAt };
  }

  return {
    getToken(signal?: AbortSignal): Promise<string> {
      if (cached !== undefined && clock.now() < cached.refreshAt) return Promise.resolve(cached.token);
      if (signal?.aborted === true) return Promise.reject(abortError(signal));
      if (inFlight === undefined) {
        const started = generation;
        const controller = new AbortController();
        const request = fetchToken(controller.signal).then(
          (fresh) => {
            if (started === generation) cached = fresh;
            return fresh;
          },
          (error: unknown) => {
            // Refreshing early is a precaution: a token still valid beats the error (the next call retries).
            if (cached !== undefined && clock.now() < cached.expiresAt) return cached;
            throw error;
          },
        );
        const flight: Flight = { request, controller, waiters: 0 };
        inFlight = flight;
        const clear = (): void => {
          if (inFlight === flight) inFlight = undefined;
        };
        request.then(clear, clear);
      }
      const flight = inFlight;
      flight.waiters += 1;
      // The last caller to give up cancels the IAM request: nobody is left to use the token, and
      // an abandoned login must not hold a connection (and `transport.close()`) until its timeout.
      const leave = (): void => {
        flight.waiters -= 1;
        if (flight.waiters > 0) return;
        if (inFlight === flight) inFlight = undefined;
        flight.controller.abort(new Error("every caller waiting for this IAM token aborted"));
      };
      // The shared work is not cancelled for one caller: `leave` cancels it when the last has left.
      return untilAborted(
        flight.request.then((fresh) => fresh.token),
        signal,
        () => {
          leave();
          return abortError(signal as AbortSignal);
        },
      );
    },
    invalidate(): void {
      generation += 1;
      cached = undefined;
      inFlight = undefined;
    },
  };
}
