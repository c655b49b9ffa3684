/**
 * Progress of a long run, on stderr so stdout stays the report: a bar redrawn in place on a
 * terminal, sparse lines (every tenth of the way) in CI logs, nothing when quiet or for short runs.
 */
import { showControls } from "./formats/common";

export interface OutputStream {
  write(text: string): unknown;
  /** True on a terminal (node sets it on process.stdout/stderr). */
  readonly isTTY?: boolean;
}

/** Below this many clusters a CI log gets no progress lines: the run is short anyway. */
export const PROGRESS_LINES_FROM = 20;
const BAR_WIDTH = 24;

export interface Progress {
  /** One more cluster read; `detail` is said in verbose mode. */
  tick(detail?: string): void;
  /** Removes the bar (a terminal) so the report that follows starts on a clean line. */
  done(): void;
}

export function startProgress(
  total: number,
  stream: OutputStream,
  chatter: "quiet" | "normal" | "verbose",
): Progress {
  let read = 0;
  let lastTenth = 0;
  const tty = stream.isTTY === true;
  return {
    tick(detail) {
      read += 1;
      if (chatter === "quiet") return;
      if (chatter === "verbose" && detail !== undefined) {
        if (tty) stream.write("\r\u001b[2K");
        // The detail names the cluster as the vendor lists it: one line, controls shown escaped.
        stream.write(`upgrade-guard: ${showControls(detail)}\n`);
      }
      if (tty) {
        const filled = Math.round((read / total) * BAR_WIDTH);
        stream.write(
          `\r\u001b[2K[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${read}/${total} clusters read`,
        );
        return;
      }
      const tenth = Math.floor((read * 10) / total);
      if (total >= PROGRESS_LINES_FROM && tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`upgrade-guard: ${read}/${total} clusters read (${tenth * 10}%)\n`);
      }
    },
    done() {
      if (tty && chatter !== "quiet" && read > 0) stream.write("\r\u001b[2K");
    },
  };
}
