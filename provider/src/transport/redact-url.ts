/**
 * URLs go into logs and error messages; query parameters that carry signatures or credentials are
 * masked first, then the text goes through the shared `redact` (registered secrets, known shapes).
 */
import { redact } from "../internal/redact";

const SENSITIVE_QUERY_KEY = /signature|token|secret|password|credential|accesskey/i;

export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redact(url);
  }
  parsed.username = "";
  parsed.password = "";
  const pairs = parsed.search
    .slice(1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const separator = pair.indexOf("=");
      const key = separator < 0 ? pair : pair.slice(0, separator);
      let decodedKey = key;
      try {
        decodedKey = decodeURIComponent(key);
      } catch {
        // keep the raw key; it is only used to decide whether to mask
      }
      return SENSITIVE_QUERY_KEY.test(decodedKey) ? `${key}=[REDACTED]` : pair;
    });
  const query = pairs.length > 0 ? `?${pairs.join("&")}` : "";
  return redact(`${parsed.origin}${parsed.pathname}${query}`);
}
