// A real HTTP server on 127.0.0.1 for the tests MockAgent cannot serve: the owned Agent, a refused
// connection, and a response that never comes. MockAgent's `.delay(ms)` arms a timer that neither
// an abort nor `agent.close()` clears, so a long delay keeps jest alive after the run; a server
// that never answers, destroyed in `close()`, leaves nothing behind.
import * as http from "node:http";
import { type AddressInfo, type Socket } from "node:net";

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
