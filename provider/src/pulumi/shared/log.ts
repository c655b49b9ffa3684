/**
 * What the dynamic providers print. The Pulumi CLI shows a dynamic provider's stdout and stderr as
 * diagnostics (they are not attached to a resource, so every line names its resource and task).
 * Every line passes through `redact`.
 */
import { redact } from "../../internal/redact";
import { formatDuration } from "../../readiness/format";
import { waitFor, type WaitOptions, type WaitProgress } from "../../readiness/waiter";
import { type WaitTiming } from "./common";

/** Severity of a provider log line. */
export type LogLevel = "info" | "warn";
/** Where provider log lines go (already redacted). */
export type LogSink = (level: LogLevel, line: string) => void;

const consoleSink: LogSink = (level, line) => (level === "warn" ? console.warn(line) : console.log(line));
let sink: LogSink = consoleSink;

/** Replaces where lines go (tests collect them); `undefined` restores the console. */
export function setLogSink(next: LogSink | undefined): void {
  sink = next ?? consoleSink;
}

/** Prints one redacted line prefixed with `upgrade-guard`. */
export function log(level: LogLevel, message: string): void {
  sink(level, redact(`upgrade-guard: ${message}`));
}

/**
 * Logs that `what` started a vendor task (`started`: "started precheck 123"), noting when the start
 * was recovered: the answer was lost and the task found, so it was not started twice.
 */
export function logStarted(what: string, started: string, recovered?: boolean, verb = "started"): void {
  const note = recovered === true ? ` (found after the answer was lost; not ${verb} twice)` : "";
  log("info", `${what}: ${started}${note}`);
}

/** Print at least this often while a wait goes on without phase changes. */
const QUIET_PERIOD_MS = 60_000;

/**
 * A `waitFor` progress callback that prints the first poll, every phase change, every transient
 * error, and a heartbeat at least once a minute: what it waits for, the phase, the elapsed time
 * and the deadline.
 */
export function progressPrinter(label: string, deadlineMs: number): (event: WaitProgress) => void {
  let lastPrintedAt = Number.NEGATIVE_INFINITY;
  return (event) => {
    const due = event.elapsedMs - lastPrintedAt >= QUIET_PERIOD_MS;
    if (!(event.poll === 1 || event.phaseChanged || event.state === "error" || due)) return;
    lastPrintedAt = event.elapsedMs;
    const phase =
      event.phase === undefined
        ? "no phase yet"
        : event.phaseChanged && event.previousPhase !== undefined
          ? `phase ${event.previousPhase} -> ${event.phase}`
          : `phase ${event.phase}`;
    const next =
      event.nextPollInMs === undefined ? "" : `; next poll in ${formatDuration(event.nextPollInMs)}`;
    const error = event.error === undefined ? "" : `; poll failed (will retry): ${event.error}`;
    log(
      event.state === "error" ? "warn" : "info",
      `${label}: waiting for ${event.task}: ${phase}, ${formatDuration(event.elapsedMs)} elapsed of ` +
        `${formatDuration(deadlineMs)} allowed (poll ${event.poll})${next}${error}`,
    );
  };
}

/** `waitFor` with the timing of one wait and its progress printed for `what`; the final value. */
export async function waitWithProgress<T>(
  what: string,
  timing: WaitTiming,
  options: Pick<WaitOptions<T>, "poll" | "classify" | "task">,
): Promise<T> {
  return (await waitFor({ ...options, ...timing, onProgress: progressPrinter(what, timing.deadlineMs) }))
    .value;
}
