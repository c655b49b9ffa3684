/**
 * The control API under `/__emulator/` (moto's `/moto-api`, localstack's `/_localstack`): unsigned,
 * loopback-only, JSON in and out. Every operation mirrors one of `EmulatorControl`.
 *
 *   GET    /__emulator/health                 {status, scenario}
 *   GET    /__emulator/clusters               [{cloud, id, name, region, projectId?, version, nextVersion}]
 *   GET    /__emulator/accounts               credentials of every account
 *   POST   /__emulator/reset                  back to the scenario's start (faults, log, clock too)
 *   POST   /__emulator/scenario               {name} | {file} | {scenario: {...}}: replace the state
 *   GET    /__emulator/requests?operation=&service=&limit=   the request log, oldest first
 *   DELETE /__emulator/requests
 *   GET    /__emulator/faults                 rules with their counters
 *   POST   /__emulator/faults                 add a rule (201, the rule with its id)
 *   DELETE /__emulator/faults[/{id}]          remove one rule or all
 *   GET    /__emulator/clock                  {now, nowMs, offsetMs, frozen}
 *   POST   /__emulator/clock                  {advanceMs} or {advance: "2h"}
 *   GET    /__emulator/config                 {docQuirks}
 *   POST   /__emulator/config                 {docQuirks}
 *   GET    /__emulator/state                  the whole state (debugging)
 *   GET    /__emulator/stats?gc=true          process memory, uptime, request-log fill (benchmarks)
 */
import { type IncomingMessage, type ServerResponse } from "node:http";
import { isLoopback, readBody } from "../server/http-io";
import { ScenarioError } from "../scenario/errors";
import { parseDuration } from "../util/time-format";
import { huaweiRequestId } from "../util/ids";
import { type ControlTarget } from "./control-surface";

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(text === "" ? {} : { "Content-Type": "application/json" }),
    "Content-Length": Buffer.byteLength(text),
    "X-Request-Id": huaweiRequestId(),
    "Cache-Control": "no-store",
  });
  res.end(text);
}

function jsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ControlError(400, "the body is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ControlError(400, "the body must be a JSON object");
  return value as Record<string, unknown>;
}

function limitOf(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ControlError(400, "limit must be a non-negative integer");
  return n;
}

/** `Host` (or an Origin's host) naming the loopback interface, with or without a port. */
function loopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients send none; the socket is loopback already.
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
  const lower = name.toLowerCase();
  return lower === "localhost" || lower === "[::1]" || /^127(\.\d{1,3}){3}$/.test(lower);
}

function loopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && loopbackHost(url.host);
  } catch {
    return false;
  }
}

export async function handleControlRequest(
  core: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  rawQuery: string,
): Promise<void> {
  const read = await readBody(req);
  try {
    if (!core.allowRemoteControl && !isLoopback(req.socket.remoteAddress)) {
      throw new ControlError(403, "the control API answers loopback callers only");
    }
    if (!core.allowRemoteControl && !loopbackHost(req.headers.host)) {
      // A loopback caller with a foreign Host is a browser fooled by DNS rebinding.
      throw new ControlError(403, "the control API answers requests for 127.0.0.1, localhost or [::1] only");
    }
    const origin = req.headers.origin;
    if (!core.allowRemoteControl && origin !== undefined && !loopbackOrigin(origin)) {
      // A web page posting across origins (no preflight for simple requests) must not drive the emulator.
      throw new ControlError(403, `the control API refuses cross-origin calls from ${origin}`);
    }
    if (read.tooLarge) throw new ControlError(413, "the body exceeds 1 MiB");
    const method = req.method ?? "GET";
    const query = new URLSearchParams(rawQuery);
    const parts = rawPath
      .split("/")
      .filter((p) => p !== "")
      .slice(1);
    const [resource, id] = parts;
    const route = `${method} ${resource ?? ""}${id === undefined ? "" : "/:id"}`;
    switch (route) {
      case "GET health":
        return reply(res, 200, { status: "ok", scenario: core.scenarioName() });
      case "GET clusters":
        return reply(res, 200, core.clusters());
      case "GET accounts":
        return reply(res, 200, core.accountSummary());
      case "POST reset":
        core.reset();
        return reply(res, 200, { scenario: core.scenarioName(), clusters: core.clusters().length });
      case "POST scenario": {
        const body = jsonObject(read.body);
        const source = body["scenario"] ?? body["name"] ?? body["file"];
        if (
          source === undefined ||
          (typeof source !== "string" && (typeof source !== "object" || source === null))
        ) {
          throw new ControlError(
            400,
            'give {"name": "<built-in>"}, {"file": "<path>"} or {"scenario": {...}}',
          );
        }
        try {
          core.loadScenario(source as Parameters<ControlTarget["loadScenario"]>[0]);
        } catch (error) {
          if (error instanceof ScenarioError) throw new ControlError(400, error.message);
          throw error;
        }
        return reply(res, 200, { scenario: core.scenarioName(), clusters: core.clusters().length });
      }
      case "GET requests": {
        const operation = query.get("operation");
        const service = query.get("service");
        const limit = limitOf(query.get("limit"));
        if (service !== null && service !== "cce" && service !== "iam" && service !== "ack") {
          throw new ControlError(400, "service must be cce, iam or ack");
        }
        return reply(
          res,
          200,
          core.requests({
            ...(operation === null ? {} : { operation }),
            ...(service === null ? {} : { service }),
            ...(limit === undefined ? {} : { limit }),
          }),
        );
      }
      case "DELETE requests":
        core.log.clear();
        return reply(res, 204);
      case "GET faults":
        return reply(res, 200, core.faults.list());
      case "POST faults": {
        try {
          return reply(res, 201, core.setFault(jsonObject(read.body)));
        } catch (error) {
          if (error instanceof RangeError) throw new ControlError(400, error.message);
          throw error;
        }
      }
      case "DELETE faults":
        core.faults.clear();
        return reply(res, 204);
      case "DELETE faults/:id": {
        let ruleId: string;
        try {
          ruleId = decodeURIComponent(id ?? "");
        } catch {
          throw new ControlError(400, `the fault id ${id ?? ""} is not valid percent-encoding`);
        }
        if (!core.faults.clear(ruleId)) throw new ControlError(404, `no fault rule ${ruleId}`);
        return reply(res, 204);
      }
      case "GET clock":
        return reply(res, 200, core.clockState());
      case "POST clock": {
        const body = jsonObject(read.body);
        const field = body["advanceMs"] !== undefined ? "advanceMs" : "advance";
        const raw = body[field];
        const ms = typeof raw === "number" || typeof raw === "string" ? parseDuration(raw) : undefined;
        if (ms === undefined || !Number.isFinite(ms))
          throw new ControlError(400, 'give {"advanceMs": <ms>} or {"advance": "2h"} (>= 0)');
        try {
          return reply(res, 200, core.advanceClock(ms));
        } catch (error) {
          // The clock names advanceMs; say which field the caller actually sent.
          if (error instanceof RangeError)
            throw new ControlError(400, `${field}: ${error.message.replace(/^advanceMs /, "")}`);
          throw error;
        }
      }
      case "GET config":
        return reply(res, 200, { docQuirks: core.docQuirks });
      case "POST config": {
        const body = jsonObject(read.body);
        if (typeof body["docQuirks"] !== "boolean")
          throw new ControlError(400, 'give {"docQuirks": true|false}');
        core.setDocQuirks(body["docQuirks"]);
        return reply(res, 200, { docQuirks: core.docQuirks });
      }
      case "GET state":
        return reply(res, 200, core.snapshot());
      case "GET stats": {
        // Benchmarks run the emulator with --expose-gc and ask for a collection before sampling.
        const gc = (globalThis as { gc?: () => void }).gc;
        if (query.get("gc") === "true" && gc !== undefined) gc();
        return reply(res, 200, {
          memory: process.memoryUsage(),
          uptimeSeconds: process.uptime(),
          ...core.stats(),
        });
      }
      default:
        throw new ControlError(404, `no control operation ${method} ${rawPath}`);
    }
  } catch (error) {
    if (error instanceof ControlError) return reply(res, error.status, { error: error.message });
    throw error;
  }
}
