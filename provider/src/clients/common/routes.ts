/**
 * Route tables are data: each cloud lists `operation → method + path template` once, and every
 * method builds its URL from that entry. Path parameters are percent-encoded (RFC 3986) and the id
 * schema rejects the dot-segments `.` and `..` (arg-schemas.ts), so an id cannot change the path it
 * is placed in.
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
  let path = "";
  for (const part of compiled(route)) {
    if (part.literal !== undefined) {
      path += part.literal;
      continue;
    }
    const value = pathParams[part.param];
    // A programming error in this package, not bad user input: arguments are validated earlier.
    if (value === undefined) throw new Error(`route ${route.path} needs path parameter ${part.param}`);
    path += percentEncode(value);
  }
  let search = "";
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    search += `${search === "" ? "?" : "&"}${percentEncode(key)}=${percentEncode(String(value))}`;
  }
  const base = endpoint.endsWith("/") ? endpoint.replace(/\/+$/, "") : endpoint;
  return `${base}${path}${search}`;
}

type TemplatePart =
  { readonly literal: string; readonly param?: never } | { readonly literal?: never; readonly param: string };

/** Each route's template split once into literal text and `{param}` names (a URL is built per call). */
const templates = new WeakMap<Route, readonly TemplatePart[]>();

function compiled(route: Route): readonly TemplatePart[] {
  let parts = templates.get(route);
  if (parts === undefined) {
    const split = route.path.split(/\{([A-Za-z0-9_]+)\}/);
    // split() with a capture group alternates literal text and parameter names.
    parts = split
      .map((text, index): TemplatePart => (index % 2 === 0 ? { literal: text } : { param: text }))
      .filter((part) => part.literal !== "");
    templates.set(route, parts);
  }
  return parts;
}
