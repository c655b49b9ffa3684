/**
 * The control surface: the typed `EmulatorControl` that `startEmulator` returns, the summaries it
 * answers with, and `ControlTarget`, what the HTTP control API (control-api.ts) drives. The emulator
 * core implements `ControlTarget`; the control API knows it only through this interface, so the two
 * modules do not import each other.
 */
import { type FaultRule, type FaultRuleInput, type FaultTable } from "../faults/faults";
import { type Service } from "../server/router";
import { type PersistedState } from "../persistence/state-file";
import { type ScenarioInput } from "../scenario/schema";
import { type RequestLog, type RequestLogEntry } from "../server/request-log";

export interface ClusterSummary {
  readonly cloud: "cce" | "ack";
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly projectId?: string;
  readonly version: string;
  /** The first version the cluster may move to, or null. */
  readonly nextVersion: string | null;
}

export interface AccountSummary {
  readonly huawei: ReadonlyArray<{
    readonly name: string;
    readonly accessKey: string;
    readonly secretKey: string;
    readonly projects: ReadonlyArray<{ readonly id: string; readonly region: string }>;
    readonly userName: string;
    readonly password: string;
    readonly domainName: string;
  }>;
  readonly alibaba: ReadonlyArray<{
    readonly name: string;
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly region: string;
  }>;
}

export interface ClockState {
  readonly now: string;
  readonly nowMs: number;
  /** Virtual minus real time. */
  readonly offsetMs: number;
  readonly frozen: boolean;
}

export interface RequestQuery {
  readonly operation?: string;
  readonly service?: Service;
  /** Only the last N entries. */
  readonly limit?: number;
}

/** The control surface, typed; `/__emulator/*` offers the same operations over HTTP. */
export interface EmulatorControl {
  /** Back to the start: the scenario re-seeded, faults and log cleared, clock and docQuirks reset. */
  reset(): Promise<void>;
  /** Replaces all state with a scenario (built-in name, file, or object); faults and log stay. */
  loadScenario(scenario: string | ScenarioInput): Promise<void>;
  scenarioName(): string;
  clusters(): ClusterSummary[];
  accounts(): AccountSummary;
  requests(query?: RequestQuery): RequestLogEntry[];
  clearRequests(): void;
  /** Adds a fault rule (validated; throws on a bad rule) and returns it with its id. */
  setFault(rule: FaultRuleInput): FaultRule;
  faults(): FaultRule[];
  /** Removes one rule, or all without an id. */
  clearFaults(id?: string): boolean;
  advanceClock(ms: number): ClockState;
  clock(): ClockState;
  setDocQuirks(on: boolean): void;
  docQuirks(): boolean;
  /** Writes the state file now (no-op without one). */
  flush(): Promise<void>;
}

/** How full the emulator's bounded tables are (`GET /__emulator/stats`). */
export interface ControlStats {
  readonly clusters: number;
  readonly requestLog: { readonly size: number; readonly capacity: number };
  readonly nonceCache: { readonly size: number; readonly capacity: number };
}

/** What the HTTP control API drives (the emulator core). */
export interface ControlTarget {
  readonly allowRemoteControl: boolean;
  readonly docQuirks: boolean;
  readonly log: Pick<RequestLog, "clear">;
  readonly faults: Pick<FaultTable, "list" | "clear">;
  reset(): void;
  loadScenario(source: string | ScenarioInput): void;
  scenarioName(): string;
  clusters(): ClusterSummary[];
  accountSummary(): AccountSummary;
  requests(query?: RequestQuery): RequestLogEntry[];
  setFault(input: FaultRuleInput): FaultRule;
  setDocQuirks(on: boolean): void;
  clockState(): ClockState;
  advanceClock(ms: number): ClockState;
  snapshot(): PersistedState;
  stats(): ControlStats;
}
