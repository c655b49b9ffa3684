/**
 * Reliability 2a: property-based fuzzing (fast-check) of every response schema and mapping of the
 * provider: `clients/*\/schemas.ts` through the clients' own `parseBody`, then the mappings of
 * `readiness/from-cce.ts` and `from-ack.ts` and the public snapshot builders. Inputs are arbitrary
 * JSON, and the vendor fixtures with one part replaced by arbitrary JSON or removed. Each one must
 * map, or fail with one of the provider's typed errors (provider/src/errors.ts) whose message names
 * the field; never a TypeError or any other crash, and never a slow run (each input is timed).
 * Pure functions, so nothing to run over HTTP here; the emulator side is fuzz-emulator.test.ts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { z } from "zod";
import * as ackSchemas from "../../provider/src/clients/ack/schemas";
import * as cceSchemas from "../../provider/src/clients/cce/schemas";
import { parseBody } from "../../provider/src/clients/common/call";
import { compiledSchema } from "../../provider/src/internal/validate";
import { InputError, ResponseShapeError, UpgradeGuardError } from "../../provider/src/errors";
import {
  buildAckSnapshot,
  buildCceAddonSnapshot,
  buildCceSnapshot,
} from "../../provider/src/readiness/build";
import {
  cceAddonCheckRef,
  cceAddonFindings,
  ccePrecheckCheckRef,
  ccePrecheckFindings,
  latestAddonChecks,
} from "../../provider/src/readiness/from-cce";
import {
  ackCheckFindings,
  ackCheckRef,
  classifyAckItem,
  mapAckCheckItem,
} from "../../provider/src/readiness/from-ack";
import { ROOT, SEED } from "./helpers";

/** Runs per property; bounded so the file stays within seconds. */
const RUNS = Number(process.env.RELIABILITY_RUNS ?? 150);
/** No single input may take longer than this (a hang or a pathological regex would). */
const SLOW_MS = 1_000;

const FIXTURES = path.join(ROOT, "provider/test/fixtures");
const fixture = (cloud: "cce" | "ack", name: string): unknown =>
  JSON.parse(readFileSync(path.join(FIXTURES, cloud, name), "utf8"));

/** Every exported zod schema of both clouds' response schemas. */
const SCHEMAS: [string, z.ZodType][] = [
  ...Object.entries(cceSchemas).map(([name, value]): [string, unknown] => [`cce.${name}`, value]),
  ...Object.entries(ackSchemas).map(([name, value]): [string, unknown] => [`ack.${name}`, value]),
].filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType);

/** Each fixture with the schema of its operation (provider/test/clients/fixtures.test.ts pairs them too). */
const PAIRS: [string, "cce" | "ack", string][] = [
  ["cceAddonCheckCreatedSchema", "cce", "batch-create-addon-precheck.json"],
  ["ccePrecheckCreatedSchema", "cce", "create-pre-check.json"],
  ["cceUpgradeWorkflowSchema", "cce", "create-upgrade-workflow.json"],
  ["cceAddonCheckTaskListSchema", "cce", "list-addon-precheck-tasks.seed.json"],
  ["cceAddonCheckTaskListSchema", "cce", "list-addon-precheck-tasks.items-array.json"],
  ["cceAddonCheckTaskListSchema", "cce", "list-addon-precheck-tasks.risklist-beside-status.json"],
  ["cceClusterListSchema", "cce", "list-clusters.json"],
  ["ccePrecheckTaskListSchema", "cce", "list-pre-check-tasks.json"],
  ["cceUpgradeTaskListSchema", "cce", "list-upgrade-cluster-tasks.json"],
  ["cceUpgradeWorkflowListSchema", "cce", "list-upgrade-workflows.items-object.json"],
  ["cceUpgradeInfoSchema", "cce", "show-cluster-upgrade-info.json"],
  ["cceClusterSchema", "cce", "show-cluster.json"],
  ["ccePrecheckTaskSchema", "cce", "show-pre-check.json"],
  ["cceUpgradeTaskSchema", "cce", "show-upgrade-cluster-task.json"],
  ["cceUpgradeWorkflowSchema", "cce", "show-upgrade-workflow.seed.json"],
  ["cceUpgradeClusterResultSchema", "cce", "upgrade-cluster.json"],
  ["ackClusterDetailSchema", "ack", "describe-cluster-detail.json"],
  ["ackClusterTaskListSchema", "ack", "describe-cluster-tasks.json"],
  ["ackClusterListSchema", "ack", "describe-clusters-v1.json"],
  ["ackTaskInfoSchema", "ack", "describe-task-info.seed.json"],
  ["ackTaskInfoSchema", "ack", "describe-task-info.epoch-ms-events.json"],
  ["ackClusterCheckSchema", "ack", "get-cluster-check.items.json"],
  ["ackClusterCheckSchema", "ack", "get-cluster-check.seed.json"],
  ["ackUpgradeStatusSchema", "ack", "get-upgrade-status.seed.json"],
  ["ackClusterCheckListSchema", "ack", "list-cluster-checks.json"],
  ["ackRunClusterCheckResultSchema", "ack", "run-cluster-check.json"],
  ["ackUpgradeClusterResultSchema", "ack", "upgrade-cluster.json"],
];

const schemaNamed = (name: string): z.ZodType => {
  const found = SCHEMAS.find(([full]) => full.endsWith(`.${name}`));
  if (found === undefined) throw new Error(`no schema ${name}`);
  return found[1];
};

/** The mappings that read what a schema parsed (the readiness layer's only inputs). */
const MAPPINGS: Record<string, (parsed: never) => void> = {
  ccePrecheckTaskSchema: (task: cceSchemas.CcePrecheckTask) => {
    ccePrecheckCheckRef(task);
    ccePrecheckFindings(task);
  },
  ccePrecheckTaskListSchema: (list: { items: cceSchemas.CcePrecheckTask[] }) => {
    for (const task of list.items) ccePrecheckFindings(task);
  },
  cceAddonCheckTaskListSchema: (list: { items: cceSchemas.CceAddonCheckTask[] }) => {
    for (const task of latestAddonChecks(list.items)) {
      cceAddonCheckRef(task);
      cceAddonFindings(task);
    }
  },
  ackClusterCheckSchema: (check: ackSchemas.AckClusterCheck) => {
    ackCheckRef(check, "1.32.1-aliyun.1");
    ackCheckFindings(check);
  },
};

/** What a failure must be: a typed error whose message names every field it lists. */
function expectTypedAndNamed(error: unknown, issues: readonly { path: string }[]): void {
  if (!UpgradeGuardError.isInstance(error) || error instanceof TypeError)
    throw new Error(`not a typed error: ${(error as Error)?.stack ?? String(error)}`);
  for (const issue of issues.slice(0, 5))
    if (issue.path !== "" && !error.message.includes(issue.path))
      throw new Error(`the message does not name ${issue.path}: ${error.message}`);
}

function timed<T>(what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const took = performance.now() - started;
  if (took > SLOW_MS) throw new Error(`${what} took ${Math.round(took)} ms for one input`);
  return result;
}

/** Parses as the clients do, then maps; throws only a typed error naming the field. */
function parseAndMap(name: string, schema: z.ZodType, json: unknown): "mapped" | "refused" {
  let parsed: unknown;
  try {
    parsed = timed(name, () => parseBody(name, schema, JSON.stringify(json) ?? "null"));
  } catch (error) {
    if (!(error instanceof ResponseShapeError)) throw error;
    expectTypedAndNamed(error, error.issues);
    return "refused";
  }
  const mapping = MAPPINGS[name.replace(/^(cce|ack)\./, "")];
  if (mapping !== undefined) {
    try {
      timed(`${name} mapping`, () => mapping(parsed as never));
    } catch (error) {
      expectTypedAndNamed(error, error instanceof InputError ? error.issues : []);
      return "refused";
    }
  }
  return "mapped";
}

// --- mutations of a valid document -----------------------------------------------------------------

type Path = (string | number)[];

/** Every path to a value inside `value` (the root included). */
function pathsOf(value: unknown, at: Path = []): Path[] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsOf(item, [...at, i])));
  if (value !== null && typeof value === "object")
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key])));
  return here;
}

/** A copy of `document` with the value at `where` replaced (or removed when `replacement` is undefined). */
function mutate(document: unknown, where: Path, replacement: unknown): unknown {
  if (where.length === 0) return replacement;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const part of where.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  const last = where[where.length - 1]!;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else Reflect.deleteProperty(parent, last);
  } else parent[last] = replacement;
  return copy;
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Values that break schemas in the ways vendors do: wrong types, empty, huge, odd strings. */
const hostile = fc.oneof(
  anyJson,
  fc.constantFrom(null, "", " ", "null", "NaN", -1, 0, 1e308, "9".repeat(400), [], {}, true),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constant(undefined),
);

beforeAll(() => {
  console.log(`fuzz-provider: seed ${SEED} (RELIABILITY_SEED=${SEED} reproduces), ${RUNS} runs per property`);
});

describe("every response schema, arbitrary JSON", () => {
  it(`covers the ${SCHEMAS.length} schemas of both clouds`, () => {
    expect(SCHEMAS.length).toBeGreaterThan(40);
  });

  it.each(SCHEMAS)("%s: maps or refuses with a typed error naming the field", (name, schema) => {
    const outcomes = { mapped: 0, refused: 0 };
    fc.assert(
      fc.property(anyJson, (json) => {
        outcomes[parseAndMap(name, schema, json)] += 1;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(outcomes.mapped + outcomes.refused).toBe(RUNS);
  });
});

describe("vendor fixtures with one part replaced or removed", () => {
  it.each(PAIRS)("%s on %s/%s: maps or refuses naming the field", (name, cloud, file) => {
    const schema = schemaNamed(name);
    const document = fixture(cloud, file);
    expect(parseAndMap(name, schema, document)).toBe("mapped");
    const paths = pathsOf(document);
    const outcomes = { mapped: 0, refused: 0 };
    fc.assert(
      fc.property(fc.nat({ max: paths.length - 1 }), hostile, (index, replacement) => {
        outcomes[parseAndMap(name, schema, mutate(document, paths[index]!, replacement))] += 1;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The mutations reach both sides: some documents still map, some are refused.
    expect(outcomes.mapped + outcomes.refused).toBe(RUNS);
  });
});

/** What a parse answered, in a form two parsers can be compared by (issues without zod's internals). */
function answerOf(result: ReturnType<z.ZodType["safeParse"]>): unknown {
  return result.success
    ? { data: result.data }
    : { issues: result.error.issues.map(({ code, path, message }) => ({ code, path, message })) };
}

// The clients parse with zod's compiled fast path (compiledSchema in internal/validate.ts); it must answer what
// the runtime parser answers: the same data on success, the same issues on failure.
describe("the compiled fast path parses as the runtime parser does", () => {
  it.each(SCHEMAS)("%s, arbitrary JSON", (_name, schema) => {
    const compiled = compiledSchema(schema);
    expect(compiled).not.toBe(schema);
    fc.assert(
      fc.property(anyJson, (json) => {
        expect(answerOf(compiled.safeParse(json))).toEqual(answerOf(schema.safeParse(json)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it.each(PAIRS)("%s on %s/%s with one part replaced or removed", (name, cloud, file) => {
    const schema = schemaNamed(name);
    const compiled = compiledSchema(schema);
    const document = fixture(cloud, file);
    expect(compiled.safeParse(document).success).toBe(true);
    const paths = pathsOf(document);
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.nat({ max: paths.length - 1 }), hostile, (index, replacement) => {
        const input = mutate(document, paths[index]!, replacement);
        const answer = compiled.safeParse(input);
        outcomes[answer.success ? "accepted" : "refused"] += 1;
        expect(answerOf(answer)).toEqual(answerOf(schema.safeParse(input)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
  });
});

describe("the ACK check-item mapping reads items nobody documented: any JSON", () => {
  it("mapAckCheckItem and classifyAckItem map every value without throwing", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string(), fc.nat(), (item, category, index) => {
        const finding = timed("mapAckCheckItem", () => mapAckCheckItem(item, category, index, "check-1"));
        expect(typeof finding.severity).toBe("string");
        if (item !== null && typeof item === "object" && !Array.isArray(item))
          timed("classifyAckItem", () => classifyAckItem(item as Record<string, unknown>));
      }),
      { seed: SEED, numRuns: RUNS * 5 },
    );
  });
});

describe("the public snapshot builders, given a mutated vendor task", () => {
  const common = {
    cluster: { id: "c1", region: "cn-north-4", currentVersion: "v1.29.5-r0" },
    targetVersion: "v1.30",
    now: "2025-01-01T00:00:00Z",
  };
  const builders: [string, unknown, (task: unknown) => unknown][] = [
    [
      "buildCceSnapshot (precheck)",
      fixture("cce", "show-pre-check.json"),
      (precheck) => buildCceSnapshot({ ...common, precheck } as never),
    ],
    [
      "buildCceSnapshot (addonChecks)",
      (fixture("cce", "list-addon-precheck-tasks.items-array.json") as { items: unknown[] }).items,
      (addonChecks) => buildCceSnapshot({ ...common, addonChecks } as never),
    ],
    [
      "buildCceAddonSnapshot",
      (fixture("cce", "list-addon-precheck-tasks.items-array.json") as { items: unknown[] }).items[0],
      (check) =>
        buildCceAddonSnapshot({
          clusterId: "c1",
          region: "cn-north-4",
          addonTemplateName: "coredns",
          installedVersion: "1.29.4",
          targetVersion: "1.30.1",
          check,
          now: common.now,
        } as never),
    ],
    [
      "buildAckSnapshot",
      fixture("ack", "get-cluster-check.items.json"),
      (check) =>
        buildAckSnapshot({
          ...common,
          cluster: { id: "c1", region: "cn-hangzhou", currentVersion: "1.31.1-aliyun.1" },
          targetVersion: "1.32.1-aliyun.1",
          check,
          checkTargetVersion: "1.32.1-aliyun.1",
        } as never),
    ],
  ];

  it.each(builders)("%s: a snapshot, or an InputError naming the field", (name, document, build) => {
    const paths = pathsOf(document);
    let refused = 0;
    fc.assert(
      fc.property(fc.nat({ max: paths.length - 1 }), hostile, (index, replacement) => {
        try {
          const snapshot = timed(name, () => build(mutate(document, paths[index]!, replacement))) as {
            verdict: string;
          };
          expect(typeof snapshot.verdict).toBe("string");
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          expectTypedAndNamed(error, error.issues);
          refused += 1;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(refused).toBeLessThanOrEqual(RUNS);
  });
});
