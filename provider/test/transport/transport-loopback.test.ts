// Real sockets on 127.0.0.1 only: the parts MockAgent cannot show (the owned Agent, a refused
// connection, a response that never comes).
import { Agent } from "undici";
import { TransportError } from "../../src/errors";
import { createTransport } from "../../src/transport/transport";
import { FakeClock } from "./fake-clock";
import { createOp, readOp } from "./helpers";
import { startServer } from "./loopback-server";

describe("transport over loopback", () => {
  it("uses its own keep-alive Agent by default and closes it", async () => {
    const server = await startServer((_req, res) => {
      res.setHeader("X-Request-Id", "loop-1");
      res.end('{"hello":"world"}');
    });
    try {
      const transport = createTransport({ clock: new FakeClock() });
      const first = await transport.send({ method: "GET", url: `${server.url}/a`, headers: {} }, readOp);
      const second = await transport.send({ method: "GET", url: `${server.url}/b`, headers: {} }, readOp);
      expect(first.body).toBe('{"hello":"world"}');
      expect(first.requestId).toBe("loop-1");
      expect(second.status).toBe(200);
      expect(server.received).toEqual(["GET /a", "GET /b"]);
      await transport.close();
    } finally {
      await server.close();
    }
  });

  it("does not close an injected dispatcher", async () => {
    const server = await startServer((_req, res) => res.end("{}"));
    const agent = new Agent();
    try {
      const transport = createTransport({ dispatcher: agent, clock: new FakeClock() });
      await transport.send({ method: "GET", url: `${server.url}/a`, headers: {} }, readOp);
      await transport.close();
      expect(agent.closed).toBe(false);
      const again = createTransport({ dispatcher: agent, clock: new FakeClock() });
      expect((await again.send({ method: "GET", url: `${server.url}/b`, headers: {} }, readOp)).status).toBe(
        200,
      );
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it("retries a create after a refused connection, then reports it as not ambiguous", async () => {
    const server = await startServer((_req, res) => res.end("{}"));
    const url = `${server.url}/tasks`;
    await server.close(); // nothing listens on the port any more
    const clock = new FakeClock();
    const transport = createTransport({ clock, retry: { maxAttempts: 3 } });
    try {
      const error = (await transport
        .send({ method: "POST", url, headers: {}, body: "{}" }, createOp)
        .catch((e: unknown) => e)) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.code).toBe("NETWORK");
      expect(error.attempts).toBe(3);
      expect(error.ambiguous).toBe(false);
      expect(error.message).toContain("ECONNREFUSED");
      expect(clock.sleeps).toHaveLength(2);
    } finally {
      await transport.close();
    }
  });

  it("does not resend a create whose response never came (headers timeout)", async () => {
    const server = await startServer(() => {
      // read the request, never answer
    });
    const transport = createTransport({ clock: new FakeClock(), timeouts: { headersMs: 100 } });
    try {
      const error = (await transport
        .send({ method: "POST", url: `${server.url}/tasks`, headers: {}, body: "{}" }, createOp)
        .catch((e: unknown) => e)) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.code).toBe("TIMEOUT");
      expect(error.ambiguous).toBe(true);
      expect(server.received).toEqual(["POST /tasks"]);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it("does resend an idempotent read after a headers timeout", async () => {
    let calls = 0;
    const server = await startServer((_req, res) => {
      calls += 1;
      if (calls > 1) res.end("{}");
    });
    const transport = createTransport({ clock: new FakeClock(), timeouts: { headersMs: 100 } });
    try {
      const response = await transport.send({ method: "GET", url: `${server.url}/r`, headers: {} }, readOp);
      expect(response.status).toBe(200);
      expect(response.attempts).toBe(2);
      expect(server.received).toEqual(["GET /r", "GET /r"]);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it("holds the send's deadline over a body that drips in, not only over the gaps between chunks", async () => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // 40 bytes, one every 250 ms: 10 s in all, each gap far below the chunk timeout.
      for (let i = 1; i <= 40; i += 1) {
        timers.push(
          setTimeout(() => {
            if (i === 40) {
              finished = true;
              res.end(" ");
            } else res.write(" ");
          }, i * 250),
        );
      }
    });
    try {
      const transport = createTransport({ retry: { deadlineMs: 1_000, maxAttempts: 1 } });
      const error = (await transport
        .send({ method: "GET", url: `${server.url}/slow`, headers: {} }, readOp)
        .catch((e: unknown) => e)) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.code).toBe("DEADLINE_EXCEEDED");
      expect(error.message).toContain("deadline of 1000 ms passed");
      expect(error.ambiguous).toBe(true);
      expect(finished).toBe(false); // it gave up long before the server was done
      await transport.close();
    } finally {
      for (const timer of timers) clearTimeout(timer);
      await server.close();
    }
  });
});
