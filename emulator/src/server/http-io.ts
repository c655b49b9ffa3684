/**
 * Low-level request/response plumbing: bounded body reading, path splitting and writing answers
 * (including the broken answers fault rules ask for). Which cloud a request is for: server/dialect.ts.
 */
import { type IncomingMessage, type ServerResponse } from "node:http";

/** Bodies over this get 413 (the limit). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this the body is not even drained: answer 413 and close the connection. */
const DRAIN_LIMIT_BYTES = 8 * MAX_BODY_BYTES;

export interface BodyResult {
  readonly body: Buffer;
  readonly bytes: number;
  readonly tooLarge: boolean;
  /** The connection cannot be reused (body left unread). */
  readonly mustClose: boolean;
}

const EMPTY_BODY: BodyResult = { body: Buffer.alloc(0), bytes: 0, tooLarge: false, mustClose: false };

/**
 * The body's result when it can be known without reading: a request with neither a length nor
 * chunked encoding has none (RFC 9112 section 6.3; Node dumps the empty stream when the answer
 * ends), and one declaring more than the drain limit is refused unread. Undefined: read it.
 */
export function bodyWithoutReading(req: IncomingMessage): BodyResult | undefined {
  const length = req.headers["content-length"];
  if (req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) {
    return EMPTY_BODY;
  }
  const declared = Number(length ?? "0");
  if (Number.isFinite(declared) && declared > DRAIN_LIMIT_BYTES) {
    return { body: Buffer.alloc(0), bytes: declared, tooLarge: true, mustClose: true };
  }
  return undefined;
}

export function readBody(req: IncomingMessage): Promise<BodyResult> {
  const known = bodyWithoutReading(req);
  if (known !== undefined) return Promise.resolve(known);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (bytes > DRAIN_LIMIT_BYTES) {
        req.pause();
        finish({ body: Buffer.alloc(0), bytes, tooLarge: true, mustClose: true });
      }
    });
    req.on("end", () =>
      finish(
        bytes > MAX_BODY_BYTES
          ? { body: Buffer.alloc(0), bytes, tooLarge: true, mustClose: false }
          : {
              body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
              bytes,
              tooLarge: false,
              mustClose: false,
            },
      ),
    );
    req.on("error", () => finish({ body: Buffer.alloc(0), bytes, tooLarge: false, mustClose: true }));
    req.on("aborted", () => finish({ body: Buffer.alloc(0), bytes, tooLarge: false, mustClose: true }));
  });
}

/** Decoded segments after the leading `/`; undefined when a segment is not valid percent-encoding. */
export function splitPath(rawPath: string): string[] | undefined {
  const parts = rawPath.split("/").slice(1);
  const out: string[] = [];
  for (const part of parts) {
    if (!part.includes("%")) {
      out.push(part);
      continue;
    }
    try {
      out.push(decodeURIComponent(part));
    } catch {
      return undefined;
    }
  }
  return out;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Empty string for no body. */
  readonly text: string;
}

export type Breakage = "truncate" | "malformed" | "resetAfter" | undefined;

/** Destroys the connection abruptly (an RST where the platform allows). */
export function resetConnection(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage["socket"] & { resetAndDestroy?: () => void };
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}

export function writeAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: Answer,
  breakage: Breakage,
  close: boolean,
): void {
  if (res.headersSent || res.destroyed) return;
  if (breakage === "resetAfter") {
    resetConnection(req);
    return;
  }
  let text = answer.text;
  if (breakage === "malformed") {
    // Half a JSON document and some HTML: status and length stay plausible, parsing fails.
    text = `${text.slice(0, Math.floor(text.length / 2))}<html><body>upstream error</body></html>`;
  }
  const bytes = Buffer.from(text, "utf8");
  const headers: Record<string, string | number> = { ...answer.headers, "Content-Length": bytes.length };
  if (close) headers["Connection"] = "close";
  res.writeHead(answer.status, headers);
  if (breakage === "truncate") {
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => resetConnection(req));
    return;
  }
  res.end(bytes);
}

export function isLoopback(address: string | undefined): boolean {
  return (
    address === "::1" ||
    (address?.startsWith("127.") ?? false) ||
    (address?.startsWith("::ffff:127.") ?? false)
  );
}
