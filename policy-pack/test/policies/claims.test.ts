// claimDisagreements: every way a program's claims can disagree with the facts, one sentence each.
import { summarizeReadiness } from "@upgrade-guard/provider";
import { claimDisagreements } from "../../src/policies/claims";
import { ccePrecheck, cceSnapshot, liveCceCluster } from "./fakes";

const cluster = liveCceCluster("c1");
const live = cceSnapshot(cluster, "v1.30", ccePrecheck({ id: "pc-2", target: "v1.30" }));
const honest = summarizeReadiness(live);

it("honest claims, and no claims at all, agree with the facts", () => {
  expect(claimDisagreements({ currentVersion: "v1.29.5-r0", readiness: honest }, live)).toEqual([]);
  expect(claimDisagreements({}, live)).toEqual([]);
  // The verdict is the program's judgement under its own options, not a fact: it is not compared.
  expect(claimDisagreements({ readiness: { ...honest, verdict: "unknown" } }, live)).toEqual([]);
});

it.each([
  [
    "another current version",
    { currentVersion: "v1.30" },
    'currentVersion is "v1.30", but the cloud reports v1.29.5-r0',
  ],
  ["another cluster", { readiness: { ...honest, clusterId: "c2" } }, "readiness is for cluster c2, not c1"],
  [
    "another version at reading time",
    { readiness: { ...honest, currentVersion: "v1.28.3-r0" } },
    "readiness was read with the cluster on v1.28.3-r0; it is on v1.29.5-r0 now",
  ],
  [
    "another target",
    { readiness: { ...honest, targetVersion: "v1.31" } },
    "readiness judged target v1.31, not v1.30",
  ],
  [
    "a check that is not the latest",
    { readiness: { ...honest, checkId: "pc-1" } },
    "readiness names check pc-1, which is not the latest check for v1.30 (pc-2)",
  ],
  [
    "no check named",
    { readiness: { ...honest, checkId: undefined } },
    "readiness names no check, but the latest check for v1.30 is pc-2",
  ],
  [
    "another worst severity",
    { readiness: { ...honest, worstSeverity: "warning" } },
    "readiness says the worst severity is warning; the checks say none",
  ],
  ["no digest", { readiness: { ...honest, digest: undefined } }, "readiness carries no digest"],
  [
    "another digest",
    { readiness: { ...honest, digest: `sha256:${"1".repeat(64)}` } },
    "does not match the live snapshot",
  ],
  ["not a summary", { readiness: "ready" }, "readiness is not a readiness summary"],
])("%s", (_name, claims, sentence) => {
  const found = claimDisagreements(claims, live);
  expect(found.join("\n")).toContain(sentence);
});

it("a check named on a cluster that has none for the target", () => {
  const unchecked = cceSnapshot(cluster, "v1.30");
  expect(claimDisagreements({ readiness: { ...honest, checkId: "pc-2" } }, unchecked).join("\n")).toContain(
    "readiness names check pc-2, but the cloud has no check for v1.30",
  );
});
