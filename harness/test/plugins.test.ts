// The real plugin processes: a start, a call and a stop, and the failures a test must see as errors
// within their deadline instead of a hang or a crash of the test process.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emptyPb, startDynamicProvider, startPolicyPack } from "../src";

it("starts the dynamic provider, answers a call, and stops it", async () => {
  const plugin = await startDynamicProvider({ cwd: os.tmpdir(), startTimeoutMs: 30_000 });
  try {
    expect(plugin.port).toBeGreaterThan(0);
    const info = await plugin.call("getPluginInfo", new emptyPb.Empty());
    expect(info.getVersion()).toMatch(/^\d+\.\d+\.\d+/);
  } finally {
    await plugin.stop();
  }
  // A second stop of an ended process returns at once.
  await plugin.stop();
}, 40_000);

it("rejects with what the plugin printed when it exits before printing a port", async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "harness-no-pack-"));
  try {
    await expect(startPolicyPack(empty, { startTimeoutMs: 30_000 })).rejects.toThrow(
      /run-policy-pack exited with .* before printing a port/,
    );
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
}, 40_000);

it("rejects when the process cannot be started at all", async () => {
  await expect(
    startDynamicProvider({ cwd: path.join(os.tmpdir(), "harness-no-such-dir-7f3a") }),
  ).rejects.toThrow(/could not be started in/);
});
