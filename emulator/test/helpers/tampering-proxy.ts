/**
 * A loopback HTTP proxy that changes requests in flight, so a request signed by an official SDK can
 * be tampered with after signing (the man-in-the-middle the signature exists to stop).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo } from "node:net";

export interface InFlight {
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startTamperingProxy(
  target: string,
  mutate: (request: InFlight) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const inFlight: InFlight = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: { ...req.headers },
        body: Buffer.concat(chunks),
      };
      mutate(inFlight);
      delete inFlight.headers["transfer-encoding"];
      inFlight.headers["content-length"] = String(inFlight.body.length);
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: inFlight.method,
          path: inFlight.path,
          headers: inFlight.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(inFlight.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
