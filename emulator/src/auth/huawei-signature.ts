/**
 * Verifies Huawei `SDK-HMAC-SHA256` (API-gateway AK/SK) signatures, docs/signing.md#huawei-signing.
 *
 * The header set is whatever the client lists in `SignedHeaders`: the Node SDK signs
 * `content-type;host;x-project-id;x-sdk-date`, the Go SDK `user-agent;x-project-id;x-sdk-date`.
 * Only `x-sdk-date` is mandatory, and it must be within 15 minutes of the real wall clock.
 */
import {
  canonicalQuery,
  firstHeader,
  headerValues,
  hmacSha256Hex,
  MAX_SKEW_MS,
  parseSignedAuthorization,
  rfc3986Encode,
  decodeComponent,
  sameSignature,
  sha256Hex,
  type SignedRequestView,
} from "./canonical";
import { huaweiAuthError } from "../server/vendor-errors";

export const HUAWEI_ALGORITHM = "SDK-HMAC-SHA256";

/** `YYYYMMDDTHHMMSSZ` to epoch ms; undefined when malformed. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

const UNRESERVED_PATH = /^[A-Za-z0-9\-_.~/]*$/;

/**
 * Canonical URIs the client may have signed: each segment escaped, a trailing `/` always appended.
 * The Go SDK escapes the decoded path, the Node SDK the path as sent; they differ only when the path
 * holds `%` escapes, so usually there is one candidate.
 */
export function huaweiCanonicalUris(rawPath: string): string[] {
  const withSlash = (p: string): string => (p.endsWith("/") ? p : `${p}/`);
  // Only unreserved characters and slashes: every segment escapes to itself, on both SDKs.
  if (UNRESERVED_PATH.test(rawPath)) return [withSlash(rawPath)];
  const segments = rawPath.split("/");
  const fromDecoded = withSlash(
    segments.map((s) => rfc3986Encode(decodeComponent(s.replace(/\+/g, "%2B")))).join("/"),
  );
  if (!rawPath.includes("%")) return [fromDecoded];
  const fromRaw = withSlash(segments.map((s) => rfc3986Encode(s)).join("/"));
  return fromRaw === fromDecoded ? [fromDecoded] : [fromDecoded, fromRaw];
}

export function huaweiCanonicalHeaders(view: SignedRequestView, signedHeaders: readonly string[]): string {
  let text = "";
  for (const name of signedHeaders) {
    text += `${name}:${headerValues(view, name).join(",")}\n`;
  }
  return text;
}

export function huaweiCanonicalRequest(
  view: SignedRequestView,
  canonicalUri: string,
  signedHeaders: readonly string[],
): string {
  const payloadHash = firstHeader(view, "x-sdk-content-sha256") ?? sha256Hex(view.body);
  return [
    view.method,
    canonicalUri,
    canonicalQuery(view.rawQuery),
    huaweiCanonicalHeaders(view, signedHeaders),
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export function huaweiSignature(secretKey: string, sdkDate: string, canonicalRequest: string): string {
  return hmacSha256Hex(secretKey, `${HUAWEI_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`);
}

/**
 * Verifies the request; returns the access key that signed it or throws the gateway's `APIGW.0301`.
 * `secretOf` returns undefined for an unknown key.
 */
export function verifyHuaweiSignature(
  view: SignedRequestView,
  authorization: string,
  secretOf: (accessKey: string) => string | undefined,
  wallNow: number,
): string {
  const auth = parseSignedAuthorization(authorization, HUAWEI_ALGORITHM, "Access");
  if (auth === undefined) throw huaweiAuthError("Authorization format incorrect");
  const sdkDate = firstHeader(view, "x-sdk-date");
  if (sdkDate === undefined || !auth.signedHeaders.includes("x-sdk-date")) {
    throw huaweiAuthError("X-Sdk-Date header is missing or not signed");
  }
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined)
    throw huaweiAuthError(`X-Sdk-Date ${sdkDate} is not in the format YYYYMMDDTHHMMSSZ`);
  if (Math.abs(wallNow - signedAt) > MAX_SKEW_MS) {
    throw huaweiAuthError(
      `the request has expired: X-Sdk-Date ${sdkDate} is more than 15 minutes from server time`,
    );
  }
  const secretKey = secretOf(auth.accessKey);
  if (secretKey === undefined) throw huaweiAuthError(`ak ${auth.accessKey} not exist`);
  // The signers sign this header's value instead of hashing the body; any value but UNSIGNED-PAYLOAD
  // must then be the body's hash, or a body changed in flight would pass (stricter than documented).
  const declaredHash = firstHeader(view, "x-sdk-content-sha256");
  if (
    declaredHash !== undefined &&
    declaredHash !== "UNSIGNED-PAYLOAD" &&
    declaredHash.toLowerCase() !== sha256Hex(view.body)
  ) {
    throw huaweiAuthError("verify aksk signature fail: X-Sdk-Content-Sha256 does not match the request body");
  }
  for (const uri of huaweiCanonicalUris(view.rawPath)) {
    const expected = huaweiSignature(
      secretKey,
      sdkDate,
      huaweiCanonicalRequest(view, uri, auth.signedHeaders),
    );
    if (sameSignature(expected, auth.signature)) return auth.accessKey;
  }
  throw huaweiAuthError("verify aksk signature fail");
}
