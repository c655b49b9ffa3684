// Every resource and data function builds its own client, so limits must hold across transports:
// two transports on the real clock share one origin's concurrency limit and bucket, and identical
// reads in flight at once are sent once. Real loopback
// server; it counts requests in flight (no timing assertions).
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { createTransport } from "../../src/transport/transport";

let server: Server;
let url: string;
let inFlight = 0;
let maxInFlight = 0;
let received = 0;
let sequence = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    received += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.end("{}");
    }, 30);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  maxInFlight = 0;
  received = 0;
});

/** A read of its own (a distinct query): identical reads in flight would be sent once. */
const send = (t: ReturnType<typeof createTransport>, target = `${url}?n=${(sequence += 1)}`) =>
  t.send(
    { method: "GET", url: target, headers: {} },
    { cloud: "cce", operation: "ShowCluster", retryMode: "idempotent", account: "test-account" },
  );

it("identical reads in flight at once, from any transport of the process, are sent once", async () => {
  const a = createTransport();
  const b = createTransport();
  try {
    const same = `${url}?same=1`;
    const answers = await Promise.all([send(a, same), send(b, same), send(a, same), send(b, same)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(received).toBe(1);
    await send(a, same); // once answered, the next read is sent afresh
    expect(received).toBe(2);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

it("two transports on the real clock share one origin's concurrency limit", async () => {
  // An unusual limit value, so no other test's transports share this limiter.
  const limits = { concurrency: 1, ratePerSecond: 997, burst: 50 };
  const a = createTransport({ limits });
  const b = createTransport({ limits });
  try {
    await Promise.all([send(a), send(b), send(a), send(b)]);
    expect(maxInFlight).toBe(1);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

it("transports with different limits do not share", async () => {
  const a = createTransport({ limits: { concurrency: 1, ratePerSecond: 991, burst: 50 } });
  const b = createTransport({ limits: { concurrency: 1, ratePerSecond: 983, burst: 50 } });
  try {
    await Promise.all([send(a), send(b)]);
    expect(maxInFlight).toBe(2);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

it("each operation has its own limiter (the clouds throttle per API and account); one operation shares", async () => {
  // An unusual limit value, so no other test's transports share these limiters.
  const t = createTransport({ limits: { concurrency: 1, ratePerSecond: 977, burst: 50 } });
  const read = (operation: string) =>
    t.send(
      { method: "GET", url: `${url}?n=${(sequence += 1)}`, headers: {} },
      { cloud: "cce", operation, retryMode: "idempotent", account: "test-account" },
    );
  try {
    await Promise.all([read("ShowCluster"), read("ShowCluster"), read("ShowCluster")]);
    expect(maxInFlight).toBe(1);
    maxInFlight = 0;
    await Promise.all([read("ShowCluster"), read("ListPreCheckTasks"), read("ListUpgradeWorkFlows")]);
    expect(maxInFlight).toBe(3);
  } finally {
    await t.close();
  }
});
