import { MockAgent } from "undici";
import { createTransport } from "../../src/transport/transport";
import {
  type HttpRequest,
  type SendOptions,
  type TransportLogEntry,
  type TransportOptions,
} from "../../src/transport/types";
import { FakeClock } from "./fake-clock";

export const CCE = "https://cce.cn-north-4.myhuaweicloud.com";
export const ACK = "https://cs.cn-hangzhou.aliyuncs.com";

/** A MockAgent that refuses real network and records every call. */
export function newMockAgent(): MockAgent {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  return agent;
}

/** The ordered request log: "METHOD /path" per dispatched request. */
export function requestLog(agent: MockAgent): string[] {
  return (agent.getCallHistory()?.calls() ?? []).map((call) => `${call.method} ${call.path}`);
}

export function setup(options: Partial<TransportOptions> & { clock?: FakeClock } = {}) {
  const agent = newMockAgent();
  const clock = options.clock ?? new FakeClock();
  const logs: TransportLogEntry[] = [];
  const transport = createTransport({
    dispatcher: agent,
    clock,
    log: (entry) => logs.push(entry),
    ...options,
    retry: { baseDelayMs: 200, maxDelayMs: 20_000, maxAttempts: 4, deadlineMs: 120_000, ...options.retry },
  });
  return { agent, clock, logs, transport };
}

export function get(url: string, headers: Record<string, string> = {}): HttpRequest {
  return { method: "GET", url, headers };
}

export function post(url: string, body: string): HttpRequest {
  return { method: "POST", url, headers: { "content-type": "application/json" }, body };
}

export const readOp: SendOptions = { cloud: "cce", operation: "ShowPreCheck", retryMode: "idempotent" };
export const createOp: SendOptions = { cloud: "cce", operation: "CreatePreCheck", retryMode: "create" };

/** An error shaped like the ones Node and undici raise, code included. */
export function codedError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}
