/** A plain HTTP client for tests (node:http, a connection per request), plus signed-request builders. */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import {
  acsDate,
  nonce,
  queryString,
  sdkDate,
  sha256,
  signAcs3,
  signHuawei,
  signRoa,
  type RawRequest,
} from "./signers";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

// No keep-alive: a reused socket can be one the server is closing at that moment, which fails the
// request with ECONNRESET (seen twice in CI on a loaded machine). A fresh connection per request
// costs little against a local emulator.
const agent = new Agent({ keepAlive: false, maxSockets: 16 });

export function send(
  url: string,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  body: string | Buffer = "",
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: pathAndQuery,
        headers: {
          ...headers,
          ...(body.length > 0 ? { "content-length": String(Buffer.byteLength(body)) } : {}),
        },
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

export const HW_CREDS = {
  ak: "UGEMU-HW-AK",
  sk: "ugemu-hw-sk",
  projectId: "ugemuproject0000000000000000000a",
};
export const ALI_CREDS = { id: "UGEMU-ALI-AK", secret: "ugemu-ali-sk" };

export interface TokenRequestOptions {
  /** Default: the default IAM user's own. */
  readonly password?: string;
  readonly contentType?: string;
}

/** KeystoneCreateUserTokenByPassword (`POST /v3/auth/tokens`) as the default IAM user, for `scope`. */
export function requestToken(
  url: string,
  scope: Record<string, unknown> = { project: { name: "cn-north-4" } },
  options: TokenRequestOptions = {},
): Promise<HttpAnswer> {
  const user = {
    name: "ugemu-user",
    password: options.password ?? "ugemu-password",
    domain: { name: "ugemu-domain" },
  };
  return send(
    url,
    "POST",
    "/v3/auth/tokens",
    { "content-type": options.contentType ?? "application/json" },
    JSON.stringify({ auth: { identity: { methods: ["password"], password: { user } }, scope } }),
  );
}

/** The token the emulator issues for `scope` (asserting it was issued: 201). */
export async function issueToken(
  url: string,
  scope?: Record<string, unknown>,
  options?: TokenRequestOptions,
): Promise<string> {
  const answer = await requestToken(url, scope, options);
  expect(answer.status).toBe(201);
  return String(answer.headers["x-subject-token"]);
}

export interface SignedOptions {
  readonly query?: Array<[string, string]>;
  readonly body?: unknown;
  /** Signing time (ms); default now. */
  readonly at?: number;
  readonly ak?: string;
  readonly sk?: string;
  readonly extraHeaders?: Record<string, string>;
  /** Change the request after signing (tampering). */
  readonly tamper?: (request: RawRequest) => void;
}

/** Sends a signed request, after `tamper` (if any) changed it. */
function sendSigned(
  url: string,
  request: RawRequest,
  tamper?: (request: RawRequest) => void,
): Promise<HttpAnswer> {
  tamper?.(request);
  const qs = queryString(request.query);
  return send(
    url,
    request.method,
    `${request.path}${qs === "" ? "" : `?${qs}`}`,
    request.headers,
    request.body,
  );
}

/** A CCE call signed like the Node SDK does (`content-type;host;x-project-id;x-sdk-date`). */
export function huawei(
  url: string,
  method: string,
  path: string,
  options: SignedOptions = {},
): Promise<HttpAnswer> {
  const host = new URL(url).host;
  const body = options.body === undefined ? "" : JSON.stringify(options.body);
  const request: RawRequest = {
    method,
    path,
    query: options.query ?? [],
    headers: {
      "content-type": "application/json",
      host,
      "x-project-id": HW_CREDS.projectId,
      "x-sdk-date": sdkDate(options.at ?? Date.now()),
      ...(options.extraHeaders ?? {}),
    },
    body,
  };
  request.headers["authorization"] = signHuawei(
    request,
    options.ak ?? HW_CREDS.ak,
    options.sk ?? HW_CREDS.sk,
    ["content-type", "host", "x-project-id", "x-sdk-date"],
  );
  return sendSigned(url, request, options.tamper);
}

export interface AliOptions extends SignedOptions {
  readonly action: string;
  readonly nonce?: string;
  readonly algorithm?: "ACS3" | "V2";
}

/** An ACK call signed with ACS3-HMAC-SHA256 (default) or ROA V2. */
export function alibaba(url: string, method: string, path: string, options: AliOptions): Promise<HttpAnswer> {
  const host = new URL(url).host;
  const body = options.body === undefined ? "" : JSON.stringify(options.body);
  const at = options.at ?? Date.now();
  const headers: Record<string, string> =
    options.algorithm === "V2"
      ? {
          accept: "application/json",
          date: new Date(at).toUTCString(),
          host,
          "x-acs-action": options.action,
          "x-acs-signature-method": "HMAC-SHA1",
          "x-acs-signature-nonce": options.nonce ?? nonce(),
          "x-acs-signature-version": "1.0",
          "x-acs-version": "2015-12-15",
        }
      : {
          host,
          "x-acs-action": options.action,
          "x-acs-version": "2015-12-15",
          "x-acs-date": acsDate(at),
          "x-acs-signature-nonce": options.nonce ?? nonce(),
          "x-acs-content-sha256": sha256(body),
          accept: "application/json",
        };
  if (body !== "") headers["content-type"] = "application/json; charset=utf-8";
  Object.assign(headers, options.extraHeaders ?? {});
  const request: RawRequest = { method, path, query: options.query ?? [], headers, body };
  request.headers["authorization"] =
    options.algorithm === "V2"
      ? signRoa(request, options.ak ?? ALI_CREDS.id, options.sk ?? ALI_CREDS.secret)
      : signAcs3(request, options.ak ?? ALI_CREDS.id, options.sk ?? ALI_CREDS.secret);
  return sendSigned(url, request, options.tamper);
}

/** The control API. */
export async function control<T = unknown>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const answer = await send(
    url,
    method,
    `/__emulator/${path}`,
    body === undefined ? {} : { "content-type": "application/json" },
    body === undefined ? "" : JSON.stringify(body),
  );
  return { status: answer.status, body: (answer.text === "" ? undefined : JSON.parse(answer.text)) as T };
}
