/**
 * A precompiled route table: each template is split into literal and `{param}` segments once, and a
 * request is matched segment by segment (no regex per request).
 */
import { type AccountBook, type AlibabaAccount, type HuaweiAccount } from "../auth/accounts";
import { type Store } from "../state/store";
import { type TemporaryKeyBook } from "../auth/temporary-keys";

export type Service = "cce" | "iam" | "ack" | "sts" | "alibaba-metadata" | "huawei-metadata";
export type Cloud = "huawei" | "alibaba";

export type Principal =
  | { readonly cloud: "huawei"; readonly account: HuaweiAccount; readonly via: "aksk" }
  | {
      readonly cloud: "huawei";
      readonly account: HuaweiAccount;
      readonly via: "token";
      readonly projectId?: string;
    }
  | {
      readonly cloud: "alibaba";
      readonly account: AlibabaAccount;
      readonly algorithm: "ACS3-HMAC-SHA256" | "HMAC-SHA1";
    }
  | { readonly cloud: "anonymous" };

/** A request's query as handlers may use it: read, never changed. */
export type QueryParams = Pick<URLSearchParams, "get"> & Iterable<[string, string]>;

export interface RouteRequest {
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  /** Read-only: a request without a query shares one empty instance. */
  readonly query: QueryParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly principal: Principal;
  readonly requestId: string;
}

export interface ServiceContext {
  readonly store: Store;
  readonly accounts: AccountBook;
  /** Virtual time of this request. */
  readonly now: number;
  readonly docQuirks: boolean;
  readonly temporaryKeys: TemporaryKeyBook;
}

export interface Reply {
  readonly status: number;
  /** Serialised as JSON; undefined sends an empty body. */
  readonly body?: unknown;
  /** A body sent as is, instead of `body`: the metadata services' text, or JSON rendered once and kept. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (request: RouteRequest, context: ServiceContext) => Reply;

export interface RouteDefinition {
  readonly service: Service;
  /** Vendor operation name (`ListAddonPrecheckTasks`, `GetClusterCheck`). */
  readonly operation: string;
  /** The API version a signed `x-acs-version` must name (Alibaba); default `2015-12-15` (CS). */
  readonly apiVersion?: string;
  readonly method: string;
  readonly path: string;
  readonly auth: "huawei" | "alibaba" | "none";
  readonly handler: Handler;
}

interface CompiledRoute {
  readonly route: RouteDefinition;
  /** Literal segment, or null for a parameter. */
  readonly segments: readonly (string | null)[];
  readonly paramNames: readonly (string | undefined)[];
}

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly params: Record<string, string>;
}

export class Router {
  private readonly byMethod = new Map<string, CompiledRoute[]>();
  private readonly all: CompiledRoute[] = [];

  constructor(routes: readonly RouteDefinition[]) {
    for (const route of routes) {
      const parts = route.path.split("/").slice(1);
      const compiled: CompiledRoute = {
        route,
        segments: parts.map((p) => (p.startsWith("{") ? null : p)),
        paramNames: parts.map((p) => (p.startsWith("{") ? p.slice(1, -1) : undefined)),
      };
      const list = this.byMethod.get(route.method) ?? [];
      list.push(compiled);
      this.byMethod.set(route.method, list);
      this.all.push(compiled);
    }
  }

  routes(): readonly RouteDefinition[] {
    return this.all.map((c) => c.route);
  }

  /** `segments` are the decoded path segments after the leading `/`. */
  match(method: string, segments: readonly string[]): RouteMatch | undefined {
    const candidates = this.byMethod.get(method);
    if (candidates === undefined) return undefined;
    for (const candidate of candidates) {
      if (candidate.segments.length !== segments.length) continue;
      let ok = true;
      for (let i = 0; i < segments.length; i++) {
        const literal = candidate.segments[i];
        const value = segments[i] ?? "";
        if (literal === null ? value === "" : literal !== value) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const params: Record<string, string> = {};
      candidate.paramNames.forEach((name, i) => {
        if (name !== undefined) params[name] = segments[i] ?? "";
      });
      return { route: candidate.route, params };
    }
    return undefined;
  }
}
