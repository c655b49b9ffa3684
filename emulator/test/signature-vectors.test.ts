/**
 * The emulator's signature verifiers (and the tests' reference signers) against the known-answer
 * vectors of docs/signing.md#test-vectors: two official vendor vectors and our self-computed ones.
 */
import { type SignedRequestView } from "../src/auth/canonical";
import {
  huaweiCanonicalHeaders,
  huaweiCanonicalRequest,
  huaweiCanonicalUris,
  huaweiSignature,
  verifyHuaweiSignature,
} from "../src/auth/huawei-signature";
import {
  acs3CanonicalHeaders,
  acs3CanonicalRequest,
  acs3Signature,
  roaSignature,
  roaStringToSign,
  verifyAcs3Signature,
  verifyRoaSignature,
} from "../src/auth/alibaba-signature";
import { VendorError } from "../src/server/vendor-errors";
import { sha256, signAcs3, signHuawei, signRoa, type RawRequest } from "./helpers/signers";

function view(
  method: string,
  path: string,
  query: string,
  headers: Record<string, string>,
  body = "",
): SignedRequestView {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    rawPath: path,
    rawQuery: query,
    headers: lower,
    rawHeaders: Object.entries(headers).flat(),
    body: Buffer.from(body),
  };
}

function errorOf(fn: () => unknown): VendorError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VendorError) return error;
    throw error;
  }
  throw new Error("expected a VendorError");
}

describe("Huawei SDK-HMAC-SHA256", () => {
  const official = {
    headers: {
      "content-type": "application/json",
      host: "service.region.example.com",
      "x-sdk-date": "20191115T033655Z",
    },
    path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
    query: "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
    ak: "QTWAOYTTINDUT2QVKYUC",
    sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    at: Date.UTC(2019, 10, 15, 3, 36, 55),
  };
  const officialView = view("GET", official.path, official.query, official.headers);
  const signed = ["content-type", "host", "x-sdk-date"];
  const authorization = `SDK-HMAC-SHA256 Access=${official.ak}, SignedHeaders=${signed.join(";")}, Signature=${official.signature}`;

  it("reproduces the official API Signing Guide vector", () => {
    const [uri] = huaweiCanonicalUris(official.path);
    expect(uri).toBe("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/");
    const canonical = huaweiCanonicalRequest(officialView, uri!, signed);
    expect(sha256(canonical)).toBe("b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    expect(huaweiSignature(official.sk, "20191115T033655Z", canonical)).toBe(official.signature);
  });

  it("accepts the vector at its own time and names the signer", () => {
    expect(verifyHuaweiSignature(officialView, authorization, () => official.sk, official.at)).toBe(
      official.ak,
    );
  });

  it("rejects it once X-Sdk-Date is more than 15 minutes old, and with a wrong secret", () => {
    const late = errorOf(() =>
      verifyHuaweiSignature(officialView, authorization, () => official.sk, official.at + 15 * 60_000 + 1000),
    );
    expect([late.status, late.code]).toEqual([401, "APIGW.0301"]);
    expect(late.message).toMatch(/expired/);
    const wrong = errorOf(() =>
      verifyHuaweiSignature(officialView, authorization, () => "other", official.at),
    );
    expect(wrong.message).toMatch(/verify aksk signature fail/);
    const unknown = errorOf(() =>
      verifyHuaweiSignature(officialView, authorization, () => undefined, official.at),
    );
    expect(unknown.message).toMatch(/not exist/);
  });

  it("reproduces our Node-SDK header-set vector", () => {
    const headers = {
      "content-type": "application/json",
      host: "cce.cn-north-4.myhuaweicloud.com",
      "x-project-id": "0123456789abcdef0123456789abcdef",
      "x-sdk-date": "20250805T091044Z",
    };
    const path =
      "/api/v3/projects/0123456789abcdef0123456789abcdef/clusters/11111111-2222-3333-4444-555555555555/addons/precheck/tasks";
    const v = view("GET", path, "type=addonUpgrade", headers);
    const names = ["content-type", "host", "x-project-id", "x-sdk-date"];
    const canonical = huaweiCanonicalRequest(v, huaweiCanonicalUris(path)[0]!, names);
    expect(sha256(canonical)).toBe("dfd98dd43bf35135d9aa97e7252c778ff72ca5d678d3592ab723eb62cb656f5d");
    const expected = "bf1d648325bfac92d468408124368b9e3e8e4feb95eb6598bf1ee591785b2f5d";
    expect(huaweiSignature("SKEXAMPLE0000000000000000000000000000000", "20250805T091044Z", canonical)).toBe(
      expected,
    );
    // The tests' reference signer agrees, so requests it builds are trustworthy.
    const raw: RawRequest = { method: "GET", path, query: [["type", "addonUpgrade"]], headers, body: "" };
    expect(signHuawei(raw, "AKEXAMPLE0000000", "SKEXAMPLE0000000000000000000000000000000", names)).toBe(
      `SDK-HMAC-SHA256 Access=AKEXAMPLE0000000, SignedHeaders=${names.join(";")}, Signature=${expected}`,
    );
  });

  it("verifies over the headers the client listed (Go SDK set without host or content-type)", () => {
    const headers = {
      "user-agent": "huaweicloud-usdk-go/3.0",
      "x-project-id": "p1",
      "x-sdk-date": "20250805T091044Z",
    };
    const raw: RawRequest = {
      method: "GET",
      path: "/api/v3/projects/p1/clusters",
      query: [],
      headers,
      body: "",
    };
    const auth = signHuawei(raw, "AK", "SK", ["user-agent", "x-project-id", "x-sdk-date"]);
    const v = view("GET", raw.path, "", { ...headers, host: "anything:1234", "content-type": "text/plain" });
    expect(verifyHuaweiSignature(v, auth, () => "SK", Date.UTC(2025, 7, 5, 9, 10, 44))).toBe("AK");
  });

  it("refuses a signature that does not sign X-Sdk-Date", () => {
    const headers = { host: "h", "x-sdk-date": "20250805T091044Z" };
    const raw: RawRequest = { method: "GET", path: "/x", query: [], headers, body: "" };
    const auth = signHuawei(raw, "AK", "SK", ["host"]);
    const error = errorOf(() =>
      verifyHuaweiSignature(
        view("GET", "/x", "", headers),
        auth,
        () => "SK",
        Date.UTC(2025, 7, 5, 9, 10, 44),
      ),
    );
    expect(error.message).toMatch(/X-Sdk-Date/);
  });
});

describe("Alibaba ACS3-HMAC-SHA256", () => {
  it("reproduces the official ROA signature vector", () => {
    const headers = {
      host: "ecs.cn-shanghai.aliyuncs.com",
      "x-acs-action": "RunInstances",
      "x-acs-version": "2014-05-26",
      "x-acs-date": "2023-10-26T09:01:01Z",
      "x-acs-signature-nonce": "d410180a5abf7fe235dd9b74aca91fc0",
      "x-acs-content-sha256": sha256(""),
    };
    const v = view(
      "POST",
      "/",
      "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
      headers,
    );
    const names = Object.keys(headers).sort();
    expect(acs3Signature("YourAccessKeySecret", acs3CanonicalRequest(v, names))).toBe(
      "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804",
    );
  });

  const base = {
    host: "cs.cn-hangzhou.aliyuncs.com",
    "x-acs-version": "2015-12-15",
    "x-acs-date": "2025-08-05T09:10:44Z",
    "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
  };
  const at = Date.UTC(2025, 7, 5, 9, 10, 44);
  /** Our GET vector: GetClusterCheck, no body. */
  const getVector = () => {
    const headers = { ...base, "x-acs-action": "GetClusterCheck", "x-acs-content-sha256": sha256("") };
    const raw: RawRequest = {
      method: "GET",
      path: "/clusters/c0123/checks/chk-1",
      query: [],
      headers,
      body: "",
    };
    return { headers, raw };
  };

  it("reproduces our GET vector and accepts it", () => {
    const { headers, raw } = getVector();
    const expected =
      "ACS3-HMAC-SHA256 Credential=LTAIEXAMPLE,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=c36b5ffbd7b6c28297b7fc37fc4ddd86513acacfe81104fc8a26093560e367c0";
    expect(signAcs3(raw, "LTAIEXAMPLE", "SECRETEXAMPLE")).toBe(expected);
    const verified = verifyAcs3Signature(
      view("GET", raw.path, "", headers),
      expected,
      () => "SECRETEXAMPLE",
      at,
    );
    expect(verified).toEqual({
      accessKeyId: "LTAIEXAMPLE",
      algorithm: "ACS3-HMAC-SHA256",
      nonce: base["x-acs-signature-nonce"],
    });
  });

  it("reproduces our POST vector (body hashed and content-type signed)", () => {
    const body = '{"type":"ClusterUpgrade","options":{"next_version":"1.32.1-aliyun.1"}}';
    const headers = {
      ...base,
      "x-acs-action": "RunClusterCheck",
      "content-type": "application/json; charset=utf-8",
      "x-acs-content-sha256": "57e708765c0e38ee592b6c56ee1ba6ef05aa714c550ec8938713a86ab68e15ce",
    };
    expect(sha256(body)).toBe(headers["x-acs-content-sha256"]);
    const raw: RawRequest = { method: "POST", path: "/clusters/c0123/checks", query: [], headers, body };
    const auth = signAcs3(raw, "LTAIEXAMPLE", "SECRETEXAMPLE");
    expect(auth).toMatch(/Signature=23db126407cca2f0f51c69b4d8d6cbd6da43f424f98948bff54ce0af6a4e9821$/);
    expect(
      verifyAcs3Signature(view("POST", raw.path, "", headers, body), auth, () => "SECRETEXAMPLE", at)
        .accessKeyId,
    ).toBe("LTAIEXAMPLE");
    // The same signature over a changed body no longer matches.
    const tampered = errorOf(() =>
      verifyAcs3Signature(
        view("POST", raw.path, "", headers, body.replace("1.32", "1.33")),
        auth,
        () => "SECRETEXAMPLE",
        at,
      ),
    );
    expect(tampered.code).toBe("SignatureDoesNotMatch");
  });

  it("answers with the vendor codes for stale, malformed-date, unknown-key and incomplete requests", () => {
    const { headers, raw } = getVector();
    const auth = signAcs3(raw, "LTAIEXAMPLE", "SECRETEXAMPLE");
    const v = view("GET", raw.path, "", headers);
    expect(errorOf(() => verifyAcs3Signature(v, auth, () => "SECRETEXAMPLE", at + 16 * 60_000)).code).toBe(
      "InvalidTimeStamp.Expired",
    );
    expect(errorOf(() => verifyAcs3Signature(v, auth, () => undefined, at)).code).toBe(
      "InvalidAccessKeyId.NotFound",
    );
    const badDate = view("GET", raw.path, "", { ...headers, "x-acs-date": "05/08/2025" });
    expect(errorOf(() => verifyAcs3Signature(badDate, auth, () => "SECRETEXAMPLE", at)).code).toBe(
      "InvalidTimeStamp.Format",
    );
    const partial = auth.replace("x-acs-signature-nonce;", "");
    expect(errorOf(() => verifyAcs3Signature(v, partial, () => "SECRETEXAMPLE", at)).code).toBe(
      "IncompleteSignature",
    );
  });
});

describe("Alibaba ROA V2 (HMAC-SHA1)", () => {
  const headers = {
    date: "Tue, 05 Aug 2025 09:10:44 GMT",
    accept: "application/json",
    host: "cs.cn-hangzhou.aliyuncs.com",
    "x-acs-action": "GetClusterCheck",
    "x-acs-signature-method": "HMAC-SHA1",
    "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
    "x-acs-signature-version": "1.0",
    "x-acs-version": "2015-12-15",
  };
  const path = "/clusters/c0123/checks/chk-1";

  it("reproduces our vector", () => {
    const v = view("GET", path, "", headers);
    expect(roaSignature("SECRETEXAMPLE", roaStringToSign(v))).toBe("VycsQfyiRVNucHmYvIkz8ywYgO4=");
    const raw: RawRequest = { method: "GET", path, query: [], headers, body: "" };
    expect(signRoa(raw, "LTAIEXAMPLE", "SECRETEXAMPLE")).toBe("acs LTAIEXAMPLE:VycsQfyiRVNucHmYvIkz8ywYgO4=");
    expect(
      verifyRoaSignature(
        v,
        "acs LTAIEXAMPLE:VycsQfyiRVNucHmYvIkz8ywYgO4=",
        () => "SECRETEXAMPLE",
        Date.UTC(2025, 7, 5, 9, 10, 44),
      ),
    ).toEqual({
      accessKeyId: "LTAIEXAMPLE",
      algorithm: "HMAC-SHA1",
      nonce: headers["x-acs-signature-nonce"],
    });
  });

  it("rejects a changed x-acs header and an old Date", () => {
    const auth = "acs LTAIEXAMPLE:VycsQfyiRVNucHmYvIkz8ywYgO4=";
    const at = Date.UTC(2025, 7, 5, 9, 10, 44);
    const changed = view("GET", path, "", { ...headers, "x-acs-action": "DescribeTaskInfo" });
    expect(errorOf(() => verifyRoaSignature(changed, auth, () => "SECRETEXAMPLE", at)).code).toBe(
      "SignatureDoesNotMatch",
    );
    expect(
      errorOf(() =>
        verifyRoaSignature(view("GET", path, "", headers), auth, () => "SECRETEXAMPLE", at + 3_600_000),
      ).code,
    ).toBe("InvalidTimeStamp.Expired");
  });
});

describe("a signed header sent more than once", () => {
  // As Node receives them: names in the case the client sent, values untrimmed, arrival order.
  const repeated: SignedRequestView = {
    ...view("GET", "/", "", { "x-acs-meta": "b" }),
    rawHeaders: ["X-Acs-Meta", " b ", "Host", "h", "x-acs-meta", "a", "X-ACS-META-OTHER", "c"],
  };

  it("ACS3 joins every value, trimmed and sorted, under the lower-case name", () => {
    expect(acs3CanonicalHeaders(repeated, ["x-acs-meta", "host"])).toBe("x-acs-meta:a,b\nhost:h\n");
  });

  it("Huawei joins every value, trimmed, in arrival order", () => {
    expect(huaweiCanonicalHeaders(repeated, ["x-acs-meta"])).toBe("x-acs-meta:b,a\n");
  });

  it("a header that was not sent contributes an empty value", () => {
    expect(acs3CanonicalHeaders(repeated, ["x-acs-absent"])).toBe("x-acs-absent:\n");
  });
});
