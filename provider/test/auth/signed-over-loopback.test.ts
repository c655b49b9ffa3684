// Signs real requests and sends them through the real transport to a loopback server, which
// verifies the signature from the headers it actually received: proves nothing the transport
// adds or changes (user agent, host, header case) breaks a signature.
import { createHmac } from "node:crypto";
import * as http from "node:http";
import { type AddressInfo } from "node:net";
import { acs3CanonicalRequest, acs3StringToSign } from "../../src/auth/alibaba-signer";
import { huaweiCanonicalRequest, huaweiStringToSign } from "../../src/auth/huawei-signer";
import { createAckRequestAuth, createCceRequestAuth } from "../../src/auth/request-auth";
import { createTransport } from "../../src/transport/transport";
import { type HttpRequest } from "../../src/transport/types";
import { FakeClock } from "../transport/fake-clock";

const ALI_SECRET = "loopback-ali-secret";
const HW_SECRET = "loopback-hw-secret";

/** Rebuilds the request the server saw, keeping only the headers the client claims to have signed. */
function received(req: http.IncomingMessage, body: string, signed: string[], port: number): HttpRequest {
  const headers: Record<string, string> = {};
  for (const name of signed) headers[name] = String(req.headers[name] ?? "");
  return {
    method: req.method as HttpRequest["method"],
    url: `http://127.0.0.1:${port}${req.url ?? "/"}`,
    headers,
    ...(body === "" ? {} : { body }),
  };
}

function verify(req: http.IncomingMessage, body: string, port: number): boolean {
  const authorization = String(req.headers["authorization"] ?? "");
  const acs3 = /^ACS3-HMAC-SHA256 Credential=[^,]+,SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(
    authorization,
  );
  if (acs3) {
    const request = received(req, body, acs3[1]!.split(";"), port);
    const expected = createHmac("sha256", ALI_SECRET)
      .update(acs3StringToSign(acs3CanonicalRequest(request).canonicalRequest))
      .digest("hex");
    return expected === acs3[2];
  }
  const hw = /^SDK-HMAC-SHA256 Access=[^,]+, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
    authorization,
  );
  if (hw) {
    const request = received(req, body, hw[1]!.split(";"), port);
    const stringToSign = huaweiStringToSign(
      huaweiCanonicalRequest(request).canonicalRequest,
      String(req.headers["x-sdk-date"]),
    );
    return createHmac("sha256", HW_SECRET).update(stringToSign).digest("hex") === hw[2];
  }
  return false;
}

describe("signatures survive the real wire", () => {
  let server: http.Server;
  let port: number;
  const verdicts: boolean[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        const ok = verify(req, body, port);
        verdicts.push(ok);
        res.statusCode = ok ? 200 : 403;
        res.end(ok ? "{}" : '{"Code":"SignatureDoesNotMatch"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("ACS3: POST with a JSON body and a query", async () => {
    const transport = createTransport({ clock: new FakeClock() });
    const auth = createAckRequestAuth({
      region: "cn-hangzhou",
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "LTAI", accessKeySecret: ALI_SECRET },
      signatureAlgorithm: "ACS3-HMAC-SHA256",
    });
    const response = await transport.send(
      {
        method: "POST",
        url: `http://127.0.0.1:${port}/clusters/c1/checks?type=ClusterUpgrade&x=a%20b`,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "x-acs-action": "RunClusterCheck",
          "x-acs-version": "2015-12-15",
        },
        body: '{"type":"ClusterUpgrade","options":{"next_version":"1.32.1-aliyun.1"}}',
      },
      { cloud: "ack", operation: "RunClusterCheck", retryMode: "create", sign: auth },
    );
    await transport.close();
    expect(response.status).toBe(200);
    expect(verdicts.at(-1)).toBe(true);
  });

  it("Huawei AK/SK: GET with a query", async () => {
    const transport = createTransport({ clock: new FakeClock() });
    const auth = createCceRequestAuth(
      {
        region: "cn-north-4",
        projectId: "p1",
        endpoint: `http://127.0.0.1:${port}`,
        iamEndpoint: `http://127.0.0.1:${port}`,
        credentials: { kind: "aksk", accessKey: "AK", secretKey: HW_SECRET },
      },
      { transport },
    );
    const response = await transport.send(
      {
        method: "GET",
        url: `http://127.0.0.1:${port}/api/v3/projects/p1/clusters/c1/addons/precheck/tasks?type=addonUpgrade`,
        headers: { "content-type": "application/json" },
      },
      { cloud: "cce", operation: "ListAddonPrecheckTasks", retryMode: "idempotent", sign: auth },
    );
    await transport.close();
    expect(response.status).toBe(200);
    expect(verdicts.at(-1)).toBe(true);
  });

  it("the verifier rejects a tampered signature", async () => {
    const transport = createTransport({ clock: new FakeClock() });
    const response = await transport.send(
      {
        method: "GET",
        url: `http://127.0.0.1:${port}/x`,
        headers: { authorization: "ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders=host,Signature=00" },
      },
      { cloud: "ack", operation: "Tampered", retryMode: "idempotent" },
    );
    await transport.close();
    expect(response.status).toBe(403);
  });
});
