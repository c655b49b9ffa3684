/**
 * How the pipeline reads bodies: a request without one is answered without waiting for its stream
 * (server/http-io.ts bodyWithoutReading), a chunked or sized body is read in full before it is
 * verified and handled, and either way the keep-alive connection stays usable.
 */
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { type RunningEmulator } from "../src";
import { emulatorPerTest } from "./helpers/emulator";
import { HW_CREDS, huawei } from "./helpers/http";
import { sdkDate, signHuawei, type RawRequest } from "./helpers/signers";

const perTest = emulatorPerTest();
let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await perTest.start({ scenario: "default" });
});

const precheckPath = (): string =>
  `/api/v3/projects/${HW_CREDS.projectId}/clusters/${perTest.id("cce-ready")}/operation/precheck`;

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly reusedSocket: boolean;
}

/** Sends a signed CCE request, its body written in `chunks` with no Content-Length (chunked). */
function sendChunked(agent: Agent, raw: RawRequest, chunks: readonly string[]): Promise<Answer> {
  const url = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers: raw.headers, agent },
      (res: IncomingMessage) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text, reusedSocket: req.reusedSocket }));
        res.on("error", reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("timed out after 10 s")));
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function signedPrecheck(body: string): RawRequest {
  const raw: RawRequest = {
    method: "POST",
    path: precheckPath(),
    query: [],
    headers: {
      "content-type": "application/json",
      host: new URL(emulator.url).host,
      "x-project-id": HW_CREDS.projectId,
      "x-sdk-date": sdkDate(Date.now()),
    },
    body,
  };
  raw.headers["authorization"] = signHuawei(raw, HW_CREDS.ak, HW_CREDS.sk, [
    "content-type",
    "host",
    "x-project-id",
    "x-sdk-date",
  ]);
  return raw;
}

describe("request bodies", () => {
  it("reads a chunked body in full before verifying its signature and handling it", async () => {
    const body = JSON.stringify({ apiVersion: "v3", kind: "PreCheckTask", spec: { targetVersion: "v1.30" } });
    const half = Math.floor(body.length / 2);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await sendChunked(agent, signedPrecheck(body), [body.slice(0, half), body.slice(half)]);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ kind: "PreCheckTask" });
      const [logged] = emulator.control.requests({ operation: "CreatePreCheck", limit: 1 });
      expect(logged?.requestBytes).toBe(Buffer.byteLength(body));
    } finally {
      agent.destroy();
    }
  });

  it("a body that differs from the signed one is refused even when it arrives in pieces", async () => {
    const signed = JSON.stringify({
      apiVersion: "v3",
      kind: "PreCheckTask",
      spec: { targetVersion: "v1.30" },
    });
    const sent = signed.replace("v1.30", "v1.31");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await sendChunked(agent, signedPrecheck(signed), [sent.slice(0, 10), sent.slice(10)]);
      expect(answer.status).toBe(401);
    } finally {
      agent.destroy();
    }
  });

  it("answers bodyless requests on one keep-alive connection, one after another", async () => {
    const path = `/api/v3/projects/${HW_CREDS.projectId}/clusters/${perTest.id("cce-ready")}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers: Answer[] = [];
      for (let i = 0; i < 3; i++) {
        const raw: RawRequest = {
          method: "GET",
          path,
          query: [],
          headers: {
            "content-type": "application/json",
            host: new URL(emulator.url).host,
            "x-project-id": HW_CREDS.projectId,
            "x-sdk-date": sdkDate(Date.now()),
          },
          body: "",
        };
        raw.headers["authorization"] = signHuawei(raw, HW_CREDS.ak, HW_CREDS.sk, [
          "content-type",
          "host",
          "x-project-id",
          "x-sdk-date",
        ]);
        answers.push(await sendChunked(agent, raw, []));
      }
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      // The first request opened the connection; the others reused it.
      expect(answers.map((a) => a.reusedSocket)).toEqual([false, true, true]);
    } finally {
      agent.destroy();
    }
  });

  it("a signed GET with a declared body still has it read and counted", async () => {
    const path = `/api/v3/projects/${HW_CREDS.projectId}/clusters/${perTest.id("cce-ready")}`;
    const answer = await huawei(emulator.url, "GET", path, { body: { ignored: true } });
    expect(answer.status).toBe(200);
    const [logged] = emulator.control.requests({ operation: "ShowCluster", limit: 1 });
    expect(logged?.requestBytes).toBe(JSON.stringify({ ignored: true }).length);
  });
});
