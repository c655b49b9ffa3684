import { InputError } from "../../src/errors";
import { primaryCheckOf, summarizeReadiness } from "../../src/readiness/summary";
import { type ReadinessSnapshot } from "../../src/readiness/model";

// Plain-JavaScript callers can hand anything: the exported helpers must name the bad argument.
describe("summarizeReadiness and primaryCheckOf with untyped input", () => {
  it.each([null, undefined, "snapshot", 42, []])(
    "summarizeReadiness(%p) is an InputError naming snapshot",
    (bad) => {
      expect(() => summarizeReadiness(bad as unknown as ReadinessSnapshot)).toThrow(InputError);
      expect(() => summarizeReadiness(bad as unknown as ReadinessSnapshot)).toThrow(/snapshot/);
    },
  );

  it("primaryCheckOf names snapshot.checks when it is not an array", () => {
    const snapshot = { cloud: "cce", targetVersion: "v1.30", checks: null } as unknown as ReadinessSnapshot;
    expect(() => primaryCheckOf(snapshot)).toThrow(InputError);
    expect(() => primaryCheckOf(snapshot)).toThrow(/snapshot\.checks/);
  });

  it("still summarizes a snapshot whose primary check is the newest matching one", () => {
    const check = (id: string, createdAt: string, targetVersion: string) => ({
      id,
      kind: "cce-cluster-precheck",
      status: "Success",
      createdAt,
      targetVersion,
    });
    const snapshot = {
      cloud: "cce",
      targetVersion: "v1.30",
      checks: [
        check("old", "2026-12-01T00:00:00.000Z", "v1.30"),
        check("new", "2026-12-01T01:00:00.000Z", "v1.30"),
        check("other", "2026-12-01T02:00:00.000Z", "v1.31"),
      ],
      worstSeverity: "none",
      verdict: "ready",
      observedAt: "2026-12-01T03:00:00.000Z",
      digest: "sha256:abc",
    } as unknown as ReadinessSnapshot;
    expect(summarizeReadiness(snapshot)).toMatchObject({
      checkId: "new",
      checkCreatedAt: "2026-12-01T01:00:00.000Z",
      verdict: "ready",
      digest: "sha256:abc",
    });
  });
});
