import { ackClusterCheckSchema } from "../../src/clients/ack/schemas";
import {
  ackCheckFindings,
  ackCheckRef,
  ackCheckState,
  classifyAckItem,
  classifyAckWord,
  mapAckCheckItem,
} from "../../src/readiness/from-ack";
import { evaluate } from "../../src/readiness/evaluate";
import { UNKNOWN_CREATION_TIME } from "../../src/readiness/model";
import { precheck, snapshot } from "./fixtures";

describe("ACK check status -> check state", () => {
  it.each([
    ["Succeeded", "passed"],
    ["succeeded", "passed"],
    ["Failed", "failed"],
    ["Running", "pending"],
    ["Init", "pending"],
    ["Canceled", "pending"],
    ["", "pending"],
  ])("%s -> %s", (status, state) => {
    expect(ackCheckState(status)).toBe(state);
  });
});

describe("ACK word classes", () => {
  const classOf =
    (cls: string) =>
    (word: string): [unknown, string | undefined] => [word, cls];
  const cases: Array<[unknown, string | undefined]> = [
    ...["pass", "Passed", "NORMAL", "success", "Succeeded", "successful", "ok", "healthy", " normal "].map(
      classOf("pass"),
    ),
    ...["fail", "Failed", "failure", "error", "Fatal", "critical", "abnormal", "exception", "unhealthy"].map(
      classOf("fail"),
    ),
    ...["warning", "Warn", "risk", "risky", "attention"].map(classOf("warning")),
    ...["info", "Information", "tip", "hint", "notice"].map(classOf("info")),
    ...["running", "Init", "initial", "pending", "checking", "waiting"].map(classOf("pending")),
    [true, "pass"],
    [false, "fail"],
    ["skipped", undefined],
    [1, undefined],
    [null, undefined],
    [{ status: "failed" }, undefined],
  ];
  it.each(cases)("%p -> %s", (value, expected) => {
    expect(classifyAckWord(value)).toBe(expected);
  });
});

describe("ACK item classification (the mapping table)", () => {
  it.each([
    // outcome x level -> state, severity, waivable
    ["pass, no level", { status: "normal" }, "passed", "info", true],
    ["pass wins over a level", { status: "pass", level: "error" }, "passed", "fatal", false],
    ["pass with a warning level", { result: "success", level: "warning" }, "passed", "warning", true],
    ["pending, no level", { status: "running" }, "pending", "unknown", true],
    ["pending with a level", { state: "checking", severity: "warning" }, "pending", "warning", true],
    ["fail, no level -> fatal", { status: "failed" }, "present", "fatal", true],
    ["error -> fatal", { status: "error" }, "present", "fatal", true],
    ["fail at warning level -> warning", { status: "failed", level: "warning" }, "present", "warning", true],
    ["fail at info level -> info", { status: "failed", level: "info" }, "present", "info", true],
    [
      "fail at error level -> fatal, not waivable",
      { status: "failed", level: "error" },
      "present",
      "fatal",
      false,
    ],
    ["warning outcome", { status: "warning" }, "present", "warning", true],
    ["info outcome", { result: "info" }, "present", "info", true],
    ["no outcome, fail level", { level: "critical" }, "present", "fatal", false],
    ["no outcome, warning level", { level: "warn" }, "present", "warning", true],
    ["no outcome, info level", { risk_level: "info" }, "present", "info", true],
    ["no outcome, pass level", { level: "normal" }, "passed", "info", true],
    [
      "unknown outcome word, warning level -> unknown",
      { status: "skipped", level: "warning" },
      "present",
      "unknown",
      true,
    ],
    [
      "unknown level word beside a pass outcome",
      { status: "pass", level: "moderate" },
      "present",
      "unknown",
      true,
    ],
    [
      "level object: a pass word and an unknown word",
      { Level: { normal: { Message: "" }, serious: { Message: "apiserver SLB missing" } } },
      "present",
      "unknown",
      true,
    ],
    ["level object: only an unknown word", { Level: { serious: {} } }, "present", "unknown", true],
    [
      "every outcome key is read: an unknown status, a failed result",
      { status: "Completed", result: "failed", level: "normal" },
      "present",
      "fatal",
      true,
    ],
    [
      "a failed second outcome key wins over a pass",
      { status: "success", result: "failed" },
      "present",
      "fatal",
      true,
    ],
    ["nothing readable -> unknown", { test: "test", test2: 1 }, "present", "unknown", true],
    ["unknown outcome word, no level -> unknown", { status: "degraded" }, "present", "unknown", true],
    ["boolean passed true", { passed: true }, "passed", "info", true],
    ["boolean passed false", { passed: false }, "present", "fatal", true],
    ["camelCase checkResult", { checkResult: "FAILED" }, "present", "fatal", true],
    ["capitalised keys", { Status: "Normal", Level: "Warning" }, "passed", "warning", true],
    ["riskLevel key", { riskLevel: "error" }, "present", "fatal", false],
    ["null outcome is skipped for the next key", { status: null, result: "pass" }, "passed", "info", true],
  ])("%s", (_name, item, state, severity, waivable) => {
    expect(classifyAckItem(item)).toMatchObject({ state, severity, waivable });
  });

  it("keeps the level verbatim as vendorLevel", () => {
    expect(classifyAckItem({ status: "failed", level: "Warning" }).vendorLevel).toBe("Warning");
    expect(classifyAckItem({ status: "failed" }).vendorLevel).toBeUndefined();
  });
});

describe("ACK item -> finding", () => {
  it("names, describes and keeps the raw item", () => {
    const item = {
      name: "APIServer SLB",
      status: "failed",
      message: "SLB listener missing",
      extra: { a: 1 },
    };
    expect(mapAckCheckItem(item, "Cluster Resources", 0, "chk-1")).toEqual({
      source: "ack-cluster-check",
      checkId: "chk-1",
      checkName: "APIServer SLB",
      group: "Cluster Resources",
      severity: "fatal",
      waivable: true,
      state: "present",
      message: "SLB listener missing",
      affected: {},
      raw: item,
    });
  });

  it.each([
    ["name", { name: "VPC" }, "VPC"],
    ["item_name", { item_name: "vSwitch" }, "vSwitch"],
    ["checkItem (camelCase)", { checkItem: "Kubelet" }, "Kubelet"],
    ["title", { title: "Quota" }, "Quota"],
    ["nothing: category and position", { status: "normal" }, "Cluster Components #3"],
    ["empty name: category and position", { name: "  " }, "Cluster Components #3"],
  ])("name from %s", (_name, item, expected) => {
    expect(mapAckCheckItem(item, "Cluster Components", 2, "chk-1").checkName).toBe(expected);
  });

  it.each([
    ["msg", { msg: "m1" }, "m1"],
    ["description", { description: "m2" }, "m2"],
    ["message wins over detail", { detail: "d", message: "m" }, "m"],
    ["none", { status: "failed" }, undefined],
  ])("message from %s", (_name, item, expected) => {
    expect(mapAckCheckItem(item, "c", 0, "chk-1").message).toBe(expected);
  });

  it.each([
    [
      "an array of strings under apis",
      {
        name: "Deprecated API",
        status: "warning",
        apis: ["extensions/v1beta1/Ingress", "policy/v1beta1/PodSecurityPolicy"],
      },
      "Cluster Configuration",
      ["extensions/v1beta1/Ingress", "policy/v1beta1/PodSecurityPolicy"],
    ],
    [
      "objects under deprecated_apis",
      {
        name: "Deprecated API",
        status: "failed",
        deprecated_apis: [{ url: "/apis/batch/v1beta1/cronjobs" }, { name: "x/v1/Y" }, { other: 1 }],
      },
      "Cluster Configuration",
      ["/apis/batch/v1beta1/cronjobs", "x/v1/Y"],
    ],
    [
      "a single string under resource",
      { name: "deprecated api usage", resource: "/apis/x/v1beta1/y" },
      "c",
      ["/apis/x/v1beta1/y"],
    ],
    [
      "category says deprecated",
      { name: "Ingress", api: "extensions/v1beta1" },
      "Deprecated APIs",
      ["extensions/v1beta1"],
    ],
    ["deprecated item without any list", { name: "Deprecated API", status: "failed" }, "c", undefined],
    ["not a deprecated-API item: not collected", { name: "Kubelet", apis: ["a"] }, "c", undefined],
  ])("deprecated APIs from %s", (_name, item, category, expected) => {
    expect(mapAckCheckItem(item, category, 0, "chk-1").affected.deprecatedApis).toEqual(expected);
  });

  it("collects nodes from node keys", () => {
    const finding = mapAckCheckItem(
      { name: "Kubelet", status: "failed", nodes: ["n1", { name: "n2" }], instance_id: "i-3" },
      "Cluster Components",
      0,
      "chk-1",
    );
    expect(finding.affected.nodes).toEqual(["n1", "n2", "i-3"]);
  });

  it.each([
    ["a string", "just text"],
    ["null", null],
    ["an array", [1, 2]],
  ])("an item that is %s is an unknown finding that keeps the raw value", (_name, item) => {
    const finding = mapAckCheckItem(item, "Odd", 1, "chk-1");
    expect(finding).toMatchObject({ checkName: "Odd #2", severity: "unknown", state: "present" });
    expect(finding.raw).toEqual(item);
  });

  it("a null item still blocks: its unknown finding fails the evaluation", () => {
    const finding = mapAckCheckItem(null, "Odd", 0, "chk-1");
    expect(finding).toMatchObject({ severity: "unknown", state: "present" });
    const ack = snapshot({
      cloud: "ack",
      region: "cn-hangzhou",
      checks: [precheck({ id: "chk-1", kind: "ack-cluster-check", status: "Succeeded" })],
      findings: [finding],
    });
    const evaluation = evaluate(ack);
    expect(evaluation.allowed).toBe(false);
    expect(evaluation.blocking).toEqual([finding]);
  });
});

describe("ACK GetClusterCheck -> check reference and findings", () => {
  const body = {
    check_id: "1697100584236600453-c0123-clustercheck-lboto",
    type: "ClusterUpgrade",
    status: "Failed",
    message: "task failed",
    created_at: "2023-10-16T08:31:20.292030178Z",
    finished_at: "2023-10-16T08:35:20.292030178Z",
    check_items: {
      "Cluster Resources": [
        { name: "APIServer SLB", status: "normal" },
        { name: "VPC", status: "failed", message: "route table full" },
      ],
      "Cluster Configuration": [
        { name: "Deprecated API", status: "warning", apis: ["extensions/v1beta1/Ingress"] },
      ],
    },
  };
  const check = ackClusterCheckSchema.parse(body);

  it("maps every item of every category", () => {
    const findings = ackCheckFindings(check);
    expect(findings.map((f) => [f.group, f.checkName, f.state, f.severity])).toEqual([
      ["Cluster Resources", "APIServer SLB", "passed", "info"],
      ["Cluster Resources", "VPC", "present", "fatal"],
      ["Cluster Configuration", "Deprecated API", "present", "warning"],
    ]);
    expect(findings[2]!.affected.deprecatedApis).toEqual(["extensions/v1beta1/Ingress"]);
    expect(findings.every((f) => f.checkId === check.check_id)).toBe(true);
  });

  it("builds the reference with the target the caller asked for", () => {
    expect(ackCheckRef(check, "1.32.1-aliyun.1")).toEqual({
      id: check.check_id,
      kind: "ack-cluster-check",
      status: "Failed",
      state: "failed",
      createdAt: "2023-10-16T08:31:20.292Z",
      finishedAt: "2023-10-16T08:35:20.292Z",
      targetVersion: "1.32.1-aliyun.1",
      message: "task failed",
    });
    expect(ackCheckRef(check).targetVersion).toBeUndefined();
  });

  it("treats a check without a creation time as ancient, and the vendor's placeholder items as unknown", () => {
    const sparse = ackClusterCheckSchema.parse({
      check_id: "chk-2",
      status: "Succeeded",
      check_items: { key: [{ test: "test", test2: 1 }] },
    });
    expect(ackCheckRef(sparse).createdAt).toBe(UNKNOWN_CREATION_TIME);
    expect(ackCheckFindings(sparse)).toMatchObject([
      { checkName: "key #1", severity: "unknown", state: "present" },
    ]);
  });
});

describe("ACK items whose level is an object keyed by the level word (console report shape)", () => {
  it.each([
    ["error", "fatal", "present", false],
    ["warning", "warning", "present", true],
    ["normal", "info", "passed", true],
  ] as const)("Level: {%s: …} -> %s, %s, waivable %p", (word, severity, state, waivable) => {
    const finding = mapAckCheckItem(
      { Group: "Cluster Components", Level: { [word]: { Message: `${word} found`, Targets: ["t1"] } } },
      "Kubelet",
      0,
      "chk-1",
    );
    expect(finding).toMatchObject({ severity, state, waivable, vendorLevel: word, message: `${word} found` });
  });

  it("takes the worst level when several are present, and reads deprecated APIs from Targets", () => {
    const finding = mapAckCheckItem(
      {
        Group: "Cluster Resources",
        Level: {
          normal: { Message: "ok" },
          error: { Message: "still in use", Targets: ["/apis/policy/v1beta1/podsecuritypolicies"] },
        },
      },
      "Deprecated API",
      0,
      "chk-2",
    );
    expect(finding.severity).toBe("fatal");
    expect(finding.message).toBe("still in use");
    expect(finding.affected.deprecatedApis).toEqual(["/apis/policy/v1beta1/podsecuritypolicies"]);
  });

  it("keeps an object level with no known word as unknown", () => {
    const finding = mapAckCheckItem({ Level: { purple: { Message: "?" } } }, "Odd", 0, "chk-3");
    expect(finding).toMatchObject({ severity: "unknown", state: "present" });
  });
});

describe("ACK check items the vendor sends in an unexpected shape", () => {
  it("parses the response and keeps each odd entry as an unknown (blocking) finding", () => {
    const check = ackClusterCheckSchema.parse({
      check_id: "chk-odd",
      type: "ClusterUpgrade",
      status: "Failed",
      created_at: "2026-11-24T08:00:00Z",
      check_items: { "Deprecated API": ["text", 42, { level: "error", message: "in use" }], Kubelet: true },
    });
    const findings = ackCheckFindings(check);
    expect(findings.map((f) => [f.checkName, f.severity, f.state])).toEqual([
      ["Deprecated API #1", "unknown", "present"],
      ["Deprecated API #2", "unknown", "present"],
      ["Deprecated API #3", "fatal", "present"],
      ["Kubelet #1", "unknown", "present"],
    ]);
    expect(findings[0]?.raw).toBe("text");
  });
});
