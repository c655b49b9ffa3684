/**
 * Huawei Cloud AK/SK signing, `SDK-HMAC-SHA256` (API Gateway), as in docs/signing.md#huawei-signing. Pure: the time
 * comes in as a parameter, nothing is read from the environment.
 *
 * Signed headers: `host` (from the URL unless given) plus every header present, names lower-cased
 * and sorted, values trimmed. This is the Node SDK's choice; the gateway verifies whatever list the
 * `SignedHeaders` field names, so signing more than the Go SDK does is fine.
 */
import { createHmac } from "node:crypto";
import { type HttpRequest } from "../transport/types";
import { type HuaweiAkSkCredentials } from "./types";
import { canonicalForm, rfc3986Encode, sha256Hex, unsignedHeaders, type CanonicalForm } from "./canonical";

export const HUAWEI_ALGORITHM = "SDK-HMAC-SHA256";

/** An AK/SK pair, with the security token of temporary credentials. */
export type HuaweiSigningCredentials = Omit<HuaweiAkSkCredentials, "kind">;

/** `YYYYMMDDTHHMMSSZ`, UTC. */
export function huaweiSdkDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
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
    .map((segment) => rfc3986Encode(decodeSegment(segment)))
    .join("/");
  return escaped.endsWith("/") ? escaped : `${escaped}/`;
}

/**
 * The canonical request (docs/signing.md#huawei-signing) for a request that already carries `x-sdk-date` (and any other
 * header it will send).
 */
export function huaweiCanonicalRequest(request: HttpRequest): CanonicalForm {
  return huaweiCanonical(request, new URL(request.url), unsignedHeaders(request));
}

/** `headers` a lower-cased, unsigned copy this may add `host` to; the URL parsed once by the caller. */
function huaweiCanonical(request: HttpRequest, url: URL, headers: Record<string, string>): CanonicalForm {
  headers["host"] ??= url.host;
  const payloadHash = headers["x-sdk-content-sha256"] ?? sha256Hex(request.body ?? "");
  return canonicalForm(
    request.method,
    canonicalUri(url.pathname),
    url.search,
    headers,
    () => true,
    payloadHash,
  );
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
  const headers = unsignedHeaders(request);
  headers["x-sdk-date"] = sdkDate;
  if (credentials.securityToken !== undefined) headers["x-security-token"] = credentials.securityToken;
  // The canonical form signs `host` even when the request does not send it (undici adds it).
  const { canonicalRequest, signedHeaders } = huaweiCanonical(request, new URL(request.url), { ...headers });
  const signature = createHmac("sha256", credentials.secretKey)
    .update(huaweiStringToSign(canonicalRequest, sdkDate), "utf8")
    .digest("hex");
  headers["authorization"] =
    `${HUAWEI_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { ...request, headers };
}
