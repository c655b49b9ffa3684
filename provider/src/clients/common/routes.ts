/**
 * Route tables are data: each cloud lists `operation → method + path template` once, and every
 * method builds its URL from that entry. Path parameters are percent-encoded (RFC 3986), so an id
 * can never change the path it is placed in.
 */
import { rfc3986Encode as percentEncode } from "../../auth/canonical";
import { type HttpMethod } from "../../transport/types";

export interface Route {
  readonly method: HttpMethod;
  /** Path template with `{param}` placeholders, e.g. `/clusters/{cluster_id}/checks`. */
  readonly path: string;
}

export type QueryValue = string | number | boolean | undefined;

/**
 * The absolute URL for `route`. Every `{param}` must be supplied; query parameters that are
 * `undefined` are left out, the rest are sent in the order given.
 */
export function buildUrl(
  endpoint: string,
  route: Route,
  pathParams: Readonly<Record<string, string>>,
  query: Readonly<Record<string, QueryValue>> = {},
): string {
  const path = route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = pathParams[name];
    // A programming error in this package, not bad user input: arguments are validated earlier.
    if (value === undefined) throw new Error(`route ${route.path} needs path parameter ${name}`);
    return percentEncode(value);
  });
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(String(value))}`);
  return `${endpoint.replace(/\/+$/, "")}${path}${pairs.length === 0 ? "" : `?${pairs.join("&")}`}`;
}
