/**
 * Fuzzing: random methods, paths, headers and bodies — some unsigned, some validly signed so they
 * reach the handlers — plus raw garbage on the socket. The server must answer every HTTP request with
 * a well-formed vendor answer, never report an internal error, and still work correctly afterwards.
 * Seeded, so a failure reproduces.
 */
import { connect } from "node:net";
import { startEmulator, type RunningEmulator } from "../src";
import { alibaba, huawei, HW_CREDS, send, type HttpAnswer } from "./helpers/http";

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20250805;
const rand = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const chance = (p: number): boolean => rand() < p;

let emulator: RunningEmulator;
const internalErrors: unknown[] = [];
let clusters: { cce: string; ack: string };

beforeAll(async () => {
  emulator = await startEmulator({ freezeClock: true, onInternalError: (e) => internalErrors.push(e) });
  const list = emulator.control.clusters();
  clusters = { cce: list.find((c) => c.cloud === "cce")!.id, ack: list.find((c) => c.cloud === "ack")!.id };
});

afterAll(async () => {
  await emulator.close();
});

function randomText(max: number): string {
  const alphabet = [
    "a",
    "Z",
    "0",
    "-",
    "_",
    ".",
    "~",
    "%",
    "%2F",
    "%zz",
    "%00",
    "/",
    "?",
    "&",
    "=",
    "+",
    " ",
    "é",
    "中",
    "\u{1F600}",
    "{",
    "}",
    '"',
    "\\",
    ";",
    ",",
  ];
  let out = "";
  const length = Math.floor(rand() * max);
  for (let i = 0; i < length; i++) out += pick(alphabet);
  return out;
}

function randomPath(): string {
  const prefixes = [
    `/api/v3/projects/${HW_CREDS.projectId}/clusters/${clusters.cce}`,
    `/api/v3/projects/${HW_CREDS.projectId}/clusters`,
    "/api/v3/projects/x/clusters/y/operation/precheck/tasks",
    `/clusters/${clusters.ack}`,
    `/clusters/${clusters.ack}/checks`,
    "/api/v1/clusters",
    "/api/v2/clusters/nope/upgrade",
    "/tasks/T-1",
    "/v3/auth/tokens",
    "/v3/projects",
    "/__emulator/nope",
    "/__emulator/faults",
    "/__emulator/faults/%zz",
    "/__emulator/clock",
    "/__emulator/config",
    "/__emulator/scenario",
    "/__emulator/requests",
    "",
  ];
  const suffixes = [
    "",
    "/",
    "/addons/precheck/tasks",
    "/operation/upgrade",
    "/upgradeinfo",
    "//",
    "/..",
    `/${randomText(12)}`,
  ];
  let p = `${pick(prefixes)}${pick(suffixes)}`;
  if (!p.startsWith("/")) p = `/${p}`;
  // Keep the path inside what an HTTP client will send (no spaces or raw non-ASCII).
  p = p.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
  if (chance(0.5)) p += `?${randomText(20).replace(/[^\x21-\x7e]/g, "x")}`;
  return p;
}

function randomHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const options: Array<() => void> = [
    () =>
      (headers["authorization"] = pick([
        "SDK-HMAC-SHA256",
        "SDK-HMAC-SHA256 Access=UGEMU-HW-AK, SignedHeaders=x-sdk-date, Signature=00",
        "ACS3-HMAC-SHA256 Credential=,SignedHeaders=;;,Signature=",
        "acs :",
        "acs UGEMU-ALI-AK:abc",
        "Bearer x",
        "ACS3-",
      ])),
    () => (headers["x-sdk-date"] = pick(["20250805T091044Z", "garbage", "99999999T999999Z", ""])),
    () => (headers["x-auth-token"] = pick(["MII", "x".repeat(300), ""])),
    () => (headers["x-acs-date"] = pick(["2025-08-05T09:10:44Z", "yesterday", "2025-13-45T99:99:99Z"])),
    () => (headers["x-acs-signature-nonce"] = randomText(10).replace(/[^\x21-\x7e]/g, "n")),
    () => (headers["x-acs-action"] = pick(["GetClusterCheck", "Nope", ""])),
    () =>
      (headers["x-acs-content-sha256"] = pick([
        "",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ])),
    () =>
      (headers["content-type"] = pick([
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=x",
        "",
      ])),
    () => (headers["x-project-id"] = pick([HW_CREDS.projectId, "other"])),
    () => (headers["date"] = pick([new Date().toUTCString(), "Mon, 99 Foo 2025"])),
  ];
  for (const option of options) if (chance(0.3)) option();
  return headers;
}

function randomBody(): string | Buffer {
  switch (Math.floor(rand() * 6)) {
    case 0:
      return "";
    case 1:
      return randomText(200);
    case 2:
      return Buffer.from(Array.from({ length: Math.floor(rand() * 500) }, () => Math.floor(rand() * 256)));
    case 3:
      return JSON.stringify({
        kind: pick(["PreCheckTask", "AddonCheck", 1, null]),
        spec: pick([{}, [], "x", { targetVersion: [1] }]),
      });
    case 4:
      return chance(0.2) ? "x".repeat(1024 * 1024 + 100) : "[1,2,3";
    default:
      return JSON.stringify({
        type: pick(["ClusterUpgrade", "x", 5]),
        options: pick([{ next_version: 3 }, "s", null]),
        next_version: pick(["1.32.1-aliyun.1", 7]),
      });
  }
}

function randomSignedBody(): unknown {
  return pick<unknown>([
    undefined,
    {},
    [],
    "text",
    42,
    null,
    { apiVersion: "v3", kind: "PreCheckTask", spec: { targetVersion: pick(["v1.30", "", "v9", 5]) } },
    {
      metadata: { kind: "UpgradeTask", apiVersion: "v3" },
      spec: { clusterUpgradeAction: { targetVersion: pick(["v1.30", null]) } },
    },
    {
      kind: "AddonCheck",
      apiVersion: "v3",
      spec: { addonList: [{ addonTemplateName: "coredns", addonInstanceID: "x", type: "addonUpgrade" }] },
    },
    { kind: "WorkFlowTask", apiVersion: "v3", spec: { targetVersion: pick(["v1.30", "v1.31"]) } },
    { status: { phase: pick(["Cancel", "Run"]) } },
    {
      type: pick(["ClusterUpgrade", "NodePoolUpgrade", "Bad"]),
      options: { next_version: pick(["1.32.1-aliyun.1", "2"]) },
    },
    { next_version: pick(["1.32.1-aliyun.1", "", "x"]), master_only: pick([true, "yes"]) },
  ]);
}

function expectWellFormed(answer: HttpAnswer, method: string): void {
  expect(answer.status).toBeGreaterThanOrEqual(200);
  expect(answer.status).toBeLessThan(600);
  const requestId = answer.headers["x-request-id"] ?? answer.headers["x-acs-request-id"];
  expect(requestId).toEqual(expect.any(String));
  if (method === "HEAD" || answer.text === "") return;
  expect(() => JSON.parse(answer.text)).not.toThrow();
}

const CCE_SUFFIXES = [
  "",
  "/upgradeinfo",
  "/addons/precheck",
  "/addons/precheck/tasks",
  "/operation/precheck",
  "/operation/precheck/tasks",
  "/operation/upgradeworkflows",
  "/operation/upgrade",
  "/operation/upgrade/tasks",
  "/operation/postcheck",
  "/operation/precheck/tasks/x",
  "/operation/upgradeworkflows/x",
];
const ACK_CALLS: ReadonlyArray<readonly [string, string, string]> = [
  ["POST", "/checks", "RunClusterCheck"],
  ["GET", "/checks", "ListClusterChecks"],
  ["GET", "/checks/x", "GetClusterCheck"],
  ["GET", "", "DescribeClusterDetail"],
  ["GET", "/tasks", "DescribeClusterTasks"],
  ["POST", "/api/v2/clusters/{id}/upgrade", "UpgradeCluster"],
  ["GET", "/api/v2/clusters/{id}/upgrade/status", "GetUpgradeStatus"],
];

it("answers 400 random requests with well-formed vendor answers", async () => {
  for (let i = 0; i < 400; i++) {
    const method = pick(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
    let answer: HttpAnswer;
    // Half unsigned noise, a quarter signed CCE calls, a quarter signed ACK calls.
    const kind = rand();
    if (kind < 0.5) {
      answer = await send(
        emulator.url,
        method,
        randomPath(),
        randomHeaders(),
        method === "GET" || method === "HEAD" ? "" : randomBody(),
      );
    } else if (kind < 0.75) {
      const signedMethod = chance(0.9) ? pick(["GET", "POST", "PATCH"]) : method;
      const path = `/api/v3/projects/${HW_CREDS.projectId}/clusters/${clusters.cce}${pick(CCE_SUFFIXES)}`;
      const body = randomSignedBody();
      answer = await huawei(emulator.url, signedMethod, path, {
        ...(body === undefined ? {} : { body }),
        query: chance(0.3) ? [["type", randomText(5)]] : [],
      });
    } else {
      const [callMethod, suffix, action] = pick(ACK_CALLS);
      const body = randomSignedBody();
      answer = await alibaba(
        emulator.url,
        chance(0.9) ? callMethod : method,
        suffix.startsWith("/api")
          ? suffix.replace("{id}", clusters.ack)
          : `/clusters/${clusters.ack}${suffix}`,
        {
          action: chance(0.9) ? action : "Nope",
          algorithm: chance(0.3) ? "V2" : "ACS3",
          ...(body === undefined ? {} : { body }),
        },
      );
    }
    expectWellFormed(answer, method);
  }
  expect(internalErrors).toEqual([]);
});

it("survives garbage on the raw socket", async () => {
  const port = emulator.port;
  const payloads = [
    "GARBAGE\r\n\r\n",
    "GET / HTTP/9.9\r\n\r\n",
    "GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
    `GET /${"a".repeat(20_000)} HTTP/1.1\r\n${"X-Big: b\r\n".repeat(2000)}\r\n`,
    "\x00\x01\x02\xff\r\n",
  ];
  for (const payload of payloads) {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let data = "";
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error("the server did not answer garbage within 5 s"));
      }, 5000);
      socket.on("data", (chunk) => (data += chunk.toString("latin1")));
      socket.on("close", () => {
        clearTimeout(timer);
        resolve(data);
      });
      socket.on("error", () => undefined);
      socket.end(payload);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 4\d\d /);
    if (reply.startsWith("HTTP/1.1 400 ")) expect(reply).toMatch(/\r\nX-Request-Id: [0-9a-f]{32}\r\n/);
  }
  // A client that sends headers and then disappears mid-body.
  await new Promise<void>((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        `POST /clusters/${clusters.ack}/checks HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"type":`,
      );
      setImmediate(() => {
        socket.destroy();
        resolve();
      });
    });
  });
  expect(internalErrors).toEqual([]);
});

it("still answers correctly afterwards", async () => {
  const cce = await huawei(
    emulator.url,
    "GET",
    `/api/v3/projects/${HW_CREDS.projectId}/clusters/${clusters.cce}/addons/precheck/tasks`,
  );
  expect(cce.status).toBe(200);
  expect(cce.json()["kind"]).toBe("AddonCheck");
  const ack = await alibaba(emulator.url, "GET", `/clusters/${clusters.ack}`, {
    action: "DescribeClusterDetail",
  });
  expect(ack.status).toBe(200);
  expect(ack.json()["cluster_id"]).toBe(clusters.ack);
  expect((await send(emulator.url, "GET", "/__emulator/health")).status).toBe(200);
  expect(internalErrors).toEqual([]);
});
