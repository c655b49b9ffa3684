/**
 * Client operations as data. Each cloud keeps one table (`CCE_OPERATIONS`, `ACK_OPERATIONS`) with a
 * row per vendor operation, keyed by method name, the lowerCamelCase of its route's key in
 * `routes.ts` (`createPreCheck` → `CreatePreCheck`): the argument schema, where the parsed
 * arguments go (path, query, body), the response schema and the retry mode. `clientMethods` turns
 * the table into the client's methods; the client's type is `MethodsOf` the table, so a row's doc
 * comment is its method's.
 *
 * Retry modes are the transport's (`RetryMode`), one per row: an `idempotent` row (reads, cancels)
 * may be resent after any retryable failure; a `create` row starts a task, so it is resent only when
 * it certainly did not arrive, and after an ambiguous failure `createWithRecovery` looks for the task
 * with the row's `recovery`.
 */
import { type z } from "zod";
import { ApiError, authRefusal } from "../../errors";
import { parseArgs } from "../../internal/validate";
import { type RetryMode, type Transport } from "../../transport/types";
import { clusterArgs, type CallOptions } from "./arg-schemas";
import { callApi, type CallDeps } from "./call";
import { createWithRecovery, type MaybeRecovered, type Recovery, type RunRow } from "./create-recovery";
import { type QueryValue, type Route } from "./routes";

export interface RequestParts {
  /** Values of the route's `{param}` placeholders (CCE adds `project_id` itself). */
  readonly pathParams?: Readonly<Record<string, string>>;
  /** `undefined` values are left out. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Sent as `JSON.stringify(body)`, which leaves out `undefined` members. */
  readonly body?: unknown;
}

interface OperationSpec<Args extends z.ZodType, Response extends z.ZodType> {
  readonly args: Args;
  readonly request: (args: z.output<Args>) => RequestParts;
  readonly response: Response;
}

/** Sends one request the cloud's way (signing, headers, URL) and parses the answer with `schema`. */
export type Send<Name extends string> = <S extends z.ZodType>(
  operation: Name,
  request: RequestParts,
  schema: S,
  retryMode: RetryMode,
  signal: AbortSignal | undefined,
) => Promise<z.output<S>>;

/** What a row's method runs with; `where` names it in argument errors, e.g. `CCE createPreCheck`. */
interface Call<Name extends string> {
  readonly operation: Name;
  readonly where: string;
  readonly send: Send<Name>;
  readonly now: () => number;
  /** Runs another row of the same client, for the list calls of recovery. */
  readonly runRow: RunRow;
}

/** A row, ready to run. */
export interface Operation<In, Out> {
  readonly retryMode: RetryMode;
  run<Name extends string>(call: Call<Name>, args: In, options?: CallOptions): Promise<Out>;
}

export function idempotent<Args extends z.ZodType, Response extends z.ZodType>(
  spec: OperationSpec<Args, Response>,
): Operation<z.input<Args>, z.output<Response>> {
  return {
    retryMode: "idempotent",
    run: async (call, args, options) => {
      const request = spec.request(parseArgs(spec.args, args, call.where));
      // Awaited, not returned: an async function that returns a promise pays two more ticks.
      return await call.send(call.operation, request, spec.response, "idempotent", options?.signal);
    },
  };
}

/** A read whose one argument is the cluster, sent as the `{cluster_id}` path parameter. */
export function clusterRead<Response extends z.ZodType>(response: Response) {
  return idempotent({
    args: clusterArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId } }),
    response,
  });
}

// Response is an object: a recovered result gets a `recovered` member.
export function create<Args extends z.ZodType, Response extends z.ZodType<object>, Target, Item, Found>(
  spec: OperationSpec<Args, Response> & {
    readonly recovery: Recovery<z.output<Args>, z.output<Response>, Target, Item, Found>;
  },
): Operation<z.input<Args>, MaybeRecovered<z.output<Response>>> {
  return {
    retryMode: "create",
    run: async (call, args, options) => {
      const parsed = parseArgs(spec.args, args, call.where);
      const request = spec.request(parsed);
      return createWithRecovery(
        call.now,
        () => call.send(call.operation, request, spec.response, "create", options?.signal),
        spec.recovery,
        { args: parsed, run: call.runRow, options },
      );
    },
  };
}

/** A row's method; the arguments may be left out when the row's schema accepts `undefined`. */
type MethodOf<Row> =
  Row extends Operation<infer In, infer Out>
    ? undefined extends In
      ? (args?: In, options?: CallOptions) => Promise<Out>
      : (args: In, options?: CallOptions) => Promise<Out>
    : never;

/**
 * The client methods of a table, one per row under the row's key. A homomorphic mapped type (no
 * `as` clause), so each method keeps its row's doc comment in editors and declarations.
 */
export type MethodsOf<Table> = { [Method in keyof Table]: MethodOf<Table[Method]> };

export function clientMethods<
  Name extends string,
  Table extends Record<Uncapitalize<Name>, Operation<never, unknown>>,
>(
  cloud: "CCE" | "ACK",
  table: Table,
  context: { readonly send: Send<Name>; readonly now: () => number },
): MethodsOf<Table> {
  const methods: Record<string, (args: never, options?: CallOptions) => Promise<unknown>> = {};
  const calls = new Map<object, Call<Name>>();
  // A row of this table (recovery's list), run with the call its method runs with.
  const runRow: RunRow = (row, args, options) => {
    const call = calls.get(row);
    if (call === undefined) throw new Error(`${cloud}: recovery ran a row that is not in the table`);
    return row.run(call as never, args, options);
  };
  for (const method of Object.keys(table) as Array<Uncapitalize<Name>>) {
    const operation = (method.charAt(0).toUpperCase() + method.slice(1)) as Name;
    const call = { ...context, operation, where: `${cloud} ${method}`, runRow };
    calls.set(table[method], call);
    methods[method] = (args, options) => table[method].run(call, args, options);
  }
  // Object.keys forgets which row is under which key; MethodsOf restores it.
  return methods as MethodsOf<Table>;
}

/** What makes a client one cloud's; `assembleClient` does the rest the same way for both. */
export interface ClientParts<Name extends string, Resolved> {
  readonly cloud: "CCE" | "ACK";
  readonly operations: Record<Uncapitalize<Name>, Operation<never, unknown>>;
  readonly routes: Readonly<Record<Name, Route>>;
  readonly transport: Transport;
  readonly now: () => number;
  /** The configuration and its request auth; run at the first use, and again until it succeeds. */
  readonly resolve: () => Resolved;
  /**
   * The cloud's way to send: the signer (and 401 handling), account and rate limit, made once per
   * resolved configuration, not per call.
   */
  readonly deps: (resolved: Resolved) => Omit<CallDeps, "transport">;
  /** One request's URL and headers. */
  readonly target: (
    resolved: Resolved,
    operation: Name,
    route: Route,
    request: RequestParts,
  ) => { readonly url: string; readonly headers: Readonly<Record<string, string>> };
  /** Where the resolved credentials came from, for the hint of an `auth` error. */
  readonly credentialSources?: (resolved: Resolved) => readonly string[] | undefined;
  /** Where a permission is granted beyond the account, for the hint of a denied one (`project …`). */
  readonly permissionScope?: (resolved: Resolved) => string | undefined;
  /** Read-only, non-enumerable members read from the resolved configuration (`region`). */
  readonly getters: Readonly<Record<string, (resolved: Resolved) => unknown>>;
}

/**
 * The hint of an `auth` error. Refused credentials say where they came from, so the user knows which
 * variable to check. A denied permission says the credentials were accepted (the same keys may work
 * for other operations) and names the operation and where to grant it. A hint set nearer the cause
 * (STS refusing a role) is kept.
 */
function withAuthHint(error: unknown, sources: readonly string[], scope: string | undefined): unknown {
  if (!(error instanceof ApiError) || error.category !== "auth" || error.hint !== undefined) return error;
  const cloud = error.cloud.toUpperCase();
  const from = sources.join(", ");
  if (authRefusal(error.httpStatus, error.vendorCode) === "credentials") {
    return new ApiError({
      ...error,
      hint: `the ${cloud} credentials were refused: check ${from} (a wrong or expired key, or one of another account)`,
    });
  }
  const operation = error.operation;
  // ACK's RAM action is `cs:` and the API name (help.aliyun.com "ACK API enhances user authentication").
  const grant =
    error.cloud === "ack"
      ? `grant the RAM user or role behind them the RAM action cs:${operation} in a RAM policy`
      : `grant the IAM user or agency behind them a permission that allows ${operation} in IAM` +
        (scope === undefined
          ? ""
          : ` for that project (and check that the project is one of their account's)`);
  return new ApiError({
    ...error,
    hint:
      `the ${cloud} credentials (from ${from}) were accepted but are not allowed to call ${operation}` +
      `${scope === undefined ? "" : ` in ${scope}`}: ${grant}, or use credentials that have it`,
  });
}

/** A client: the table's methods, each request sent through `callApi`, plus `close` and the getters. */
export function assembleClient<Name extends string, Client, Resolved>(
  parts: ClientParts<Name, Resolved>,
): Client {
  const { cloud, routes, transport } = parts;
  // Kept once it succeeds only: a configuration error is thrown again on the next call, so fixing
  // the environment and retrying works without a new client.
  let memo: { readonly resolved: Resolved; readonly deps: CallDeps } | undefined;
  const resolvedAndDeps = () => {
    if (memo === undefined) {
      const resolved = parts.resolve();
      memo = { resolved, deps: { transport, ...parts.deps(resolved) } };
    }
    return memo;
  };
  const lowerCloud = cloud === "CCE" ? "cce" : "ack";
  // Not async, and `.catch` only where a hint can be added: one promise less on every call. It
  // runs inside the row's async `run`, so a synchronous throw (a configuration error) still rejects.
  const send: Send<Name> = (operation, request, schema, retryMode, signal) => {
    const { resolved: config, deps } = resolvedAndDeps();
    const route = routes[operation];
    const { url, headers } = parts.target(config, operation, route, request);
    const answer = callApi(
      deps,
      {
        cloud: lowerCloud,
        operation,
        method: route.method,
        url,
        headers,
        body: request.body,
        retryMode,
        schema,
      },
      signal,
    );
    const sources = parts.credentialSources?.(config);
    return sources === undefined || sources.length === 0
      ? answer
      : answer.catch((error: unknown) => {
          throw withAuthHint(error, sources, parts.permissionScope?.(config));
        });
  };
  const methods = {
    ...clientMethods(cloud, parts.operations, { send, now: parts.now }),
    close: () => transport.close(),
  };
  // Getters, not data properties: the configuration resolves at first use, not at creation.
  const getters = Object.entries(parts.getters).map(([name, get]) => [
    name,
    { get: () => get(resolvedAndDeps().resolved), enumerable: false },
  ]);
  return Object.defineProperties(methods, Object.fromEntries(getters)) as Client;
}
