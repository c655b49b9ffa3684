/**
 * Reliability 5: the emulator's state file loses nothing it acknowledged. A real emulator process
 * (`emulator/dist/cli.js --state-file`) takes a stream of creates over real HTTP (ACK RunClusterCheck
 * through the provider's client, Huawei IAM token logins); it is killed with SIGKILL while requests
 * are still in flight; every create it answered must be in the file and served again after a restart.
 * Requests cut off by the kill were never acknowledged: they may or may not be there.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createAckClient, type AckClient } from "@upgrade-guard/provider";
import { DEFAULT_ALIBABA_ACCOUNT } from "@upgrade-guard/emulator";
import { issueIamToken } from "../contract/helpers/harness";
import { ControlClient } from "../contract/helpers/control-client";
import { ROOT, startNode, waitUntil, withDeadline, type Child } from "./helpers";

jest.setTimeout(60_000);

const CLI = path.join(ROOT, "emulator/dist/cli.js");
let dir: string;
const children: Child[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ug-reliability-state-"));
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill9()));
  rmSync(dir, { recursive: true, force: true });
});

async function startEmulatorProcess(file: string): Promise<{ child: Child; url: string }> {
  const child = startNode([CLI, "--port", "0", "--state-file", file, "--freeze-clock"], {});
  children.push(child);
  const [, url] = await child.line(/^listening on (http:\/\/\S+)$/m, 20_000);
  return { child, url: url! };
}

function ackClient(url: string): AckClient {
  return createAckClient({
    region: DEFAULT_ALIBABA_ACCOUNT.region,
    endpoint: url,
    env: {},
    accessKeyId: DEFAULT_ALIBABA_ACCOUNT.accessKeyId,
    accessKeySecret: DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
    // One attempt: a create cut off by the kill fails instead of being recovered from the dead peer.
    transport: { retry: { maxAttempts: 1, deadlineMs: 10_000 } },
  });
}

interface SavedState {
  state: { ackChecks: { id: string; clusterId: string }[]; tokens: { token: string }[] };
}

it("kill -9 while creates are in flight: every acknowledged create is in the file and served after a restart", async () => {
  const file = path.join(dir, "state.json");
  const first = await startEmulatorProcess(file);
  const clusters = (await new ControlClient(first.url).clusters())
    .filter((c) => c.cloud === "ack" && (c.name === "ack-ready" || c.name === "ack-blocked"))
    .map((c) => c.id);
  expect(clusters).toHaveLength(2);

  const ack = ackClient(first.url);
  const acknowledgedChecks = new Map<string, string>(); // check id -> cluster id
  const acknowledgedTokens = new Set<string>();
  const createOne = async (i: number): Promise<void> => {
    if (i % 4 === 3) {
      acknowledgedTokens.add(await issueIamToken(first.url));
      return;
    }
    const clusterId = clusters[i % clusters.length]!;
    const { check_id: checkId } = await ack.runClusterCheck({ clusterId, type: "ClusterUpgrade" });
    acknowledgedChecks.set(checkId, clusterId);
  };

  // Eight workers keep creates in flight back to back; once 40 were answered, the kill lands among them.
  let next = 0;
  let killed = false;
  let cutOff = 0;
  const worker = async (): Promise<void> => {
    while (!killed) {
      try {
        await createOne(next++);
      } catch (error) {
        if (!killed) throw error;
        cutOff += 1;
      }
    }
  };
  const workers = Promise.all(Array.from({ length: 8 }, worker));
  try {
    await waitUntil(() => acknowledgedChecks.size + acknowledgedTokens.size >= 40, 20_000, "40 creates");
  } finally {
    killed = true;
    await first.child.kill9();
  }
  await withDeadline(workers, 15_000, "the cut-off creates to settle");
  // Every answer that reached us, even one read from the socket after the process died.
  const checks = new Map(acknowledgedChecks);
  const tokens = new Set(acknowledgedTokens);
  await ack.close();
  console.log(
    `state file under kill -9: ${checks.size} checks and ${tokens.size} tokens acknowledged, ${cutOff} creates cut off`,
  );
  expect(cutOff).toBeGreaterThan(0);

  // On disk, before anything restarts: every acknowledged create.
  const saved = JSON.parse(readFileSync(file, "utf8")) as SavedState;
  const savedChecks = new Set(saved.state.ackChecks.map((c) => c.id));
  const savedTokens = new Set(saved.state.tokens.map((t) => t.token));
  expect([...checks.keys()].filter((id) => !savedChecks.has(id))).toEqual([]);
  expect([...tokens].filter((token) => !savedTokens.has(token))).toEqual([]);

  // And served by the restarted emulator.
  const second = await startEmulatorProcess(file);
  const again = ackClient(second.url);
  try {
    const listed = new Set<string>();
    for (const clusterId of clusters)
      for (const check of (await again.listClusterChecks({ clusterId })).checks) listed.add(check.check_id);
    expect([...checks.keys()].filter((id) => !listed.has(id))).toEqual([]);
  } finally {
    await again.close();
  }
});
