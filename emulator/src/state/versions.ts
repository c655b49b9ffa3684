/** Version arithmetic for both clouds' version strings (`v1.29.5-r0`, `v1.30`, `1.31.1-aliyun.1`). */

function numbers(version: string): number[] {
  return (version.match(/\d+/g) ?? []).map(Number);
}

/** Negative, zero or positive like a comparator; a missing part sorts before any number. */
export function compareVersions(a: string, b: string): number {
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? -1;
    const q = y[i] ?? -1;
    if (p !== q) return p - q;
  }
  return 0;
}

/** True when `requested` names `allowed` (equal, or one is the other plus a patch: `v1.30` ~ `v1.30.2-r0`). */
export function matchesTarget(requested: string, allowed: string): boolean {
  if (requested === allowed) return true;
  const [short, long] = requested.length < allowed.length ? [requested, allowed] : [allowed, requested];
  return long.startsWith(short) && (long.charAt(short.length) === "." || long.charAt(short.length) === "-");
}

/** The allowed target a requested version names, if any. */
export function findTarget(requested: string, allowed: readonly string[]): string | undefined {
  return allowed.find((t) => matchesTarget(requested, t));
}

/** The patch version a CCE minor target resolves to (`v1.30` → `v1.30.0-r0`). */
export function ccePatchVersion(target: string): string {
  if (/^v\d+\.\d+\.\d+-r\d+$/.test(target)) return target;
  if (/^v\d+\.\d+\.\d+$/.test(target)) return `${target}-r0`;
  if (/^v\d+\.\d+$/.test(target)) return `${target}.0-r0`;
  return target;
}

/** `v1.29.5-r0` → release `v1.29.5`, patch `r0` (ShowClusterUpgradeInfo.versionInfo). */
export function splitCceVersion(version: string): { release: string; patch: string } {
  const m = /^(v?\d+(?:\.\d+)*)(?:-(r\d+))?$/.exec(version);
  return m ? { release: m[1] ?? version, patch: m[2] ?? "r0" } : { release: version, patch: "" };
}

/** Targets still ahead of a version the cluster just reached. */
export function targetsAfter(version: string, targets: readonly string[]): string[] {
  return targets.filter((t) => !matchesTarget(version, t) && compareVersions(t, version) > 0);
}
