// Real sockets on 127.0.0.1 only: the parts MockAgent cannot show (the owned Agent, a refused
// connection, a response that never comes).
import { Agent, Dispatcher } from "undici";
import { TransportError } from "../../src/errors";
import { MAX_RESPONSE_BODY_BYTES } from "../../src/transport/defaults";
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
  // The cap holds on a real socket both ways a body can come: with a declared length (refused from
  // the headers, before the body is read) and chunked (counted as it arrives); the connection is
  // not reused for the next call half-read.
  it.each([
    ["a declared content-length", true],
    ["a chunked body", false],
  ])("refuses a body over the cap with %s, then serves the next call", async (_label, declared) => {
    const big = Buffer.alloc(MAX_RESPONSE_BODY_BYTES + 1, 0x61);
    const server = await startServer((req, res) => {
      if (req.url === "/small") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
        return;
      }
      res.writeHead(200, declared ? { "content-length": String(big.length) } : {});
      // Chunked: several writes, so the cap trips part-way through.
      for (let at = 0; at < big.length; at += 1 << 20) res.write(big.subarray(at, at + (1 << 20)));
      res.end();
    });
    const transport = createTransport({ retry: { maxAttempts: 3 } });
    try {
      const error = (await transport
        .send({ method: "GET", url: `${server.url}/big`, headers: {} }, readOp)
        .catch((e: unknown) => e)) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.message).toContain(`response body exceeds ${MAX_RESPONSE_BODY_BYTES} bytes`);
      expect(server.received).toEqual(["GET /big"]); // never retried
      const next = await transport.send({ method: "GET", url: `${server.url}/small`, headers: {} }, readOp);
      expect(JSON.parse(next.body)).toEqual({ ok: true });
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it("reads a body as UTF-8 without a leading byte-order mark, multi-byte characters split across chunks", async () => {
    const text = '{"name":"集群-ü"}';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // One byte a write, so a character's bytes arrive in different chunks.
      for (const byte of bytes) res.write(Buffer.from([byte]));
      res.end();
    });
    const transport = createTransport();
    try {
      const response = await transport.send(
        { method: "GET", url: `${server.url}/utf8`, headers: {} },
        readOp,
      );
      expect(response.body).toBe(text);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it("sends the path and query as written, '/' first when the URL has no path", async () => {
    const server = await startServer((_req, res) => res.end("{}"));
    const transport = createTransport();
    const upperCaseScheme = server.url.replace("http:", "HTTP:");
    try {
      for (const url of [
        server.url,
        `${server.url}?next=/a/b`,
        `${upperCaseScheme}/p/q?x=1`,
        `${server.url}/`,
      ])
        await transport.send({ method: "GET", url, headers: {} }, readOp);
      expect(server.received).toEqual(["GET /", "GET /?next=/a/b", "GET /p/q?x=1", "GET /"]);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it("holds the deadline when the dispatcher never starts the request (a connection that never opens)", async () => {
    // A dispatcher that accepts the request and never calls its handler again: the send still ends
    // at its deadline, through the attempt's own timer, not through undici.
    class StuckDispatcher extends Dispatcher {
      dispatched = 0;
      override dispatch(): boolean {
        this.dispatched += 1;
        return true;
      }
    }
    const stuck = new StuckDispatcher();
    const transport = createTransport({ dispatcher: stuck, retry: { deadlineMs: 300, maxAttempts: 1 } });
    const error = (await transport
      .send({ method: "GET", url: "http://127.0.0.1:9/never", headers: {} }, readOp)
      .catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe("DEADLINE_EXCEEDED");
    expect(stuck.dispatched).toBe(1);
  });

  it("turns a dispatcher that throws into a typed error, not a crash", async () => {
    class ThrowingDispatcher extends Dispatcher {
      override dispatch(): boolean {
        throw new Error("dispatcher is closed");
      }
    }
    const transport = createTransport({
      dispatcher: new ThrowingDispatcher(),
      retry: { deadlineMs: 2_000, maxAttempts: 1 },
    });
    const error = (await transport
      .send({ method: "GET", url: "http://127.0.0.1:9/x", headers: {} }, readOp)
      .catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toContain("dispatcher is closed");
  });
});
