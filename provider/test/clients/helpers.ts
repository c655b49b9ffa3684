/**
 * Shared set-up of the client tests: a MockAgent that refuses real network and records every call,
 * clients wired to it with fixed test credentials and an empty environment, fixtures, a fixed clock.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@upgrade-guard/emulator";
import { type MockAgent } from "undici";
import { createAckClient, type AckClientOptions } from "../../src/clients/ack/client";
import { createCceClient, type CceClientOptions } from "../../src/clients/cce/client";
import { type TransportClock } from "../../src/transport/types";
import { ACK, CCE, codedError, newMockAgent, requestLog } from "../transport/helpers";

// One MockAgent set-up for the transport and the client tests.
export { codedError, newMockAgent, requestLog };

/**
 * A fresh MockAgent for each test, closed after it; `keep` receives it, e.g. for the file's
 * `let agent`: `mockAgentPerTest((created) => (agent = created))`.
 */
export function mockAgentPerTest(keep: (agent: MockAgent) => void): void {
  let current: MockAgent | undefined;
  beforeEach(() => {
    current = newMockAgent();
    keep(current);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}

export const CCE_ORIGIN = CCE;
export const ACK_ORIGIN = ACK;
export const PROJECT_ID = "0123456789abcdef0123456789abcdef";
export const CLUSTER_ID = "b4b9e60f-8aa2-11ee-af09-0255ac10004f";
export const ACK_CLUSTER_ID = "c106f377e16f34eb1808d6b9362c9abcd";
export const CCE_CLUSTER_PATH = `/api/v3/projects/${PROJECT_ID}/clusters/${CLUSTER_ID}`;

/** Secrets configured on the test clients; no error message may contain any of them. */
export const SECRETS = {
  cceAccessKey: "AKTESTCLIENT00000001",
  cceSecretKey: "SKSECRET-cce-must-not-leak-0001",
  cceSecurityToken: "STS-cce-token-must-not-leak-0001",
  ackAccessKeyId: "LTAITESTCLIENT0001",
  ackAccessKeySecret: "ACKSECRET-must-not-leak-0001",
  ackSecurityToken: "STS.ack-token-must-not-leak-0001",
} as const;

/** 2025-08-05T09:10:44Z: the time the fixtures' "new" tasks were created at. */
export const NOW = Date.parse("2025-08-05T09:10:44Z");

/** A clock that never moves and never waits: retries run instantly and deadlines never pass. */
export function frozenClock(now = NOW): TransportClock {
  return { now: () => now, sleep: async () => undefined, random: () => 0 };
}

export interface RecordedCall {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

function normalizeHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || headers === undefined) return out;
  const entries: Array<[string, unknown]> = Array.isArray(headers)
    ? (headers as unknown[]).reduce<Array<[string, unknown]>>((pairs, value, index, all) => {
        if (index % 2 === 0) pairs.push([String(value), all[index + 1]]);
        return pairs;
      }, [])
    : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries)
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  return out;
}

/** Every request the agent saw, in order, with a parsed JSON body. */
export function recordedCalls(agent: MockAgent): RecordedCall[] {
  return (agent.getCallHistory()?.calls() ?? []).map((call) => ({
    method: call.method,
    path: call.path,
    query: { ...call.searchParams },
    body: typeof call.body === "string" && call.body !== "" ? (JSON.parse(call.body) as unknown) : undefined,
    headers: normalizeHeaders(call.headers),
  }));
}

export function fixtureText(cloud: "cce" | "ack", name: string): string {
  return readFileSync(join(__dirname, "..", "fixtures", cloud, name), "utf8");
}

export function fixture(cloud: "cce" | "ack", name: string): unknown {
  return JSON.parse(fixtureText(cloud, name)) as unknown;
}

/** Matches a request path regardless of its query string. */
export function pathIs(expected: string): (path: string) => boolean {
  return (path) => path.split("?")[0] === expected;
}

export function cceTestClient(agent: MockAgent, overrides: Partial<CceClientOptions> = {}) {
  return createCceClient({
    region: "cn-north-4",
    projectId: PROJECT_ID,
    accessKey: SECRETS.cceAccessKey,
    secretKey: SECRETS.cceSecretKey,
    securityToken: SECRETS.cceSecurityToken,
    env: {},
    dispatcher: agent,
    clock: frozenClock(),
    ...overrides,
  });
}

export function ackTestClient(agent: MockAgent, overrides: Partial<AckClientOptions> = {}) {
  return createAckClient({
    region: "cn-hangzhou",
    accessKeyId: SECRETS.ackAccessKeyId,
    accessKeySecret: SECRETS.ackAccessKeySecret,
    securityToken: SECRETS.ackSecurityToken,
    env: {},
    dispatcher: agent,
    clock: frozenClock(),
    nonce: () => "0123456789abcdef0123456789abcdef",
    ...overrides,
  });
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

export const JSON_HEADERS = { "content-type": "application/json" };

/** A file's emulator (see `defaultEmulatorPerFile`). */
export interface FileEmulator {
  /** The running emulator (set before the first test). */
  readonly emulator: RunningEmulator;
  /** The id of the default scenario's cluster called `name`. */
  clusterId(name: string): string;
}

/**
 * One real emulator for the file with the default scenario, reset before each test and closed
 * after the file: the set-up of the client tests that talk real HTTP.
 */
export function defaultEmulatorPerFile(options: { readonly freezeClock?: boolean } = {}): FileEmulator {
  let running: RunningEmulator | undefined;
  const emulator = (): RunningEmulator => {
    if (running === undefined) throw new Error("the emulator is started in beforeAll: use it inside a test");
    return running;
  };
  beforeAll(async () => {
    running = await startEmulator({ scenario: "default", ...options });
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(async () => {
    await emulator().control.reset();
  });
  return {
    get emulator() {
      return emulator();
    },
    clusterId(name) {
      const cluster = emulator()
        .control.clusters()
        .find((c) => c.name === name);
      if (cluster === undefined) throw new Error(`the default scenario has no cluster ${name}`);
      return cluster.id;
    },
  };
}
