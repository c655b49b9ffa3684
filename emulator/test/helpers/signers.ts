/**
 * Small reference signers for tests, written from the vendor algorithms (docs/signing.md) independently of
 * the emulator's verifiers, and checked against the documented vectors in signature-vectors.test.ts.
 * Tests use them to build requests the official SDKs cannot (expired, tampered, replayed).
 */
import { createHash, createHmac, randomBytes } from "node:crypto";

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string, data: string): string => createHmac("sha256", key).update(data).digest("hex");

/** RFC 3986 unreserved stays, everything else `%XX` upper-case. */
export function escape(value: string): string {
  return Array.from(Buffer.from(value, "utf8"))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

export interface RawRequest {
  method: string;
  /** Path as it will be sent (already percent-encoded). */
  path: string;
  /** Decoded query pairs, sent in this order. */
  query: Array<[string, string]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export function queryString(query: Array<[string, string]>): string {
  return query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

export function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Huawei SDK-HMAC-SHA256 over the given header names (they must be in `headers`). */
export function signHuawei(request: RawRequest, ak: string, sk: string, signed: string[]): string {
  const names = [...signed].map((n) => n.toLowerCase()).sort();
  const segments = request.path.split("/").map((s) => escape(decodeURIComponent(s)));
  let uri = segments.join("/");
  if (!uri.endsWith("/")) uri += "/";
  const query = request.query
    .map(([k, v]) => [escape(k), escape(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalHeaders = names.map((n) => `${n}:${(request.headers[n] ?? "").trim()}\n`).join("");
  const canonical = [
    request.method,
    uri,
    query,
    canonicalHeaders,
    names.join(";"),
    // As the SDK signers do: the declared payload hash (UNSIGNED-PAYLOAD too) instead of the body's.
    request.headers["x-sdk-content-sha256"] ?? sha256(request.body),
  ].join("\n");
  const date = request.headers["x-sdk-date"] ?? "";
  const signature = hmac(sk, `SDK-HMAC-SHA256\n${date}\n${sha256(canonical)}`);
  return `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
}

export function acsDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function nonce(): string {
  return randomBytes(16).toString("hex");
}

/** Alibaba ACS3-HMAC-SHA256 over host, content-type and every x-acs-* header present. */
export function signAcs3(request: RawRequest, accessKeyId: string, secret: string): string {
  const names = Object.keys(request.headers)
    .map((n) => n.toLowerCase())
    .filter((n) => n === "host" || n === "content-type" || n.startsWith("x-acs-"))
    .sort();
  const query = request.query
    .map(([k, v]) => [escape(k), escape(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalHeaders = names.map((n) => `${n}:${(request.headers[n] ?? "").trim()}\n`).join("");
  const canonical = [
    request.method,
    request.path,
    query,
    canonicalHeaders,
    names.join(";"),
    request.headers["x-acs-content-sha256"] ?? sha256(request.body),
  ].join("\n");
  const signature = hmac(secret, `ACS3-HMAC-SHA256\n${sha256(canonical)}`);
  return `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${names.join(";")},Signature=${signature}`;
}

/** Alibaba ROA V2 `acs AK:signature` (HMAC-SHA1). */
export function signRoa(request: RawRequest, accessKeyId: string, secret: string): string {
  const h = (n: string): string => request.headers[n] ?? "";
  const acs = Object.keys(request.headers)
    .filter((n) => n.startsWith("x-acs-"))
    .sort()
    .map((n) => `${n}:${h(n).trim()}\n`)
    .join("");
  const pairs = [...request.query].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const resource =
    pairs.length === 0 ? request.path : `${request.path}?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`;
  const toSign = `${request.method}\n${h("accept")}\n${h("content-md5")}\n${h("content-type")}\n${h("date")}\n${acs}${resource}`;
  return `acs ${accessKeyId}:${createHmac("sha1", secret).update(toSign, "utf8").digest("base64")}`;
}

export { sha256 };
