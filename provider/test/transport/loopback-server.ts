// A real HTTP server on 127.0.0.1 for the tests MockAgent cannot serve: the owned Agent, a refused
// connection, a response that never comes, and (startBlackhole) a connect that never completes. MockAgent's `.delay(ms)` arms a timer that neither
// an abort nor `agent.close()` clears, so a long delay keeps jest alive after the run; a server
// that never answers, destroyed in `close()`, leaves nothing behind.
import * as http from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { Worker } from "node:worker_threads";

export interface TestServer {
  readonly url: string;
  /** "METHOD /path?query" per request received, in order. */
  readonly received: string[];
  /** Destroys every open socket (answered or not) and stops listening. */
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<TestServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A server that reads each request and never answers. */
export function startSilentServer(): Promise<TestServer> {
  return startServer((req) => req.resume());
}

/**
 * Runs in a worker: listens with a backlog of 1, reports its port, then blocks its event loop, so it
 * never accepts a connection until the main thread wakes it.
 */
const BLOCKED_LISTENER = `
const { parentPort, workerData } = require("node:worker_threads");
const server = require("node:net").createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(new Int32Array(workerData), 0, 0);
});
`;

/** Whether a connect to `port` completes within `ms` (false: it is still pending, and kept). */
function connects(port: number, ms: number, sockets: Socket[]): Promise<boolean> {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * An address whose connects never complete, like a host that silently drops SYNs (a metadata
 * address such as 100.100.100.200 off the cloud). A listener that never accepts, its accept queue
 * filled by connections of its own: the kernel then drops every further SYN, and a client keeps
 * retransmitting until its own connect timeout. Not a timeout of a request already sent, which a
 * silent server gives.
 */
export async function startBlackhole(): Promise<{ readonly url: string; close(): Promise<void> }> {
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(BLOCKED_LISTENER, { eval: true, workerData: wake.buffer });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(wake, 0, 1);
    Atomics.notify(wake, 0);
    await worker.terminate();
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once("message", (message: number) => resolve(message));
      worker.once("error", reject);
    });
    // A loopback connect the kernel can queue completes in well under the 500 ms it is given here.
    for (let filled = 0; await connects(port, 500, fillers); filled += 1) {
      if (filled > 64) throw new Error("the accept queue never filled: connects cannot be made to hang here");
    }
    return { url: `http://127.0.0.1:${port}`, close };
  } catch (error) {
    await close();
    throw error;
  }
}
