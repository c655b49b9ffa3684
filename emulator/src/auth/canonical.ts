/**
 * Pieces shared by the signature verifiers: RFC 3986 escaping, query parsing, header access. The
 * verifiers rebuild the canonical request from the bytes that arrived, never from what a client
 * library would have produced, so a client that signs something else than it sends is caught.
 */
import * as crypto from "node:crypto";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { type IncomingHttpHeaders } from "node:http";

/** What a verifier sees of a request. */
export interface SignedRequestView {
  readonly method: string;
  /** Path exactly as received (percent-encoded), without the query. */
  readonly rawPath: string;
  /** Query exactly as received, without `?`; "" when none. */
  readonly rawQuery: string;
  /** Node's header map (lower-case names, repeated values joined with ", "). */
  readonly headers: IncomingHttpHeaders;
  /**
   * Names and values as received, alternating (Node's `rawHeaders`), for multi-valued canonical
   * headers: read only for the signed names, where Node's `headersDistinct` would map every header.
   */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;

/** Escapes all but `A-Z a-z 0-9 - _ . ~` as upper-case `%XX` of the UTF-8 bytes (both clouds' rule). */
export function rfc3986Encode(value: string): string {
  // Most path segments and query values are ids: nothing to escape (a regex test is far cheaper).
  if (UNRESERVED_ONLY.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // Lone surrogates: encode what Buffer makes of them instead of failing the request.
    encoded = Array.from(Buffer.from(value, "utf8"), (b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
    ).join("");
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes a percent-encoded component; `+` is a space (form encoding). Malformed input stays raw. */
export function decodeComponent(value: string): string {
  const spaced = value.includes("+") ? value.replace(/\+/g, " ") : value;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Decoded query pairs in arrival order. */
export function parseQueryPairs(rawQuery: string): Array<[string, string]> {
  if (rawQuery === "") return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([decodeComponent(key), decodeComponent(value)]);
  }
  return pairs;
}

/** Code-unit order, as both SDKs' `sort()` produce. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every value of one header, trimmed, in arrival order (the clouds differ in whether they sort them). */
export function headerValues(view: SignedRequestView, name: string): string[] {
  const values: string[] = [];
  const raw = view.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i] as string;
    if (key.length === name.length && key.toLowerCase() === name) values.push((raw[i + 1] as string).trim());
  }
  return values;
}

export function firstHeader(view: SignedRequestView, name: string): string | undefined {
  const value = view.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : value;
}

/** Node 20.12+ has a one-shot `crypto.hash`, twice as fast as `createHash` for short input (@types/node lags). */
const oneShotHash = (
  crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: "hex") => string }
).hash;

const EMPTY_SHA256_HEX = createHash("sha256").digest("hex");

export function sha256Hex(data: string | Buffer): string {
  if (data.length === 0) return EMPTY_SHA256_HEX;
  return oneShotHash === undefined
    ? createHash("sha256").update(data).digest("hex")
    : oneShotHash("sha256", data, "hex");
}

export function hmacSha256Hex(key: string, data: string): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

/** Constant-time comparison of two signature strings. */
export function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** How far a request's signing date may be from the real clock: 15 minutes on both clouds. */
export const MAX_SKEW_MS = 15 * 60_000;

/** Both clouds' canonical query: key and value escaped, sorted by key then value, joined with `&`. */
export function canonicalQuery(rawQuery: string): string {
  const pairs = parseQueryPairs(rawQuery).map(([k, v]) => [rfc3986Encode(k), rfc3986Encode(v)] as const);
  pairs.sort((a, b) => compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** What both clouds' HMAC-SHA256 Authorization headers carry. */
export interface SignedAuthorization {
  readonly accessKey: string;
  /** Lower-case names in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/**
 * Parses `<algorithm> <accessKeyParam>=AK, SignedHeaders=a;b, Signature=hex` (Huawei's `Access`,
 * Alibaba V3's `Credential`); undefined when malformed.
 */
export function parseSignedAuthorization(
  value: string,
  algorithm: string,
  accessKeyParam: string,
): SignedAuthorization | undefined {
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space) !== algorithm) return undefined;
  const params = parseAuthParams(value.slice(space + 1));
  const accessKey = params.get(accessKeyParam);
  const signedHeaders = params.get("SignedHeaders");
  const signature = params.get("Signature");
  if (!accessKey || !signedHeaders || !signature) return undefined;
  return {
    accessKey,
    signedHeaders: signedHeaders.toLowerCase().split(";"),
    signature: signature.toLowerCase(),
  };
}

/** Splits `k1=v1, k2=v2` (Huawei) or `k1=v1,k2=v2` (Alibaba) into a map. */
export function parseAuthParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return params;
}
