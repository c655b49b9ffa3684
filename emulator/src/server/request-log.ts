import { type Service } from "./router";
/**
 * The request log: a fixed-size ring buffer, so a long run keeps memory flat. Control-API calls are
 * not logged (tests read the log to see what their client sent).
 */
export interface RequestLogEntry {
  /** 1, 2, 3... over the emulator's life (survives the ring's wrap-around). */
  readonly seq: number;
  /** Real time the request arrived (ISO 8601). */
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly cloud: "huawei" | "alibaba";
  readonly service: Service | undefined;
  readonly operation: string | undefined;
  readonly status: number;
  /** The vendor error code answered, if any. */
  readonly errorCode: string | undefined;
  readonly requestId: string;
  /** Account name of the authenticated caller. */
  readonly account: string | undefined;
  /** `SDK-HMAC-SHA256`, `token`, `ACS3-HMAC-SHA256`, `HMAC-SHA1`, or undefined. */
  readonly auth: string | undefined;
  /** Ids of the fault rules that acted. */
  readonly faults: readonly string[];
  readonly requestBytes: number;
  readonly durationMs: number;
}

/** What the pipeline records: an entry with its arrival time as epoch ms, formatted only when listed. */
export type RecordedRequest = Omit<RequestLogEntry, "time"> & { readonly wallMs: number };

/** The largest request-log capacity: the ring is allocated up front, so a huge one would exhaust memory. */
export const MAX_REQUEST_LOG = 1_000_000;

export class RequestLog {
  private readonly entries: (RecordedRequest | undefined)[];
  private next = 0;
  private count = 0;
  private seq = 0;

  constructor(readonly capacity: number) {
    this.entries = new Array<RecordedRequest | undefined>(capacity);
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  add(entry: RecordedRequest): void {
    if (this.capacity === 0) return;
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Oldest first. */
  list(): RequestLogEntry[] {
    return this.recorded().map(toLogEntry);
  }

  /** Oldest first, as recorded: filter these and format only what is kept (`toLogEntry`). */
  recorded(): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    const start = (this.next - this.count + this.capacity) % Math.max(1, this.capacity);
    for (let i = 0; i < this.count; i++) {
      const entry = this.entries[(start + i) % this.capacity];
      if (entry !== undefined) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.entries.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }
}

/** The entry as listed: `time` second, where it always was in the JSON the control API serves. */
export function toLogEntry(recorded: RecordedRequest): RequestLogEntry {
  const { seq, wallMs, ...rest } = recorded;
  return { seq, time: new Date(wallMs).toISOString(), ...rest };
}
