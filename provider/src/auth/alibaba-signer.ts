/**
 * Alibaba Cloud request signing, pure (time and nonce are parameters):
 * - `signAcs3Request`: ACS3-HMAC-SHA256 (V3, docs/signing.md#alibaba-v3-signing), the default of the current TS SDK;
 * - `signRoaV2Request`: the legacy ROA `acs AK:signature` HMAC-SHA1 (docs/signing.md#alibaba-v2-signing).
 * The caller sets `x-acs-action` and `x-acs-version` before signing; both are signed like every
 * other `x-acs-*` header.
 */
import { createHmac } from "node:crypto";
import { type AlibabaCredentials } from "./types";
import { type HttpRequest } from "../transport/types";
import {
  canonicalForm,
  canonicalQuery,
  compare,
  sha256Hex,
  unsignedHeaders,
  type CanonicalForm,
} from "./canonical";

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

/** `YYYY-MM-DDTHH:mm:ssZ`, UTC, no milliseconds (the first 19 characters of the ISO form). */
export function acsDate(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/** The path as sent, with the three substitutions the V3 spec makes. */
function acs3CanonicalUri(pathname: string): string {
  const path = pathname === "" ? "/" : pathname;
  return path.replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/gi, "~");
}

function isAcs3SignedHeader(name: string): boolean {
  return name.startsWith("x-acs-") || name === "host" || name === "content-type";
}

/** The V3 canonical request for a request that already carries every header it will send. */
export function acs3CanonicalRequest(request: HttpRequest): CanonicalForm {
  return acs3Canonical(request, new URL(request.url), unsignedHeaders(request));
}

/** `headers` already lower-cased and unsigned; the URL parsed once by the caller (this runs per call). */
function acs3Canonical(
  request: HttpRequest,
  url: URL,
  headers: Readonly<Record<string, string>>,
): CanonicalForm {
  const payloadHash = headers["x-acs-content-sha256"] ?? sha256Hex(request.body ?? "");
  const uri = acs3CanonicalUri(url.pathname);
  return canonicalForm(request.method, uri, url.search, headers, isAcs3SignedHeader, payloadHash);
}

export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * Returns a copy of `request` with `host`, `x-acs-date`, `x-acs-signature-nonce`,
 * `x-acs-content-sha256`, `x-acs-security-token` (STS) and `authorization` set.
 */
export function signAcs3Request(
  request: HttpRequest,
  credentials: AlibabaCredentials,
  now: Date,
  nonce: string,
): HttpRequest {
  const url = new URL(request.url);
  const headers = unsignedHeaders(request);
  headers["host"] = url.host;
  headers["x-acs-date"] = acsDate(now);
  headers["x-acs-signature-nonce"] = nonce;
  headers["x-acs-content-sha256"] = sha256Hex(request.body ?? "");
  if (credentials.securityToken !== undefined) headers["x-acs-security-token"] = credentials.securityToken;

  const { canonicalRequest, signedHeaders } = acs3Canonical(request, url, headers);
  const signature = createHmac("sha256", credentials.accessKeySecret)
    .update(acs3StringToSign(canonicalRequest), "utf8")
    .digest("hex");
  headers["authorization"] =
    `${ACS3_ALGORITHM} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { ...request, headers };
}

/** V2 header canonicalization: control whitespace becomes a space, then the value is trimmed. */
function v2HeaderValue(value: string): string {
  return value.replace(/[\t\n\r\f]/g, " ").trim();
}

/** Path plus sorted `k=v` pairs, values NOT encoded (the V2 rule). */
function v2CanonicalResource(url: URL): string {
  const query = canonicalQuery(url.search, (text) => text);
  return query === "" ? url.pathname : `${url.pathname}?${query}`;
}

/** The V2 string to sign for a request that already carries every header it will send. */
export function roaV2StringToSign(request: HttpRequest): string {
  const headers = unsignedHeaders(request);
  const acsHeaders = Object.keys(headers)
    .filter((name) => name.startsWith("x-acs-"))
    .sort(compare)
    .map((name) => `${name}:${v2HeaderValue(headers[name] ?? "")}\n`)
    .join("");
  return (
    [
      request.method,
      headers["accept"] ?? "",
      headers["content-md5"] ?? "",
      headers["content-type"] ?? "",
      headers["date"] ?? "",
    ].join("\n") +
    "\n" +
    acsHeaders +
    v2CanonicalResource(new URL(request.url))
  );
}

/**
 * Returns a copy of `request` signed with the legacy ROA V2 scheme: adds `date`, `host`, `accept`
 * (unless set), `x-acs-signature-method/version/nonce`, `x-acs-security-token` (STS) and
 * `authorization: acs AK:signature`. Like the vendor's TS SDK it sends no `Content-MD5`, so the body
 * is not covered by the signature in this scheme; prefer ACS3.
 */
export function signRoaV2Request(
  request: HttpRequest,
  credentials: AlibabaCredentials,
  now: Date,
  nonce: string,
): HttpRequest {
  const headers = unsignedHeaders(request);
  headers["date"] = now.toUTCString();
  headers["host"] = new URL(request.url).host;
  headers["accept"] ??= "application/json";
  headers["x-acs-signature-method"] = "HMAC-SHA1";
  headers["x-acs-signature-version"] = "1.0";
  headers["x-acs-signature-nonce"] = nonce;
  if (credentials.securityToken !== undefined) headers["x-acs-security-token"] = credentials.securityToken;

  const signature = createHmac("sha1", credentials.accessKeySecret)
    .update(roaV2StringToSign({ ...request, headers }), "utf8")
    .digest("base64");
  headers["authorization"] = `acs ${credentials.accessKeyId}:${signature}`;
  return { ...request, headers };
}
