import { InputError } from "../../src/errors";
import { primaryCheckOf, summarizeReadiness } from "../../src/readiness/summary";
import { type ReadinessSnapshot } from "../../src/readiness/model";
import { precheck, snapshot } from "./fixtures";

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

  it("names each malformed field of a snapshot rather than summarizing it", () => {
    const bad = { ...snapshot(), digest: "sha256:abc", observedAt: "soon" };
    let caught: unknown;
    try {
      summarizeReadiness(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toContain("summarizeReadiness");
    expect((caught as InputError).issues.map((issue) => issue.path)).toEqual([
      "snapshot.observedAt",
      "snapshot.digest",
    ]);
  });

  it("still summarizes a snapshot whose primary check is the newest matching one", () => {
    const check = (id: string, createdAt: string, targetVersion: string) =>
      precheck({ id, createdAt, targetVersion, expiresAt: "2026-12-01T04:00:00.000Z" });
    const ready = snapshot({
      targetVersion: "v1.30",
      checks: [
        check("old", "2026-12-01T00:00:00.000Z", "v1.30"),
        check("new", "2026-12-01T01:00:00.000Z", "v1.30"),
        check("other", "2026-12-01T02:00:00.000Z", "v1.31"),
      ],
      verdict: "ready",
      observedAt: "2026-12-01T03:00:00.000Z",
    });
    expect(summarizeReadiness(ready)).toMatchObject({
      checkId: "new",
      checkCreatedAt: "2026-12-01T01:00:00.000Z",
      verdict: "ready",
      digest: ready.digest,
    });
    expect(primaryCheckOf(ready)?.id).toBe("new");
  });
});
