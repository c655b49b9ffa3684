/**
 * Huawei Cloud AK/SK signing, `SDK-HMAC-SHA256` (API Gateway), as in docs/signing.md#huawei-signing. Pure: the time
 * comes in as a parameter, nothing is read from the environment.
 *
 * Signed headers: `host` (from the URL unless given) plus every header present, names lower-cased
 * and sorted, values trimmed. This is the Node SDK's choice; the gateway verifies whatever list the
 * `SignedHeaders` field names, so signing more than the Go SDK does is fine.
 */
import { createHash, createHmac } from "node:crypto";
import { type HttpRequest } from "../transport/types";

export const HUAWEI_ALGORITHM = "SDK-HMAC-SHA256";

export interface HuaweiSigningCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
}

/** RFC 3986 escaping over UTF-8 bytes: only `A-Z a-z 0-9 - _ . ~` stay as they are. */
export function huaweiEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `YYYYMMDDTHHMMSSZ`, UTC. */
export function huaweiSdkDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Each path segment decoded then escaped; a trailing `/` is always present. */
function canonicalUri(pathname: string): string {
  const escaped = pathname
    .split("/")
    .map((segment) => huaweiEscape(decodeSegment(segment)))
    .join("/");
  return escaped.endsWith("/") ? escaped : `${escaped}/`;
}

/** Keys sorted, keys and values escaped, repeated keys sorted by value, joined with `&`. */
function canonicalQuery(search: string): string {
  const pairs = [...new URLSearchParams(search)].map(([key, value]) => [
    huaweiEscape(key),
    huaweiEscape(value),
  ]);
  pairs.sort(([ka = "", va = ""], [kb = "", vb = ""]) => (ka === kb ? compare(va, vb) : compare(ka, kb)));
  return pairs.map(([key, value]) => `${key}=${value}`).join("&");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-cased header map with `host` filled in from the URL when absent. */
function headersToSign(request: HttpRequest): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) headers.set(name.toLowerCase(), value);
  if (!headers.has("host")) headers.set("host", new URL(request.url).host);
  headers.delete("authorization");
  return headers;
}

export interface HuaweiCanonicalForm {
  readonly canonicalRequest: string;
  readonly signedHeaders: string;
}

/**
 * The canonical request (docs/signing.md#huawei-signing) for a request that already carries `x-sdk-date` (and any other
 * header it will send).
 */
export function huaweiCanonicalRequest(request: HttpRequest): HuaweiCanonicalForm {
  const url = new URL(request.url);
  const headers = headersToSign(request);
  const names = [...headers.keys()].sort(compare);
  const canonicalHeaders = names.map((name) => `${name}:${(headers.get(name) ?? "").trim()}\n`).join("");
  const signedHeaders = names.join(";");
  const payloadHash = headers.get("x-sdk-content-sha256") ?? sha256Hex(request.body ?? "");
  const canonicalRequest = [
    request.method,
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  return { canonicalRequest, signedHeaders };
}

export function huaweiStringToSign(canonicalRequest: string, sdkDate: string): string {
  return `${HUAWEI_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * Returns a copy of `request` with `x-sdk-date`, `x-security-token` (temporary credentials) and
 * `authorization` set. Any earlier signature on the request is replaced.
 */
export function signHuaweiRequest(
  request: HttpRequest,
  credentials: HuaweiSigningCredentials,
  now: Date,
): HttpRequest {
  const sdkDate = huaweiSdkDate(now);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower !== "authorization") headers[lower] = value;
  }
  headers["x-sdk-date"] = sdkDate;
  if (credentials.securityToken !== undefined) headers["x-security-token"] = credentials.securityToken;
  const prepared: HttpRequest = { ...request, headers };

  const { canonicalRequest, signedHeaders } = huaweiCanonicalRequest(prepared);
  const signature = createHmac("sha256", credentials.secretKey)
    .update(huaweiStringToSign(canonicalRequest, sdkDate), "utf8")
    .digest("hex");
  headers["authorization"] =
    `${HUAWEI_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { ...request, headers };
}
