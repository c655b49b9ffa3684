/** What every format says the same way: the row's words, so no two formats disagree. */
import { type ClusterReport, type Report } from "../report-schema";

/** The verdict word of a row: the readiness verdict, or `error` when it could not be read. */
export function verdictOf(row: ClusterReport): string {
  return row.readiness?.verdict ?? "error";
}

/** The sentences that explain a row: evaluate's reasons, or the error and its hint. */
export function reasonsOf(row: ClusterReport): string[] {
  if (row.readiness !== undefined) return [...row.readiness.reasons];
  const error = row.error;
  if (error === undefined) return ["no readiness data"];
  return [`${error.code}: ${error.message}`, ...(error.hint === undefined ? [] : [error.hint])];
}

/** `current -> target`, with `?` where unknown. */
export function versionsOf(row: ClusterReport): { current: string; target: string } {
  return {
    current: row.readiness?.currentVersion ?? "?",
    target: row.readiness?.targetVersion ?? row.targetVersion ?? "?",
  };
}

/** The id of the primary check the verdict rests on (for the target), `-` when there is none. */
export function checkIdOf(row: ClusterReport): string {
  return row.readiness?.summary.checkId ?? "-";
}

/** One line that sums the report up. */
export function summaryLine(report: Report): string {
  const { total, safe, blocked, undecided } = report.summary;
  if (total === 0) return "No clusters found.";
  return `${safe} of ${total} cluster(s) safe to upgrade; ${blocked} blocked; ${undecided} undecided.`;
}

/** Human display name of a row (the readiness' name, else the listed one). */
export function nameOf(row: ClusterReport): string {
  return row.readiness?.clusterName ?? row.cluster;
}

// C0 controls, DEL and C1 controls (ESC, CSI, OSC, BEL, NUL, backspace...), and the line and bidi
// separators and overrides that reorder or split what a terminal shows.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function shown(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Vendor or user text made safe for a terminal: every control character shown escaped (`\x1b`), so a
 * cluster name or vendor message cannot move the cursor, clear the screen, retitle the window or hide
 * text. `keepNewlines` leaves `\n` for text that may span lines; the caller indents what follows.
 */
export function showControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines === true ? CONTROL_BUT_NEWLINE : CONTROL, shown);
}
