/**
 * Verifies Alibaba Cloud signatures: `ACS3-HMAC-SHA256` (V3, the TS SDK's default, docs/signing.md#alibaba-v3-signing) and
 * the legacy ROA `acs AK:signature` HMAC-SHA1 (V2, docs/signing.md#alibaba-v2-signing).
 *
 * V3 is checked over the `SignedHeaders` the client lists (the SDK adds `x-acs-credentials-provider`
 * when a credential provider is used), but the common headers must be among them, as the vendor
 * documents. `x-acs-date` (V3) or `date` (V2) must be within 15 minutes of the real wall clock.
 * Nonce replay is checked by the caller after a signature verifies.
 */
import { createHash, createHmac } from "node:crypto";
import {
  canonicalQuery,
  compareCodeUnits,
  firstHeader,
  headerValues,
  hmacSha256Hex,
  MAX_SKEW_MS,
  parseQueryPairs,
  parseSignedAuthorization,
  sameSignature,
  sha256Hex,
  type SignedRequestView,
} from "./canonical";
import {
  aliIncompleteSignature,
  aliSignatureMismatch,
  aliTimestampExpired,
  aliTimestampFormat,
  aliUnknownAccessKey,
} from "../server/vendor-errors";

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

/** Headers every V3 request must sign ("all common headers except Authorization"). */
const V3_REQUIRED_SIGNED = [
  "host",
  "x-acs-action",
  "x-acs-content-sha256",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-version",
] as const;

/** The path as sent, with the SDK's three normalisations. */
export function acs3CanonicalUri(rawPath: string): string {
  // Paths of ids hold none of the three: skip the replacements (measured in the emulator's profile).
  if (!NEEDS_NORMALISING.test(rawPath)) return rawPath;
  return rawPath.replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/g, "~");
}

const NEEDS_NORMALISING = /[+*]|%7E/;

export function acs3CanonicalHeaders(view: SignedRequestView, signedHeaders: readonly string[]): string {
  let text = "";
  for (const name of signedHeaders) {
    text += `${name}:${headerValues(view, name).sort(compareCodeUnits).join(",")}\n`;
  }
  return text;
}

export function acs3CanonicalRequest(view: SignedRequestView, signedHeaders: readonly string[]): string {
  return [
    view.method,
    acs3CanonicalUri(view.rawPath),
    canonicalQuery(view.rawQuery),
    acs3CanonicalHeaders(view, signedHeaders),
    signedHeaders.join(";"),
    firstHeader(view, "x-acs-content-sha256") ?? "",
  ].join("\n");
}

export function acs3Signature(secret: string, canonicalRequest: string): string {
  return hmacSha256Hex(secret, `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`);
}

/** `YYYY-MM-DDTHH:mm:ssZ` to epoch ms. */
export function parseAcsDate(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface VerifiedAlibabaRequest {
  readonly accessKeyId: string;
  readonly algorithm: "ACS3-HMAC-SHA256" | "HMAC-SHA1";
  /** Undefined only for a V2 request that sent none. */
  readonly nonce: string | undefined;
}

function checkFreshness(value: string, parsed: number | undefined, wallNow: number): void {
  if (parsed === undefined) throw aliTimestampFormat(value);
  if (Math.abs(wallNow - parsed) > MAX_SKEW_MS) throw aliTimestampExpired(value);
}

export function verifyAcs3Signature(
  view: SignedRequestView,
  authorization: string,
  secretOf: (accessKeyId: string) => string | undefined,
  wallNow: number,
): VerifiedAlibabaRequest {
  const auth = parseSignedAuthorization(authorization, ACS3_ALGORITHM, "Credential");
  if (auth === undefined)
    throw aliIncompleteSignature(
      "Authorization is not ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...",
    );
  const missing = V3_REQUIRED_SIGNED.filter(
    (h) => !auth.signedHeaders.includes(h) || view.headers[h] === undefined,
  );
  if (
    view.body.length > 0 &&
    view.headers["content-type"] !== undefined &&
    !auth.signedHeaders.includes("content-type")
  ) {
    missing.push("content-type" as (typeof V3_REQUIRED_SIGNED)[number]);
  }
  if (missing.length > 0)
    throw aliIncompleteSignature(`Headers missing or not signed: ${missing.join(", ")}.`);
  const date = firstHeader(view, "x-acs-date") ?? "";
  checkFreshness(date, parseAcsDate(date), wallNow);
  const secret = secretOf(auth.accessKey);
  if (secret === undefined) throw aliUnknownAccessKey();
  const contentHash = firstHeader(view, "x-acs-content-sha256") ?? "";
  if (contentHash !== sha256Hex(view.body)) {
    throw aliSignatureMismatch(
      "The x-acs-content-sha256 header does not match the SHA-256 of the request body.",
    );
  }
  const canonicalRequest = acs3CanonicalRequest(view, auth.signedHeaders);
  if (!sameSignature(acs3Signature(secret, canonicalRequest), auth.signature)) {
    throw aliSignatureMismatch(`The server canonical request is: ${JSON.stringify(canonicalRequest)}`);
  }
  return {
    accessKeyId: auth.accessKey,
    algorithm: "ACS3-HMAC-SHA256",
    nonce: firstHeader(view, "x-acs-signature-nonce"),
  };
}

// --- ROA V2 (HMAC-SHA1) --------------------------------------------------------------------------

export function roaStringToSign(view: SignedRequestView): string {
  const header = (name: string): string => firstHeader(view, name) ?? "";
  const acsHeaders = Object.keys(view.headers)
    .filter((name) => name.startsWith("x-acs-"))
    .sort(compareCodeUnits)
    .map(
      (name) =>
        `${name}:${header(name)
          .replace(/[\t\n\r\f]/g, " ")
          .trim()}\n`,
    )
    .join("");
  const pairs = parseQueryPairs(view.rawQuery).sort((a, b) => compareCodeUnits(a[0], b[0]));
  const resource =
    pairs.length === 0 ? view.rawPath : `${view.rawPath}?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`;
  return `${view.method}\n${header("accept")}\n${header("content-md5")}\n${header("content-type")}\n${header("date")}\n${acsHeaders}${resource}`;
}

export function roaSignature(secret: string, stringToSign: string): string {
  return createHmac("sha1", secret).update(Buffer.from(stringToSign, "utf8")).digest("base64");
}

export function verifyRoaSignature(
  view: SignedRequestView,
  authorization: string,
  secretOf: (accessKeyId: string) => string | undefined,
  wallNow: number,
): VerifiedAlibabaRequest {
  const m = /^acs ([^:\s]+):(\S+)$/.exec(authorization);
  if (!m) throw aliIncompleteSignature("Authorization is not acs AccessKeyId:Signature.");
  const accessKeyId = m[1] ?? "";
  const signature = m[2] ?? "";
  const method = firstHeader(view, "x-acs-signature-method");
  if (method !== undefined && method !== "HMAC-SHA1") {
    throw aliIncompleteSignature(`x-acs-signature-method ${method} is not supported with acs signatures.`);
  }
  const date = firstHeader(view, "date");
  if (date === undefined) throw aliIncompleteSignature("The Date header is required.");
  checkFreshness(date, /GMT$/.test(date) ? Date.parse(date) || undefined : undefined, wallNow);
  const secret = secretOf(accessKeyId);
  if (secret === undefined) throw aliUnknownAccessKey();
  const contentMd5 = firstHeader(view, "content-md5");
  if (contentMd5 !== undefined && contentMd5 !== createHash("md5").update(view.body).digest("base64")) {
    throw aliSignatureMismatch("The Content-MD5 header does not match the request body.");
  }
  const stringToSign = roaStringToSign(view);
  if (!sameSignature(roaSignature(secret, stringToSign), signature)) {
    throw aliSignatureMismatch(`The server string to sign is: ${JSON.stringify(stringToSign)}`);
  }
  return { accessKeyId, algorithm: "HMAC-SHA1", nonce: firstHeader(view, "x-acs-signature-nonce") };
}
