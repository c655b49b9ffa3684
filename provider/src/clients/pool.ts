/**
 * Clients shared by a whole run: a CLI fleet report, a policy pack's lookups, a program reading many
 * clusters. Each data function otherwise builds a client, hence a transport and a connection pool,
 * per call: a thousand clusters would open a thousand pools and pay a TLS handshake each. A pool
 * hands out one client per cloud and options (same settings, same environment object, same
 * injected parts), and closes them all once, at the end of the run.
 */
import { type AckClient, type AckClientOptions, createAckClient } from "./ack/client";
import { type CceClient, type CceClientOptions, createCceClient } from "./cce/client";

/** One client per cloud and options for a whole run; `close()` once when done. */
export interface ClientPool {
  /** The pool's CCE client for these options (created at the first request for them). */
  cce(options?: CceClientOptions): CceClient;
  /** The pool's ACK client for these options. */
  ack(options?: AckClientOptions): AckClient;
  /** How many clients the pool holds (for diagnostics and tests). */
  readonly size: number;
  /** Closes every client; the pool refuses further requests. */
  close(): Promise<void>;
}

/**
 * A key equal for equal options: plain values by content (object keys sorted; the environment too,
 * so a changed variable means another client), everything else (a dispatcher, a clock, a logger)
 * by identity.
 */
function optionsKey(value: unknown, idOf: (value: object) => number): string {
  if (value === undefined) return "u";
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? String(value);
  const prototype = Object.getPrototypeOf(value) as unknown;
  const plain = prototype === Object.prototype || prototype === null || Array.isArray(value);
  if (!plain) return `#${idOf(value)}`;
  if (Array.isArray(value)) return `[${value.map((item) => optionsKey(item, idOf)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, item]) => `${JSON.stringify(key)}:${optionsKey(item, idOf)}`);
  return `{${entries.join(",")}}`;
}

/**
 * A pool for one run. Pass it as `clients` in a data function's context (the CLI does, per report),
 * and `close()` it when the run is over.
 */
export function createClientPool(): ClientPool {
  const clients = new Map<string, CceClient | AckClient>();
  // Identity ids for the non-plain option values (weakly held: the pool keeps no environment alive).
  const identities = new WeakMap<object, number>();
  let lastId = 0;
  const idOf = (value: object): number => {
    let id = identities.get(value);
    if (id === undefined) {
      id = lastId += 1;
      identities.set(value, id);
    }
    return id;
  };
  let closed = false;

  function get<C extends CceClient | AckClient, O>(cloud: "cce" | "ack", options: O, create: (o: O) => C): C {
    if (closed) throw new Error(`the client pool is closed: create another for a new run (${cloud})`);
    const key = `${cloud}${optionsKey(options, idOf)}`;
    let client = clients.get(key) as C | undefined;
    if (client === undefined) {
      client = create(options);
      clients.set(key, client);
    }
    return client;
  }

  return {
    cce: (options = {}) => get("cce", options, createCceClient),
    ack: (options = {}) => get("ack", options, createAckClient),
    get size() {
      return clients.size;
    },
    async close() {
      closed = true;
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(all.map((client) => client.close()));
    },
  };
}
