/**
 * The emulator's control API (`/__emulator/*`) spoken over real HTTP, as an external tool would:
 * the contract tests reset state, inject faults, move the virtual clock and read the request log
 * through it rather than through the in-process `control` object.
 */
import { request } from "node:http";
import {
  type ClockState,
  type ClusterSummary,
  type FaultRule,
  type FaultRuleInput,
  type RequestLogEntry,
  type RequestQuery,
} from "@upgrade-guard/emulator";

interface ControlAnswer {
  readonly status: number;
  readonly body: unknown;
}

function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<ControlAnswer> {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        // A fresh connection per call: nothing is left open when the emulator closes.
        agent: false,
        headers: payload === undefined ? {} : { "content-type": "application/json" },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            body: text === "" ? undefined : (JSON.parse(text) as unknown),
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`control call ${method} ${path} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

async function expectStatus(
  answer: Promise<ControlAnswer>,
  expected: number,
  what: string,
): Promise<unknown> {
  const { status, body } = await answer;
  if (status !== expected) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  return body;
}

export class ControlClient {
  constructor(private readonly baseUrl: string) {}

  /** Back to the scenario's start: state re-seeded, faults, request log and clock reset. */
  async reset(): Promise<void> {
    await expectStatus(call(this.baseUrl, "POST", "/__emulator/reset"), 200, "reset");
  }

  async clusters(): Promise<ClusterSummary[]> {
    return (await expectStatus(
      call(this.baseUrl, "GET", "/__emulator/clusters"),
      200,
      "clusters",
    )) as ClusterSummary[];
  }

  /** The request log, oldest first. */
  async requests(query: RequestQuery = {}): Promise<RequestLogEntry[]> {
    const params = new URLSearchParams();
    if (query.operation !== undefined) params.set("operation", query.operation);
    if (query.service !== undefined) params.set("service", query.service);
    if (query.limit !== undefined) params.set("limit", String(query.limit));
    const text = params.toString();
    const suffix = text === "" ? "" : `?${text}`;
    return (await expectStatus(
      call(this.baseUrl, "GET", `/__emulator/requests${suffix}`),
      200,
      "requests",
    )) as RequestLogEntry[];
  }

  async clearRequests(): Promise<void> {
    await expectStatus(call(this.baseUrl, "DELETE", "/__emulator/requests"), 204, "clear requests");
  }

  async addFault(rule: FaultRuleInput): Promise<FaultRule> {
    return (await expectStatus(
      call(this.baseUrl, "POST", "/__emulator/faults", rule),
      201,
      "add fault",
    )) as FaultRule;
  }

  /** Rules with their `matched` / `applied` counters. */
  async faults(): Promise<FaultRule[]> {
    return (await expectStatus(
      call(this.baseUrl, "GET", "/__emulator/faults"),
      200,
      "faults",
    )) as FaultRule[];
  }

  async advanceClock(ms: number): Promise<ClockState> {
    return (await expectStatus(
      call(this.baseUrl, "POST", "/__emulator/clock", { advanceMs: ms }),
      200,
      "advance clock",
    )) as ClockState;
  }

  async clock(): Promise<ClockState> {
    return (await expectStatus(call(this.baseUrl, "GET", "/__emulator/clock"), 200, "clock")) as ClockState;
  }

  async setDocQuirks(on: boolean): Promise<void> {
    await expectStatus(call(this.baseUrl, "POST", "/__emulator/config", { docQuirks: on }), 200, "config");
  }
}

/** `METHOD Operation status` per logged request: compact enough to compare whole sequences. */
export function summarize(entries: readonly RequestLogEntry[]): string[] {
  return entries.map((entry) => `${entry.method} ${entry.operation ?? entry.path} ${entry.status}`);
}
