/**
 * The one redaction function. Errors, logs and fixtures pass text through it so that no access key
 * secret, token, password or signature ever leaves the process in a message.
 *
 * Two mechanisms work together:
 * - shape-based rules mask anything that looks like a credential (Authorization values, token
 *   headers, `password` fields, signature query parameters);
 * - value-based masking: every secret the credential resolver sees is registered here, so the exact
 *   value is masked wherever it appears, whatever the surrounding shape.
 */

export const MASK = "[REDACTED]";
/** Values shorter than this are not registered: masking "a" everywhere would destroy messages. */
const MIN_SECRET_LENGTH = 4;

const registeredSecrets = new Set<string>();

/** Registers a secret value so that it is masked in every later `redact` call of this process. */
export function registerSecret(value: string | undefined): void {
  if (typeof value === "string" && value.length >= MIN_SECRET_LENGTH) registeredSecrets.add(value);
}

/** Test hook: forget registered secrets. */
export function clearRegisteredSecrets(): void {
  registeredSecrets.clear();
}

const SENSITIVE_HEADER_NAMES = new Set([
  "authorization",
  "x-auth-token",
  "x-subject-token",
  "x-security-token",
  "x-acs-security-token",
  "x-acs-bearer-token",
  "cookie",
  "set-cookie",
]);

const SHAPE_RULES: ReadonlyArray<[RegExp, string]> = [
  // Huawei AK/SK and Alibaba V3 Authorization values: keep the scheme, drop the rest.
  [/\b(SDK-HMAC-SHA256|ACS3-HMAC-SHA256)\s+(?:[A-Za-z]+=[^,\s"']*,?\s*)+/g, `$1 ${MASK} `],
  // Alibaba ROA v2: "acs AK:signature".
  [/\bacs\s+[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+/g, `acs ${MASK}`],
  // Header lines or JSON members carrying tokens or signatures.
  [
    /("?(?:authorization|x-auth-token|x-subject-token|x-security-token|x-acs-security-token|x-acs-bearer-token)"?\s*[:=]\s*"?)(?!SDK-HMAC|ACS3-HMAC|acs )([^\s"',}]+)/gi,
    `$1${MASK}`,
  ],
  // JSON or query members named like secrets.
  [
    /("?\b(?:password|secret|secretKey|secret_key|accessKeySecret|access_key_secret|sk|token|securityToken|security_token|signature)"?\s*[:=]\s*"?)([^"&\s,}]+)/gi,
    `$1${MASK}`,
  ],
  [/([?&](?:Signature|signature|X-Amz-Signature)=)[^&\s"]+/g, `$1${MASK}`],
];

/** Returns `text` with every registered secret and every credential-shaped substring masked. */
export function redact(text: string): string {
  // Used on error paths: an untyped caller's non-string must be masked too, never crash here.
  let out = typeof text === "string" ? text : String(text);
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const [pattern, replacement] of SHAPE_RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * `value` with every string in it passed through `redact` (arrays and plain objects copied, keys
 * kept): for what the cloud wrote, e.g. a finding's vendor message, before anything shows or keeps it.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item)) as T;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)])) as T;
  }
  return value;
}

/** Returns a copy of `headers` with sensitive values masked, for logs and error details. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = SENSITIVE_HEADER_NAMES.has(name.toLowerCase()) ? MASK : redact(value);
  }
  return out;
}

/** A redacted, length-capped excerpt of a response body for error messages. */
export function redactedExcerpt(body: string, maxLength = 300): string {
  const clean = redact(body);
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…(${clean.length} chars)` : clean;
}
