// The client pool of a run: one client per cloud and options, closed once. Real HTTP to the emulator
// on loopback.
import { clientEnvironment, startEmulator, type RunningEmulator } from "@upgrade-guard/emulator";
import { createClientPool } from "../../src/clients/pool";

let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator({});
  env = clientEnvironment(emulator.url);
});
afterAll(async () => {
  await emulator.close();
});

describe("createClientPool", () => {
  it("hands out one client per cloud and options, however the options object is written", async () => {
    const pool = createClientPool();
    const a = pool.cce({ env, region: "cn-north-4" });
    const b = pool.cce({ region: "cn-north-4", env });
    expect(b).toBe(a);
    expect(pool.ack({ env })).toBe(pool.ack({ env }));
    expect(pool.cce({ env, region: "cn-north-1" })).not.toBe(a); // other settings, other client
    const plain = pool.cce({ env });
    expect(pool.cce({ env: { ...env } })).toBe(plain); // the same variables
    expect(pool.cce({ env: { ...env, HW_REGION_NAME: "cn-south-1" } })).not.toBe(plain); // a changed one
    const dispatcherA = { dispatch: () => true } as never;
    expect(pool.cce({ env, dispatcher: dispatcherA })).not.toBe(plain); // injected parts count by identity
    expect(pool.cce({ env, dispatcher: dispatcherA })).toBe(pool.cce({ env, dispatcher: dispatcherA }));
    expect(pool.size).toBe(6);
    const { items } = await a.listClusters();
    expect(items.length).toBeGreaterThan(0);
    await pool.close();
    expect(pool.size).toBe(0);
    expect(() => pool.cce({ env })).toThrow("the client pool is closed");
  });

  it("serves every read of a run through one client (one transport and connection pool)", async () => {
    const pool = createClientPool();
    const before = (await emulator.control.requests()).length;
    const cce = pool.cce({ env });
    const { items } = await cce.listClusters();
    await Promise.all(
      items.map((cluster) => pool.cce({ env }).showCluster({ clusterId: cluster.metadata.uid })),
    );
    expect(pool.size).toBe(1);
    expect((await emulator.control.requests()).length - before).toBe(items.length + 1);
    await pool.close();
  });
});
