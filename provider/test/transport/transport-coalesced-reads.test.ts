// A caller that joins an identical read in flight (another transport's, on the real clock) keeps its
// own deadline and abort signal: it stops waiting when they say so, and the shared read goes on for
// the others. Real loopback server that answers slowly.
import { type IncomingMessage, type ServerResponse } from "node:http";
import { TransportError } from "../../src/errors";
import { createTransport } from "../../src/transport/transport";
import { type SendOptions } from "../../src/transport/types";
import { startServer, type TestServer } from "./loopback-server";

const ANSWER_AFTER_MS = 1500;
let server: TestServer;
/** Connections the server saw closed before it answered. */
let closedUnanswered = 0;

beforeAll(async () => {
  server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const timer = setTimeout(() => res.end("{}"), ANSWER_AFTER_MS);
    res.on("close", () => {
      if (!res.writableEnded) {
        closedUnanswered += 1;
        clearTimeout(timer);
      }
    });
    void req;
  });
});
afterAll(async () => {
  await server.close();
});

let sequence = 0;
/** A URL of its own per test, so no other test's read is joined. */
const fresh = () => `${server.url}/clusters/c1?test=${(sequence += 1)}`;
const read = (account = "acct"): SendOptions => ({
  cloud: "ack",
  operation: "DescribeClusterDetail",
  retryMode: "idempotent",
  account,
});

async function outcome(promise: Promise<unknown>): Promise<{ at: number; value: unknown }> {
  const started = Date.now();
  const value = await promise.then(
    (response) => response,
    (error: unknown) => error,
  );
  return { at: Date.now() - started, value };
}

type Transport = ReturnType<typeof createTransport>;

/** Runs `body` with a first caller's transport and a joiner's (made with `joinerOptions`), closing both. */
async function withTwoTransports(
  body: (first: Transport, joiner: Transport) => Promise<void>,
  joinerOptions?: Parameters<typeof createTransport>[0],
): Promise<void> {
  const first = createTransport();
  const joiner = createTransport(joinerOptions);
  try {
    await body(first, joiner);
  } finally {
    await Promise.all([first.close(), joiner.close()]);
  }
}

it("a joiner with a shorter deadline fails at its own deadline; the first caller still gets the answer", async () => {
  await withTwoTransports(
    async (a, b) => {
      const url = fresh();
      const before = server.received.length;
      const first = outcome(a.send({ method: "GET", url, headers: {} }, read()));
      const joiner = await outcome(b.send({ method: "GET", url, headers: {} }, read()));
      expect(joiner.value).toBeInstanceOf(TransportError);
      expect(joiner.value).toMatchObject({ code: "DEADLINE_EXCEEDED" });
      expect((joiner.value as Error).message).toContain("deadline of 300 ms passed");
      expect(joiner.at).toBeLessThan(ANSWER_AFTER_MS);
      expect((await first).value).toMatchObject({ status: 200 });
      expect(server.received.length - before).toBe(1);
    },
    { retry: { deadlineMs: 300 } },
  );
});

it("a joiner that aborts stops waiting at once; the shared read goes on for the first caller", async () => {
  await withTwoTransports(async (a, b) => {
    const url = fresh();
    const before = server.received.length;
    const controller = new AbortController();
    const first = outcome(a.send({ method: "GET", url, headers: {} }, read()));
    const joining = outcome(
      b.send({ method: "GET", url, headers: {} }, { ...read(), signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 100);
    const joiner = await joining;
    expect(joiner.value).toMatchObject({ code: "ABORTED" });
    expect(joiner.at).toBeLessThan(ANSWER_AFTER_MS);
    expect((await first).value).toMatchObject({ status: 200 });
    expect(server.received.length - before).toBe(1);
  });
});

it("a first caller that aborts does not cancel the read its joiners wait for", async () => {
  await withTwoTransports(async (a, b) => {
    const url = fresh();
    const before = server.received.length;
    const controller = new AbortController();
    const first = outcome(
      a.send({ method: "GET", url, headers: {} }, { ...read(), signal: controller.signal }),
    );
    const joiner = outcome(b.send({ method: "GET", url, headers: {} }, read()));
    setTimeout(() => controller.abort(), 100);
    expect((await first).value).toMatchObject({ code: "ABORTED" });
    expect((await joiner).value).toMatchObject({ status: 200 });
    expect(server.received.length - before).toBe(1);
  });
});

it("when every caller has aborted, the shared read is cancelled and the next read is sent afresh", async () => {
  const a = createTransport();
  try {
    const url = fresh();
    const before = server.received.length;
    const closedBefore = closedUnanswered;
    const controller = new AbortController();
    const only = outcome(
      a.send({ method: "GET", url, headers: {} }, { ...read(), signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 100);
    expect((await only).value).toMatchObject({ code: "ABORTED" });
    const next = await outcome(a.send({ method: "GET", url, headers: {} }, read()));
    expect(next.value).toMatchObject({ status: 200 });
    expect(server.received.length - before).toBe(2);
    expect(closedUnanswered - closedBefore).toBe(1);
  } finally {
    await a.close();
  }
});

it("with shareReads: false, identical reads in flight are each sent", async () => {
  const transport = createTransport({ shareReads: false });
  try {
    const url = fresh();
    const before = server.received.length;
    const answers = await Promise.all([
      transport.send({ method: "GET", url, headers: {} }, read()),
      transport.send({ method: "GET", url, headers: {} }, read()),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(server.received.length - before).toBe(2);
  } finally {
    await transport.close();
  }
});
