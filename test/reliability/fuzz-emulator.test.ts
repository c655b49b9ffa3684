/**
 * Reliability 2b: property-based fuzzing (fast-check) of the emulator's inputs over real HTTP.
 * Arbitrary JSON bodies (free-form, and the fields the vendors' bodies have with hostile values),
 * query strings and extra headers go to every vendor route, validly signed so they reach the
 * handlers. Every answer must be a success or a 4xx with the vendor's error JSON and request id;
 * never a 5xx, an internal error, a dropped connection or a hang (each request has a 10 s deadline).
 * emulator/test/fuzz.test.ts throws raw garbage at the socket; this file covers the handlers' inputs.
 */
import fc from "fast-check";
import { startEmulator, type RunningEmulator } from "@upgrade-guard/emulator";
import { alibaba, huawei, HW_CREDS, send, type HttpAnswer } from "../../emulator/test/helpers/http";
import { SEED } from "./helpers";

jest.setTimeout(60_000);

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 150);

let emulator: RunningEmulator;
const internalErrors: unknown[] = [];
let ids: { cce: string; ack: string; cceTask: string; ackTask: string };

beforeAll(async () => {
  emulator = await startEmulator({ freezeClock: true, onInternalError: (e) => internalErrors.push(e) });
  const clusters = emulator.control.clusters();
  ids = {
    cce: clusters.find((c) => c.name === "cce-ready")!.id,
    ack: clusters.find((c) => c.name === "ack-ready")!.id,
    cceTask: "00000000-0000-0000-0000-000000000000",
    ackTask: "T-000000000000000000000000",
  };
  console.log(`fuzz-emulator: seed ${SEED} (RELIABILITY_SEED=${SEED} reproduces), ${RUNS} runs per property`);
});
afterAll(async () => {
  await emulator?.close();
});

interface Route {
  readonly cloud: "huawei" | "alibaba" | "iam";
  readonly method: string;
  /** `{c}` cluster, `{t}` task; filled with a real id or an arbitrary segment. */
  readonly path: string;
  readonly action?: string;
}

const P = `/api/v3/projects/${HW_CREDS.projectId}`;
const ROUTES: Route[] = [
  { cloud: "huawei", method: "GET", path: `${P}/clusters` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/upgradeinfo` },
  { cloud: "huawei", method: "GET", path: "/api/v3/clusterupgradepaths" },
  { cloud: "huawei", method: "POST", path: `${P}/clusters/{c}/addons/precheck` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/addons/precheck/tasks` },
  { cloud: "huawei", method: "POST", path: `${P}/clusters/{c}/operation/precheck` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/operation/precheck/tasks` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/operation/precheck/tasks/{t}` },
  { cloud: "huawei", method: "POST", path: `${P}/clusters/{c}/operation/upgradeworkflows` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/operation/upgradeworkflows` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/operation/upgradeworkflows/{t}` },
  { cloud: "huawei", method: "PATCH", path: `${P}/clusters/{c}/operation/upgradeworkflows/{t}` },
  { cloud: "huawei", method: "POST", path: `${P}/clusters/{c}/operation/upgrade` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/operation/upgrade/tasks` },
  { cloud: "huawei", method: "GET", path: `${P}/clusters/{c}/operation/upgrade/tasks/{t}` },
  { cloud: "huawei", method: "POST", path: `${P}/clusters/{c}/operation/postcheck` },
  { cloud: "huawei", method: "GET", path: "/api/v3/addons" },
  { cloud: "huawei", method: "GET", path: "/v3/projects" },
  { cloud: "iam", method: "POST", path: "/v3/auth/tokens" },
  { cloud: "alibaba", method: "POST", path: "/clusters/{c}/checks", action: "RunClusterCheck" },
  { cloud: "alibaba", method: "GET", path: "/clusters/{c}/checks", action: "ListClusterChecks" },
  { cloud: "alibaba", method: "GET", path: "/clusters/{c}/checks/{t}", action: "GetClusterCheck" },
  { cloud: "alibaba", method: "GET", path: "/clusters/{c}", action: "DescribeClusterDetail" },
  { cloud: "alibaba", method: "GET", path: "/api/v1/clusters", action: "DescribeClustersV1" },
  { cloud: "alibaba", method: "POST", path: "/api/v2/clusters/{c}/upgrade", action: "UpgradeCluster" },
  {
    cloud: "alibaba",
    method: "GET",
    path: "/api/v2/clusters/{c}/upgrade/status",
    action: "GetUpgradeStatus",
  },
  {
    cloud: "alibaba",
    method: "POST",
    path: "/api/v2/clusters/{c}/upgrade/cancel",
    action: "CancelClusterUpgrade",
  },
  { cloud: "alibaba", method: "GET", path: "/tasks/{t}", action: "DescribeTaskInfo" },
  { cloud: "alibaba", method: "POST", path: "/tasks/{t}/cancel", action: "CancelTask" },
  { cloud: "alibaba", method: "GET", path: "/clusters/{c}/tasks", action: "DescribeClusterTasks" },
];

const text = fc.string({ unit: "grapheme", maxLength: 30 });
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, "", "v1.30", "1.32.1-aliyun.1", "ClusterUpgrade", -1, 1e308, "9".repeat(300), [], {}),
  text,
);
/** The members the vendors' bodies have (CCE kind/apiVersion/spec/metadata/status, ACK type/options/version), hostile. */
const vendorish = fc.record(
  {
    kind: hostileValue,
    apiVersion: hostileValue,
    metadata: fc.oneof(
      hostileValue,
      fc.record({ name: hostileValue, uid: hostileValue }, { requiredKeys: [] }),
    ),
    spec: fc.oneof(
      hostileValue,
      fc.record(
        {
          clusterVersion: hostileValue,
          targetVersion: hostileValue,
          clusterID: hostileValue,
          addons: hostileValue,
          clusterUpgradeAction: fc.oneof(
            hostileValue,
            fc.record({ targetVersion: hostileValue }, { requiredKeys: [] }),
          ),
          skippedCheckItemList: hostileValue,
        },
        { requiredKeys: [] },
      ),
    ),
    status: fc.oneof(hostileValue, fc.record({ phase: hostileValue }, { requiredKeys: [] })),
    type: hostileValue,
    target: hostileValue,
    options: fc.oneof(hostileValue, fc.dictionary(text, hostileValue, { maxKeys: 3 })),
    next_version: hostileValue,
    version: hostileValue,
    auth: hostileValue,
  },
  { requiredKeys: [] },
);
const body = fc.option(fc.oneof(fc.jsonValue({ maxDepth: 4 }), vendorish), { nil: undefined });
const query = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        "type",
        "task_id",
        "addon_instance_id",
        "cluster_id",
        "addon_template_name",
        "name",
        "page_size",
        "page_number",
        "region_id",
        "cluster_type",
        "target",
        "nocatalog",
      ),
      text,
    ),
    fc.oneof(text, fc.constantFrom("", "0", "-1", "101", "1e9", "ClusterUpgrade", "true")),
  ),
  { maxLength: 4 },
);
/** Extra headers the signature does not cover (names and values HTTP allows). */
const headers = fc.dictionary(
  fc.oneof(
    fc.stringMatching(/^x-[a-z][a-z0-9-]{0,15}$/),
    fc.constantFrom(
      "accept",
      "x-auth-token",
      "x-security-token",
      "x-acs-security-token",
      "user-agent",
      "origin",
    ),
  ),
  fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
  { maxKeys: 3 },
);
const segment = fc.oneof(
  fc.constant("valid"),
  fc.constant("valid"),
  text.filter((s) => s !== "").map((s) => encodeURIComponent(s)),
);

function fill(path: string, cluster: string, task: string, cloud: "cce" | "ack"): string {
  return path
    .replace("{c}", cluster === "valid" ? ids[cloud] : cluster)
    .replace("{t}", task === "valid" ? ids[cloud === "cce" ? "cceTask" : "ackTask"] : task);
}

/**
 * The vendor's error formats (emulator/src/server/vendor-errors.ts): Huawei's gateway
 * `error_code`/`error_msg`, CCE's `errorCode`/`errorMessage`, IAM's nested `error`; Alibaba's POP
 * gateway PascalCase with `RequestId`, Container Service lowercase with `requestId`.
 */
function isVendorError(route: Route, answer: HttpAnswer): boolean {
  let json: Record<string, unknown>;
  try {
    json = answer.json();
  } catch {
    return false;
  }
  const str = (value: unknown): boolean => typeof value === "string" && value !== "";
  const both = (code: string, message: string, from: Record<string, unknown> | undefined = json) =>
    str(from?.[code]) && str(from?.[message]);
  if (route.cloud === "alibaba")
    return (
      (both("Code", "Message") && str(json["RequestId"])) ||
      (both("code", "message") && str(json["requestId"]))
    );
  return (
    both("error_code", "error_msg") ||
    both("errorCode", "errorMessage") ||
    both("code", "message", json["error"] as Record<string, unknown> | undefined)
  );
}

function requestIdOf(route: Route, answer: HttpAnswer): unknown {
  return route.cloud === "alibaba" ? answer.headers["x-acs-request-id"] : answer.headers["x-request-id"];
}

it("arbitrary bodies, queries and headers on every vendor route: a success or a vendor 4xx, never a 5xx", async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ROUTES),
      body,
      query,
      headers,
      segment,
      segment,
      async (route, payload, q, extra, cluster, task) => {
        const path = fill(route.path, cluster, task, route.cloud === "alibaba" ? "ack" : "cce");
        const options = {
          query: q,
          extraHeaders: extra,
          ...(payload === undefined ? {} : { body: payload }),
        };
        const answer =
          route.cloud === "alibaba"
            ? await alibaba(emulator.url, route.method, path, { ...options, action: route.action! })
            : route.cloud === "huawei"
              ? await huawei(emulator.url, route.method, path, options)
              : await send(
                  emulator.url,
                  route.method,
                  `${path}${q.length === 0 ? "" : `?${new URLSearchParams(q).toString()}`}`,
                  { "content-type": "application/json", ...extra },
                  payload === undefined ? "" : JSON.stringify(payload),
                );
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const where = `${route.method} ${path} -> ${answer.status} ${answer.text.slice(0, 300)}`;
        if (answer.status >= 500 || answer.status < 200) throw new Error(`not a vendor answer: ${where}`);
        if (answer.status >= 400 && !isVendorError(route, answer))
          throw new Error(`not a vendor error body: ${where}`);
        if (typeof requestIdOf(route, answer) !== "string") throw new Error(`no request id: ${where}`);
      },
    ),
    { seed: SEED, numRuns: RUNS * 4 },
  );
  console.log(
    `fuzz-emulator: answers by status ${[...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(", ")}`,
  );
  expect(internalErrors).toEqual([]);
  // Both sides were reached: some requests passed validation, many were refused with a 4xx.
  expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
  expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  // And the emulator still serves a plain, valid request afterwards.
  const after = await alibaba(emulator.url, "GET", `/clusters/${ids.ack}`, {
    action: "DescribeClusterDetail",
  });
  expect(after.status).toBe(200);
});
