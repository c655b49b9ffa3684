/** `--state-file`: state survives a restart; the file is replaced atomically and never half-written. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startEmulator as start, StateFileError, type EmulatorOptions, type RunningEmulator } from "../src";
import { alibaba, huawei, HW_CREDS, issueToken, send } from "./helpers/http";

// Every emulator is closed after its test, even when an assertion failed half-way.
const running: RunningEmulator[] = [];
async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = await start(options);
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const dir = (): string => mkdtempSync(path.join(tmpdir(), "ugemu-state-"));

it("keeps clusters, tasks, tokens and virtual time across a restart", async () => {
  const file = path.join(dir(), "state.json");
  const first = await startEmulator({ stateFile: file, freezeClock: true });
  const ack = first.control.clusters().find((c) => c.name === "ack-ready")!;
  const run = await alibaba(first.url, "POST", `/clusters/${ack.id}/checks`, {
    action: "RunClusterCheck",
    body: { type: "ClusterUpgrade" },
  });
  const checkId = run.json()["check_id"] as string;
  const token = await issueToken(first.url, { project: { id: HW_CREDS.projectId } });
  first.control.advanceClock(3_600_000);
  const virtualAtClose = first.control.clock().nowMs;
  await first.close();
  expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
    format: "upgrade-guard-emulator-state",
    version: 1,
  });

  // The scenario option is ignored when a state file exists: the file is the truth.
  const second = await startEmulator({ stateFile: file, scenario: "empty", freezeClock: true });
  try {
    expect(second.control.scenarioName()).toBe("default");
    const check = await alibaba(second.url, "GET", `/clusters/${ack.id}/checks/${checkId}`, {
      action: "GetClusterCheck",
    });
    expect(check.status).toBe(200);
    expect(check.json()["status"]).toBe("Succeeded");
    const withToken = await send(second.url, "GET", `/api/v3/projects/${HW_CREDS.projectId}/clusters`, {
      "x-auth-token": token,
    });
    expect(withToken.status).toBe(200);
    // Virtual time continues from where it stood (plus the real time the restart took).
    const now = second.control.clock().nowMs;
    expect(now).toBeGreaterThanOrEqual(virtualAtClose);
    expect(now - virtualAtClose).toBeLessThan(60_000);
  } finally {
    await second.close();
  }
});

it("a create is answered only once it is in the file: the answer is the acknowledgement", async () => {
  const file = path.join(dir(), "state.json");
  const emulator = await startEmulator({ stateFile: file, freezeClock: true });
  const ack = emulator.control.clusters().find((c) => c.name === "ack-ready")!;
  const answers = await Promise.all(
    Array.from({ length: 5 }, () =>
      alibaba(emulator.url, "POST", `/clusters/${ack.id}/checks`, {
        action: "RunClusterCheck",
        body: { type: "ClusterUpgrade" },
      }),
    ),
  );
  // Read at once, no flush: the file already holds every check answered.
  const saved = JSON.parse(readFileSync(file, "utf8")) as { state: { ackChecks: { id: string }[] } };
  const ids = new Set(saved.state.ackChecks.map((c) => c.id));
  for (const answer of answers) expect(ids.has(answer.json()["check_id"] as string)).toBe(true);
});

it("a finished upgrade's version change is what the next start serves", async () => {
  const file = path.join(dir(), "state.json");
  const first = await startEmulator({ stateFile: file, freezeClock: true });
  const cce = first.control.clusters().find((c) => c.name === "cce-ready")!;
  await huawei(
    first.url,
    "POST",
    `/api/v3/projects/${HW_CREDS.projectId}/clusters/${cce.id}/operation/upgrade`,
    {
      body: {
        metadata: { kind: "UpgradeTask", apiVersion: "v3" },
        spec: { clusterUpgradeAction: { targetVersion: "v1.30" } },
      },
    },
  );
  first.control.advanceClock(3_600_000);
  await first.close();
  const second = await startEmulator({ stateFile: file });
  try {
    expect(second.control.clusters().find((c) => c.id === cce.id)?.version).toBe("v1.30.0-r0");
  } finally {
    await second.close();
  }
});

it("a master snapshot task survives a restart; a state file written before snapshots existed still loads", async () => {
  const file = path.join(dir(), "state.json");
  const first = await startEmulator({ stateFile: file, freezeClock: true });
  const cce = first.control.clusters().find((c) => c.name === "cce-ready")!;
  const tasks = `/api/v3.1/projects/${HW_CREDS.projectId}/clusters/${cce.id}/operation/snapshot/tasks`;
  const created = await huawei(
    first.url,
    "POST",
    `/api/v3.1/projects/${HW_CREDS.projectId}/clusters/${cce.id}/operation/snapshot`,
  );
  const uid = created.json()["uid"] as string;
  await first.close();

  const second = await startEmulator({ stateFile: file, freezeClock: true });
  const listed = (await huawei(second.url, "GET", tasks)).json()["items"] as { metadata: { uid: string } }[];
  expect(listed.map((t) => t.metadata.uid)).toEqual([uid]);
  await second.close();

  const saved = JSON.parse(readFileSync(file, "utf8")) as { state: Record<string, unknown> };
  delete saved.state["cceSnapshots"];
  writeFileSync(file, JSON.stringify(saved));
  const third = await startEmulator({ stateFile: file, freezeClock: true });
  expect((await huawei(third.url, "GET", tasks)).json()["items"]).toEqual([]);
});

it("every read of the file while writes are in flight sees a complete document, and no temp file remains", async () => {
  const folder = dir();
  const file = path.join(folder, "state.json");
  const emulator = await startEmulator({ stateFile: file, freezeClock: true });
  try {
    const ack = emulator.control.clusters().find((c) => c.name === "ack-blocked")!;
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      await alibaba(emulator.url, "POST", `/clusters/${ack.id}/checks`, {
        action: "RunClusterCheck",
        body: { type: "ClusterMigrate" },
      });
      // Read the file over and over while a write is in flight: never a partial document.
      let settled = false;
      const writing = emulator.control.flush().finally(() => (settled = true));
      do {
        if (existsSync(file)) {
          seen.push(
            (JSON.parse(readFileSync(file, "utf8")) as { state: { ackChecks: unknown[] } }).state.ackChecks
              .length,
          );
        }
        await new Promise((resolve) => setImmediate(resolve));
      } while (!settled);
      await writing;
      // Once flush resolves, the file holds this request's check.
      const flushed = JSON.parse(readFileSync(file, "utf8")) as { state: { ackChecks: unknown[] } };
      expect(flushed.state.ackChecks).toHaveLength(4 + i);
      seen.push(flushed.state.ackChecks.length);
    }
    // 3 scenario checks + 40 new ones, and the count only ever grew.
    expect(seen[seen.length - 1]).toBe(43);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  } finally {
    await emulator.close();
  }
  expect(readdirSync(folder)).toEqual(["state.json"]);
});

it("refuses to start from a corrupt or foreign state file, saying how to recover", async () => {
  const file = path.join(dir(), "state.json");
  writeFileSync(file, '{"format": "upgrade-guard-emulator-state", "version": 1, "state": {');
  await expect(startEmulator({ stateFile: file })).rejects.toThrow(StateFileError);
  await expect(startEmulator({ stateFile: file })).rejects.toThrow(/delete it/);
  writeFileSync(file, JSON.stringify({ some: "other file" }));
  await expect(startEmulator({ stateFile: file })).rejects.toThrow(
    /not an upgrade-guard-emulator-state v1 file/,
  );
});

it("refuses a damaged state file at start-up, naming the bad field, instead of failing later requests", async () => {
  const good = path.join(dir(), "state.json");
  await (await startEmulator({ stateFile: good })).close();
  const saved = JSON.parse(readFileSync(good, "utf8")) as Record<string, Record<string, unknown[]>>;
  const state = saved["state"]!;
  const damaged: Array<[string, unknown, RegExp]> = [
    ["no tables", { ...saved, state: {} }, /state\.clusters must be an array/],
    [
      "a null cluster",
      { ...saved, state: { ...state, clusters: [null] } },
      /state\.clusters\[0\] must be an object/,
    ],
    [
      "a cluster without a version",
      { ...saved, state: { ...state, clusters: [{ ...(state["clusters"]![0] as object), version: 5 }] } },
      /state\.clusters\[0\]\.version must be a string/,
    ],
    [
      "a precheck of no cluster",
      {
        ...saved,
        state: { ...state, ccePrechecks: [{ ...(state["ccePrechecks"]![0] as object), clusterId: "x" }] },
      },
      /state\.ccePrechecks\[0\]\.clusterId must name a cluster/,
    ],
    ["a scenario without a name", { ...saved, scenario: {} }, /its scenario is invalid:\n\s+- name:/],
    ["docQuirks as text", { ...saved, docQuirks: "yes" }, /docQuirks must be true or false/],
  ];
  for (const [label, content, problem] of damaged) {
    const file = path.join(dir(), "state.json");
    writeFileSync(file, JSON.stringify(content));
    const failure = await startEmulator({ stateFile: file }).then(
      () => new Error(`${label}: started`),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StateFileError);
    expect((failure as Error).message).toMatch(problem);
    expect((failure as Error).message).toMatch(/is damaged.*delete it to start from the scenario/s);
  }
});

it("removes the temporary files of a crashed writer, not those of a running one", async () => {
  const folder = dir();
  const file = path.join(folder, "state.json");
  // The pid of a process that has exited: its temporary file can only be a crash's leftover.
  const gone = spawnSync(process.execPath, [
    "-e",
    "process.stdout.write(String(process.pid))",
  ]).stdout.toString();
  const stale = path.join(folder, `.state.json.${gone}.0badc0de.tmp`);
  const live = path.join(folder, `.state.json.${process.pid}.0badc0de.tmp`);
  const unrelated = path.join(folder, `.other.json.${gone}.0badc0de.tmp`);
  for (const f of [stale, live, unrelated]) writeFileSync(f, "{half");
  await startEmulator({ stateFile: file });
  expect(existsSync(stale)).toBe(false);
  expect(existsSync(live)).toBe(true);
  expect(existsSync(unrelated)).toBe(true);
  expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ format: "upgrade-guard-emulator-state" });
});

it("reset goes back to the scenario and is persisted too", async () => {
  const file = path.join(dir(), "state.json");
  const emulator = await startEmulator({ stateFile: file, freezeClock: true });
  await emulator.control.loadScenario("empty");
  await emulator.control.flush();
  expect(
    (JSON.parse(readFileSync(file, "utf8")) as { state: { clusters: unknown[] } }).state.clusters,
  ).toEqual([]);
  await emulator.control.reset();
  await emulator.close();
  expect((JSON.parse(readFileSync(file, "utf8")) as { scenario: { name: string } }).scenario.name).toBe(
    "empty",
  );
});
