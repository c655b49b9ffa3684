/**
 * The canonicalization both clouds' signatures share (docs/signing.md): RFC 3986 escaping, sorted
 * query pairs, the header copy without an earlier signature and the six-part canonical request of
 * the HMAC-SHA256 schemes. What differs (which headers are signed, how the path is written) stays
 * with each signer.
 */
import { createHash } from "node:crypto";
import { type HttpRequest } from "../transport/types";

/**
 * RFC 3986 escaping over UTF-8 bytes: `encodeURIComponent` plus the four characters it leaves
 * alone, so only `A-Z a-z 0-9 - _ . ~` stay as they are.
 */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The hash of an empty payload, which every GET signs. */
const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

export function sha256Hex(text: string): string {
  return text === "" ? EMPTY_SHA256 : createHash("sha256").update(text, "utf8").digest("hex");
}

/** Code-unit order, as the vendors' SDKs sort (not `localeCompare`). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The query's `key=value` pairs, each part passed through `encode` first, sorted by key, repeated
 * keys by value, joined with `&`.
 */
export function canonicalQuery(search: string, encode: (text: string) => string): string {
  if (search === "") return "";
  const pairs = [...new URLSearchParams(search)].map(([key, value]): [string, string] => [
    encode(key),
    encode(value),
  ]);
  return pairs
    .sort(([ka, va], [kb, vb]) => (ka === kb ? compare(va, vb) : compare(ka, kb)))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

/** Lower-cased copy of the request's headers without any earlier signature. */
export function unsignedHeaders(request: HttpRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower !== "authorization") headers[lower] = value;
  }
  return headers;
}

export interface CanonicalForm {
  readonly canonicalRequest: string;
  readonly signedHeaders: string;
}

/**
 * Method, canonical path, canonical query (from the URL's `search`, escaped), one `name:value` line per signed
 * header (names sorted, values trimmed), the signed names joined with `;`, and the payload hash, one
 * per line.
 */
export function canonicalForm(
  method: string,
  canonicalUri: string,
  search: string,
  headers: Readonly<Record<string, string>>,
  signed: (name: string) => boolean,
  payloadHash: string,
): CanonicalForm {
  const names = Object.keys(headers).filter(signed).sort(compare);
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] ?? "").trim()}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    method,
    canonicalUri,
    canonicalQuery(search, rfc3986Encode),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  return { canonicalRequest, signedHeaders };
}
