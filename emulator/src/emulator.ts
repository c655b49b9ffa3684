/**
 * The emulator: one HTTP server for Huawei CCE + IAM and Alibaba ACK (their paths do not clash), the
 * state behind it, and the control surface. `startEmulator` is the programmatic entry point; the CLI
 * is a thin wrapper around it. A vendor-API request goes through server/pipeline.ts, which leaves
 * every per-cloud choice to server/dialect.ts; `/__emulator/*` goes to control/control-api.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import { type AccountBook } from "./auth/accounts";
import { NonceCache } from "./auth/nonce-cache";
import { handleControlRequest } from "./control/control-api";
import {
  type AccountSummary,
  type ClockState,
  type ClusterSummary,
  type ControlStats,
  type ControlTarget,
  type EmulatorControl,
  type RequestQuery,
} from "./control/control-surface";
import { FaultTable, faultRuleSchema, type FaultRule, type FaultRuleInput } from "./faults/faults";
import {
  readStateFile,
  StateFileError,
  StateFileWriter,
  STATE_FORMAT,
  STATE_VERSION,
  type PersistedState,
} from "./persistence/state-file";
import { resolveScenario, validateScenario, DEFAULT_SCENARIO } from "./scenario/load";
import { ScenarioError } from "./scenario/errors";
import { type Scenario, type ScenarioInput } from "./scenario/schema";
import { buildAccounts, seedState } from "./scenario/seed";
import { DIALECTS } from "./server/dialect";
import { resetConnection } from "./server/http-io";
import { NONCE_CAPACITY, NONCE_WINDOW_MS } from "./server/limits";
import { RequestPipeline, type PipelineState } from "./server/pipeline";
import { MAX_REQUEST_LOG, RequestLog, toLogEntry, type RequestLogEntry } from "./server/request-log";
import { Router } from "./server/router";
import { ACK_ROUTES } from "./services/ack/ack-routes";
import { CCE_ROUTES } from "./services/cce/cce-routes";
import { IAM_ROUTES } from "./services/iam/iam-routes";
import { METADATA_ROUTES } from "./services/metadata/metadata-routes";
import { STS_ROUTES } from "./services/sts/sts-routes";
import { TemporaryKeyBook } from "./auth/temporary-keys";
import { Store } from "./state/store";
import { VirtualClock } from "./util/clock";

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Built-in scenario name, scenario file path, or scenario object. Default `default`. */
  readonly scenario?: string | ScenarioInput;
  /** Keep state in this file across restarts (written atomically). */
  readonly stateFile?: string;
  /** Emit the vendor docs' variants instead of the vendor-correct shapes (overrides the scenario's). */
  readonly docQuirks?: boolean;
  /** Virtual time stands still between `advanceClock` calls. Default false. */
  readonly freezeClock?: boolean;
  /** Initial virtual time (default: now). */
  readonly startTime?: Date | string | number;
  /** Request-log capacity (ring buffer). Default 1000. */
  readonly requestLogLimit?: number;
  /** Serve the control API to non-loopback callers too. Default false. */
  readonly allowRemoteControl?: boolean;
  /** Where unexpected internal errors are reported. Default: stderr. */
  readonly onInternalError?: (error: unknown) => void;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly control: EmulatorControl;
  /** Stops the server, closes connections and flushes the state file. */
  close(): Promise<void>;
}

function toMillis(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`startTime ${String(value)} is not a valid time`);
  return ms;
}

/** The emulator's state, its control operations and its request pipeline, apart from the socket. */
export class EmulatorCore implements ControlTarget, PipelineState {
  readonly clock: VirtualClock;
  readonly faults = new FaultTable();
  readonly log: RequestLog;
  readonly router = new Router([
    ...CCE_ROUTES,
    ...IAM_ROUTES,
    ...ACK_ROUTES,
    ...STS_ROUTES,
    ...METADATA_ROUTES,
  ]);
  readonly nonces = new NonceCache(NONCE_WINDOW_MS, NONCE_CAPACITY);
  readonly temporaryKeys = new TemporaryKeyBook();
  private scenario: Scenario;
  accounts: AccountBook;
  store: Store;
  docQuirks: boolean;
  private readonly initialDocQuirks: boolean | undefined;
  private writer: StateFileWriter | undefined;
  private readonly reportError: (error: unknown) => void;
  private readonly pipeline: RequestPipeline;
  readonly allowRemoteControl: boolean;

  constructor(options: EmulatorOptions) {
    this.clock = new VirtualClock({
      frozen: options.freezeClock ?? false,
      ...(options.startTime === undefined ? {} : { startAt: toMillis(options.startTime) }),
    });
    const logLimit = options.requestLogLimit ?? 1000;
    if (!Number.isInteger(logLimit) || logLimit < 0 || logLimit > MAX_REQUEST_LOG)
      throw new RangeError(`requestLogLimit must be an integer 0..${MAX_REQUEST_LOG}`);
    this.log = new RequestLog(logLimit);
    this.initialDocQuirks = options.docQuirks;
    this.allowRemoteControl = options.allowRemoteControl ?? false;
    this.reportError =
      options.onInternalError ??
      ((error) =>
        process.stderr.write(
          error instanceof StateFileError
            ? `upgrade-guard emulator: ${error.message}\n`
            : `upgrade-guard emulator: internal error: ${(error as Error)?.stack ?? String(error)}\n`,
        ));
    this.pipeline = new RequestPipeline(this, this.reportError);
    const saved = options.stateFile === undefined ? undefined : readStateFile(options.stateFile);
    if (saved !== undefined) {
      const file = options.stateFile ?? "";
      try {
        this.scenario = validateScenario(saved.scenario, "its scenario");
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        throw new StateFileError(file, `is damaged: ${error.message}\ndelete it to start from the scenario`);
      }
      try {
        this.accounts = buildAccounts(this.scenario);
        this.store = new Store(saved.state);
        // Everything a request would touch, once now: a damaged file fails here, not on a later call.
        this.store.settle(this.clock.now());
        for (const c of this.store.allClusters()) {
          const book = c.cloud === "cce" ? this.accounts.huawei : this.accounts.alibaba;
          if (!book.some((a) => a.name === c.account))
            throw new Error(
              `cluster ${c.name} belongs to account ${c.account}, which its scenario does not have`,
            );
        }
        JSON.stringify(this.store.toData());
      } catch (error) {
        throw new StateFileError(
          file,
          `is damaged (${(error as Error).message}); delete it to start from the scenario`,
        );
      }
      this.clock.restoreOffset(saved.clockOffsetMs);
      this.docQuirks = options.docQuirks ?? saved.docQuirks;
    } else {
      this.scenario = resolveScenario(options.scenario ?? DEFAULT_SCENARIO);
      const seeded = seedState(this.scenario, this.clock.now());
      this.accounts = seeded.accounts;
      this.store = seeded.store;
      this.docQuirks = options.docQuirks ?? this.scenario.docQuirks ?? false;
    }
    if (options.stateFile !== undefined) {
      this.writer = new StateFileWriter(
        options.stateFile,
        () => this.snapshot(),
        20,
        (e) =>
          this.reportError(
            new StateFileError(
              options.stateFile ?? "",
              `cannot be written (${e.message}); changes are kept in memory`,
            ),
          ),
      );
      // The first write happens in `startEmulator`, before listening (initializeStateFile).
      this.store.onChange(() => this.writer?.schedule());
    }
  }

  /** Writes the state file once; rejects with a StateFileError when it cannot be written. */
  async initializeStateFile(): Promise<void> {
    await this.writer?.initialize();
  }

  snapshot(): PersistedState {
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      savedAt: new Date(this.clock.wallNow()).toISOString(),
      clockOffsetMs: this.clock.offsetMs(),
      docQuirks: this.docQuirks,
      scenario: this.scenario,
      state: this.store.toData(),
    };
  }

  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  /** Resolves once every change made so far is in the state file; undefined when none is waiting. */
  durable(): Promise<void> | undefined {
    return this.writer?.durable();
  }

  // --- control operations ------------------------------------------------------------------------

  private replaceState(scenario: Scenario): void {
    const seeded = seedState(scenario, this.clock.now());
    this.scenario = scenario;
    this.accounts = seeded.accounts;
    this.store = seeded.store;
    this.store.onChange(() => this.writer?.schedule());
    this.writer?.schedule();
  }

  loadScenario(source: string | ScenarioInput): void {
    const scenario = resolveScenario(source);
    this.replaceState(scenario);
    if (scenario.docQuirks !== undefined && this.initialDocQuirks === undefined)
      this.docQuirks = scenario.docQuirks;
  }

  reset(): void {
    this.clock.reset();
    this.faults.clear();
    this.log.clear();
    this.nonces.clear();
    this.temporaryKeys.clear();
    this.replaceState(this.scenario);
    this.docQuirks = this.initialDocQuirks ?? this.scenario.docQuirks ?? false;
  }

  scenarioName(): string {
    return this.scenario.name;
  }

  clusters(): ClusterSummary[] {
    return this.store.allClusters().map((c) => ({
      cloud: c.cloud,
      id: c.id,
      name: c.name,
      region: c.region,
      ...(c.projectId === undefined ? {} : { projectId: c.projectId }),
      version: c.version,
      nextVersion: c.targetVersions[0] ?? null,
    }));
  }

  accountSummary(): AccountSummary {
    return {
      huawei: this.accounts.huawei.map((a) => ({
        name: a.name,
        accessKey: a.accessKey,
        secretKey: a.secretKey,
        projects: a.projects.map((p) => ({ id: p.id, region: p.region })),
        userName: a.userName,
        password: a.password,
        domainName: a.domainName,
      })),
      alibaba: this.accounts.alibaba.map((a) => ({
        name: a.name,
        accessKeyId: a.accessKeyId,
        accessKeySecret: a.accessKeySecret,
        region: a.region,
      })),
    };
  }

  requests(query: RequestQuery = {}): RequestLogEntry[] {
    const entries = this.log
      .recorded()
      .filter(
        (e) =>
          (query.operation === undefined || e.operation === query.operation) &&
          (query.service === undefined || e.service === query.service),
      );
    const kept =
      query.limit === undefined ? entries : entries.slice(Math.max(0, entries.length - query.limit));
    return kept.map(toLogEntry);
  }

  setFault(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleSchema.safeParse(input);
    if (!parsed.success) {
      throw new RangeError(
        `invalid fault rule: ${parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "rule"}: ${i.message}`).join("; ")}`,
      );
    }
    const problems = this.faultMatcherProblems(parsed.data);
    if (problems.length > 0) throw new RangeError(`invalid fault rule: ${problems.join("; ")}`);
    return { ...this.faults.add(parsed.data, this.clock.now()) };
  }

  /**
   * A matcher that can never match (a misspelt operation, an operation of another service, a method no
   * route has) would make a fault test pass without any fault: refuse it, naming the field and the
   * choices.
   */
  private faultMatcherProblems(rule: FaultRuleInput): string[] {
    const routes = this.router.routes();
    const problems: string[] = [];
    const inService = rule.service === undefined ? routes : routes.filter((r) => r.service === rule.service);
    if (rule.operation !== undefined && !inService.some((r) => r.operation === rule.operation)) {
      const known = [...new Set(inService.map((r) => r.operation))].sort();
      problems.push(
        routes.some((r) => r.operation === rule.operation)
          ? `operation: ${rule.operation} is not an operation of service ${rule.service ?? ""}`
          : `operation: unknown operation ${rule.operation}; one of ${known.join(", ")}`,
      );
    }
    if (rule.method !== undefined) {
      const methods = [...new Set(routes.map((r) => r.method))].sort();
      if (!methods.includes(rule.method.toUpperCase()))
        problems.push(`method: no route answers ${rule.method}; one of ${methods.join(", ")}`);
    }
    return problems;
  }

  setDocQuirks(on: boolean): void {
    this.docQuirks = on;
    this.writer?.schedule();
  }

  clockState(): ClockState {
    const nowMs = this.clock.now();
    return {
      now: new Date(nowMs).toISOString(),
      nowMs,
      offsetMs: this.clock.offsetMs(),
      frozen: this.clock.isFrozen(),
    };
  }

  advanceClock(ms: number): ClockState {
    this.clock.advance(ms);
    this.store.settle(this.clock.now());
    this.writer?.schedule();
    return this.clockState();
  }

  stats(): ControlStats {
    return {
      clusters: this.store.allClusters().length,
      requestLog: { size: this.log.size, capacity: this.log.capacity },
      nonceCache: { size: this.nonces.size, capacity: NONCE_CAPACITY },
    };
  }

  // --- requests ----------------------------------------------------------------------------------

  /** `/__emulator/*` goes to the control API, everything else through the vendor-API pipeline. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    // A bug must not crash the process or leave the client hanging: report it and drop the connection.
    const broken = (error: unknown): void => {
      this.reportError(error);
      if (!res.headersSent) resetConnection(req);
    };
    try {
      const served =
        rawPath === "/__emulator" || rawPath.startsWith("/__emulator/")
          ? handleControlRequest(this, req, res, rawPath, rawQuery)
          : this.pipeline.serve(req, res, rawPath, rawQuery);
      served?.catch(broken);
    } catch (error) {
      // The pipeline answers synchronously when nothing waits, so its bugs can surface here too.
      broken(error);
    }
  }

  /** Stops waiting: every pending fault latency ends at once. */
  shutdown(): void {
    this.pipeline.shutdown();
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the emulator; resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const core = new EmulatorCore(options);
  // Before listening: a caller that sees the URL can rely on the state file being there.
  await core.initializeStateFile();
  const server = createServer(
    { keepAliveTimeout: 5_000, requestTimeout: 30_000, headersTimeout: 20_000 },
    (req, res) => core.handle(req, res),
  );
  server.on("clientError", (_error, socket) => {
    // Unparseable HTTP: answer like any HTTP server would, and never let it reach the process.
    // Which cloud it was for cannot be told, so both request-id headers (every answer carries one).
    if (socket.writable)
      socket.end(
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n" +
          DIALECTS.map((d) => `${d.requestIdHeader}: ${d.requestId()}\r\n`).join("") +
          "\r\n",
      );
    else socket.destroy();
  });
  server.on("connection", (socket) => socket.on("error", () => undefined));
  const host = options.host ?? "127.0.0.1";
  const address = await listen(server, options.port ?? 0, host);
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  const control: EmulatorControl = {
    reset: async () => core.reset(),
    loadScenario: async (scenario) => core.loadScenario(scenario),
    scenarioName: () => core.scenarioName(),
    clusters: () => core.clusters(),
    accounts: () => core.accountSummary(),
    requests: (query) => core.requests(query),
    clearRequests: () => core.log.clear(),
    setFault: (rule) => core.setFault(rule),
    faults: () => core.faults.list(),
    clearFaults: (id) => core.faults.clear(id),
    advanceClock: (ms) => core.advanceClock(ms),
    clock: () => core.clockState(),
    setDocQuirks: (on) => core.setDocQuirks(on),
    docQuirks: () => core.docQuirks,
    flush: () => core.flush(),
  };
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    control,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        core.shutdown();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => core.flush());
      return closed;
    },
  };
}
