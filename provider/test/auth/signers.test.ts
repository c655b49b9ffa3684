import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import {
  acs3CanonicalRequest,
  roaV2StringToSign,
  signAcs3Request,
  signRoaV2Request,
} from "../../src/auth/alibaba-signer";
import { rfc3986Encode } from "../../src/auth/canonical";
import { huaweiCanonicalRequest, signHuaweiRequest } from "../../src/auth/huawei-signer";
import { type HttpRequest } from "../../src/transport/types";

const VectorFile = z.strictObject({
  $comment: z.string(),
  vectors: z.array(
    z.strictObject({
      name: z.string(),
      source: z.enum(["official", "self-computed"]),
      algorithm: z.enum(["SDK-HMAC-SHA256", "ACS3-HMAC-SHA256", "HMAC-SHA1"]),
      request: z.strictObject({
        method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
        url: z.string(),
        headers: z.record(z.string(), z.string()),
        body: z.string().optional(),
      }),
      credentials: z.record(z.string(), z.string()),
      now: z.string(),
      nonce: z.string().optional(),
      expected: z.strictObject({
        authorization: z.string(),
        canonicalRequestSha256: z.string().optional(),
        headers: z.record(z.string(), z.string()).optional(),
      }),
    }),
  ),
});

const fixture = VectorFile.parse(
  JSON.parse(readFileSync(path.join(__dirname, "../fixtures/signing/signing.vectors.json"), "utf8")),
);

type Vector = (typeof fixture.vectors)[number];

function toRequest(vector: Vector): HttpRequest {
  const { body, ...rest } = vector.request;
  return body === undefined ? rest : { ...rest, body };
}

function sign(vector: Vector): HttpRequest {
  const request = toRequest(vector);
  const now = new Date(vector.now);
  const c = vector.credentials;
  switch (vector.algorithm) {
    case "SDK-HMAC-SHA256":
      return signHuaweiRequest(request, { accessKey: c["accessKey"]!, secretKey: c["secretKey"]! }, now);
    case "ACS3-HMAC-SHA256":
      return signAcs3Request(
        request,
        { accessKeyId: c["accessKeyId"]!, accessKeySecret: c["accessKeySecret"]! },
        now,
        vector.nonce!,
      );
    case "HMAC-SHA1":
      return signRoaV2Request(
        request,
        { accessKeyId: c["accessKeyId"]!, accessKeySecret: c["accessKeySecret"]! },
        now,
        vector.nonce!,
      );
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("signing known-answer vectors (docs/signing.md#test-vectors)", () => {
  it("covers every vector of docs/signing.md#test-vectors: 2 official and 4 self-computed", () => {
    expect(fixture.vectors.filter((v) => v.source === "official")).toHaveLength(2);
    expect(fixture.vectors.filter((v) => v.source === "self-computed")).toHaveLength(4);
  });

  it.each(fixture.vectors.map((v) => [`${v.source}: ${v.name}`, v] as const))("%s", (_name, vector) => {
    const signed = sign(vector);
    expect(signed.headers["authorization"]).toBe(vector.expected.authorization);
    for (const [name, value] of Object.entries(vector.expected.headers ?? {})) {
      expect(signed.headers[name]).toBe(value);
    }
    if (vector.expected.canonicalRequestSha256 !== undefined) {
      expect(sha256(huaweiCanonicalRequest(signed).canonicalRequest)).toBe(
        vector.expected.canonicalRequestSha256,
      );
    }
    // Signing does not mutate its input.
    expect(toRequest(vector)).toEqual(
      vector.request.body === undefined
        ? { method: vector.request.method, url: vector.request.url, headers: vector.request.headers }
        : vector.request,
    );
  });
});

const NOW = new Date("2025-08-05T09:10:44Z");
const HW = { accessKey: "AKEXAMPLE0000000", secretKey: "SKEXAMPLE0000000000000000000000000000000" };
const ALI = { accessKeyId: "LTAIEXAMPLE", accessKeySecret: "SECRETEXAMPLE" };
const hwGet: HttpRequest = {
  method: "GET",
  url: "https://cce.cn-north-4.myhuaweicloud.com/api/v3/projects/p/clusters/c",
  headers: { "content-type": "application/json" },
};
const aliGet: HttpRequest = {
  method: "GET",
  url: "https://cs.cn-hangzhou.aliyuncs.com/clusters/c0123",
  headers: { "x-acs-action": "DescribeClusterDetail", "x-acs-version": "2015-12-15" },
};

describe("Huawei SDK-HMAC-SHA256 details", () => {
  it("lower-cases header names and trims values in the canonical headers", () => {
    const signed = signHuaweiRequest(
      { ...hwGet, headers: { "Content-Type": "  application/json  ", "X-Project-Id": "p" } },
      HW,
      NOW,
    );
    const { canonicalRequest, signedHeaders } = huaweiCanonicalRequest(signed);
    expect(signedHeaders).toBe("content-type;host;x-project-id;x-sdk-date");
    expect(canonicalRequest).toContain(
      "\ncontent-type:application/json\nhost:cce.cn-north-4.myhuaweicloud.com\n",
    );
    // Same request with clean values signs identically.
    const clean = signHuaweiRequest(
      { ...hwGet, headers: { "content-type": "application/json", "x-project-id": "p" } },
      HW,
      NOW,
    );
    expect(signed.headers["authorization"]).toBe(clean.headers["authorization"]);
  });

  it("adds a trailing slash to the canonical URI and escapes path segments", () => {
    const { canonicalRequest } = huaweiCanonicalRequest(
      signHuaweiRequest({ ...hwGet, url: "https://h.example.com/a%20b/c~d/e*f" }, HW, NOW),
    );
    expect(canonicalRequest.split("\n")[1]).toBe("/a%20b/c~d/e%2Af/");
  });

  it("sorts and escapes the query, keys and values alike", () => {
    const { canonicalRequest } = huaweiCanonicalRequest(
      signHuaweiRequest(
        { ...hwGet, url: "https://h.example.com/p?z=1&a=x y&a=b&m=%E4%B8%AD&q=a*b" },
        HW,
        NOW,
      ),
    );
    expect(canonicalRequest.split("\n")[2]).toBe("a=b&a=x%20y&m=%E4%B8%AD&q=a%2Ab&z=1");
    expect(rfc3986Encode("-_.~ !'()*")).toBe("-_.~%20%21%27%28%29%2A");
  });

  it("changes the signature when the body changes", () => {
    const a = signHuaweiRequest({ ...hwGet, method: "POST", body: '{"a":1}' }, HW, NOW);
    const b = signHuaweiRequest({ ...hwGet, method: "POST", body: '{"a":2}' }, HW, NOW);
    expect(a.headers["authorization"]).not.toBe(b.headers["authorization"]);
    expect(huaweiCanonicalRequest(a).canonicalRequest.endsWith(sha256('{"a":1}'))).toBe(true);
  });

  it("sends and signs the security token of temporary credentials", () => {
    const signed = signHuaweiRequest(hwGet, { ...HW, securityToken: "sts-token-value" }, NOW);
    expect(signed.headers["x-security-token"]).toBe("sts-token-value");
    expect(signed.headers["authorization"]).toContain(
      "SignedHeaders=content-type;host;x-sdk-date;x-security-token,",
    );
    const other = signHuaweiRequest(hwGet, { ...HW, securityToken: "another-token" }, NOW);
    expect(other.headers["authorization"]).not.toBe(signed.headers["authorization"]);
  });

  it("replaces an earlier signature instead of signing it", () => {
    const once = signHuaweiRequest(hwGet, HW, NOW);
    const twice = signHuaweiRequest(once, HW, NOW);
    expect(twice.headers["authorization"]).toBe(once.headers["authorization"]);
  });

  it("signs a different date differently", () => {
    const later = signHuaweiRequest(hwGet, HW, new Date(NOW.getTime() + 1000));
    expect(later.headers["x-sdk-date"]).toBe("20250805T091045Z");
    expect(later.headers["authorization"]).not.toBe(
      signHuaweiRequest(hwGet, HW, NOW).headers["authorization"],
    );
  });

  it("honours x-sdk-content-sha256 as the payload hash", () => {
    const signed = signHuaweiRequest(
      { ...hwGet, method: "POST", body: "binary", headers: { "x-sdk-content-sha256": "UNSIGNED-PAYLOAD" } },
      HW,
      NOW,
    );
    expect(huaweiCanonicalRequest(signed).canonicalRequest.endsWith("\nUNSIGNED-PAYLOAD")).toBe(true);
  });
});

describe("Alibaba ACS3-HMAC-SHA256 details", () => {
  it("signs only host, content-type and x-acs-* headers, lower-cased and trimmed", () => {
    const signed = signAcs3Request(
      {
        ...aliGet,
        headers: {
          "X-Acs-Action": " DescribeClusterDetail ",
          "x-acs-version": "2015-12-15",
          "User-Agent": "x",
        },
      },
      ALI,
      NOW,
      "n1",
    );
    const { canonicalRequest, signedHeaders } = acs3CanonicalRequest(signed);
    expect(signedHeaders).toBe(
      "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
    );
    expect(canonicalRequest).toContain("\nx-acs-action:DescribeClusterDetail\n");
    expect(signed.headers["authorization"]).toBe(
      signAcs3Request(aliGet, ALI, NOW, "n1").headers["authorization"],
    );
  });

  it("encodes query keys and values with RFC 3986 and sorts them", () => {
    const { canonicalRequest } = acs3CanonicalRequest(
      signAcs3Request({ ...aliGet, url: `${aliGet.url}?type=a b&target=np*1&next=~x` }, ALI, NOW, "n"),
    );
    expect(canonicalRequest.split("\n")[2]).toBe("next=~x&target=np%2A1&type=a%20b");
    expect(rfc3986Encode("a+b/c")).toBe("a%2Bb%2Fc");
  });

  it("uses a fresh nonce in the signature", () => {
    const a = signAcs3Request(aliGet, ALI, NOW, "nonce-a");
    const b = signAcs3Request(aliGet, ALI, NOW, "nonce-b");
    expect(a.headers["x-acs-signature-nonce"]).toBe("nonce-a");
    expect(a.headers["authorization"]).not.toBe(b.headers["authorization"]);
  });

  it("hashes the body into x-acs-content-sha256 and the signature", () => {
    const a = signAcs3Request({ ...aliGet, method: "POST", body: '{"a":1}' }, ALI, NOW, "n");
    const b = signAcs3Request({ ...aliGet, method: "POST", body: '{"a":2}' }, ALI, NOW, "n");
    expect(a.headers["x-acs-content-sha256"]).toBe(sha256('{"a":1}'));
    expect(a.headers["authorization"]).not.toBe(b.headers["authorization"]);
  });

  it("sends and signs the STS security token", () => {
    const signed = signAcs3Request(aliGet, { ...ALI, securityToken: "sts-token" }, NOW, "n");
    expect(signed.headers["x-acs-security-token"]).toBe("sts-token");
    expect(signed.headers["authorization"]).toContain(";x-acs-security-token;");
    const other = signAcs3Request(aliGet, { ...ALI, securityToken: "sts-other" }, NOW, "n");
    expect(other.headers["authorization"]).not.toBe(signed.headers["authorization"]);
  });

  it("has no space after the commas of the Authorization value", () => {
    expect(signAcs3Request(aliGet, ALI, NOW, "n").headers["authorization"]).toMatch(
      /^ACS3-HMAC-SHA256 Credential=LTAIEXAMPLE,SignedHeaders=[a-z0-9;-]+,Signature=[0-9a-f]{64}$/,
    );
  });
});

describe("Alibaba ROA V2 details", () => {
  it("builds the string to sign with empty lines for missing values", () => {
    const signed = signRoaV2Request(aliGet, ALI, NOW, "n1");
    expect(roaV2StringToSign(signed)).toBe(
      [
        "GET",
        "application/json",
        "",
        "",
        "Tue, 05 Aug 2025 09:10:44 GMT",
        "x-acs-action:DescribeClusterDetail",
        "x-acs-signature-method:HMAC-SHA1",
        "x-acs-signature-nonce:n1",
        "x-acs-signature-version:1.0",
        "x-acs-version:2015-12-15",
        "/clusters/c0123",
      ].join("\n"),
    );
  });

  it("appends sorted, unencoded query pairs to the resource", () => {
    const signed = signRoaV2Request({ ...aliGet, url: `${aliGet.url}?type=a%20b&target=np1` }, ALI, NOW, "n");
    expect(roaV2StringToSign(signed).endsWith("\n/clusters/c0123?target=np1&type=a b")).toBe(true);
  });

  it("normalizes control whitespace in x-acs header values", () => {
    const messy = signRoaV2Request(
      { ...aliGet, headers: { ...aliGet.headers, "x-acs-version": "\t2015-12-15\n" } },
      ALI,
      NOW,
      "n",
    );
    expect(messy.headers["authorization"]).toBe(
      signRoaV2Request(aliGet, ALI, NOW, "n").headers["authorization"],
    );
  });

  it("signs the STS token and the content type", () => {
    const plain = signRoaV2Request({ ...aliGet, method: "POST", body: "{}" }, ALI, NOW, "n");
    const sts = signRoaV2Request(
      { ...aliGet, method: "POST", body: "{}" },
      { ...ALI, securityToken: "tok" },
      NOW,
      "n",
    );
    expect(sts.headers["x-acs-security-token"]).toBe("tok");
    expect(sts.headers["authorization"]).not.toBe(plain.headers["authorization"]);
    const typed = signRoaV2Request(
      {
        ...aliGet,
        method: "POST",
        body: "{}",
        headers: { ...aliGet.headers, "content-type": "application/json" },
      },
      ALI,
      NOW,
      "n",
    );
    expect(typed.headers["authorization"]).not.toBe(plain.headers["authorization"]);
  });
});
