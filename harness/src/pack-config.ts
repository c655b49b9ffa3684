/**
 * The `--policy-pack-config` file, read the way the Pulumi CLI reads it (pulumi/pulumi
 * `parsePolicyPackConfig`): each key a policy name, or `all`; each value an enforcement level, or an
 * object of the policy's properties with an optional `enforcementLevel`. It is read whole before any
 * pack starts, so a mistyped level is a usage error that names the key and the fix, not a run that
 * has already started plugin processes.
 */
import { ProjectError } from "./errors";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** pulumirpc.EnforcementLevel: each level at its wire value. */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "disabled",
  "remediate",
];

/** One key of the file. */
export interface PolicyConfigEntry {
  readonly enforcementLevel?: EnforcementLevel;
  /** The policy's properties from the file (every key but `enforcementLevel`). */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The file, by key. `all` sets the level of every policy a key of its own does not set. */
export type PolicyPackConfig = ReadonlyMap<string, PolicyConfigEntry>;

const LEVEL_LIST = "advisory, mandatory, remediate or disabled";

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return (ENFORCEMENT_LEVELS as readonly unknown[]).includes(value);
}

/** The wire value of a level. */
export function levelNumber(level: EnforcementLevel): number {
  return ENFORCEMENT_LEVELS.indexOf(level);
}

/** The level of a wire value; an unknown value reads as advisory, as the Pulumi CLI shows it. */
export function levelName(wire: number): EnforcementLevel {
  return ENFORCEMENT_LEVELS[wire] ?? "advisory";
}

/**
 * Every problem in the file at once (each naming its key), so one edit fixes them all.
 * `source` names the file in the messages.
 */
export function parsePolicyPackConfig(content: unknown, source: string): PolicyPackConfig {
  const where = `--policy-pack-config ${source}`;
  if (typeof content !== "object" || content === null || Array.isArray(content)) {
    throw new ProjectError(
      `${where}: must be a JSON object whose keys are policy names (or "all"), for example {"all": "mandatory"}`,
    );
  }
  const problems: string[] = [];
  const entries = new Map<string, PolicyConfigEntry>();
  const levelProblem = (key: string, field: string, value: unknown): string =>
    `${key}${field}: ${JSON.stringify(value)} is not an enforcement level; use ${LEVEL_LIST}`;
  for (const [key, value] of Object.entries(content)) {
    if (typeof value === "string") {
      if (isEnforcementLevel(value)) entries.set(key, { enforcementLevel: value, properties: {} });
      else problems.push(levelProblem(key, "", value));
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(
        `${key}: ${JSON.stringify(value)} is neither an enforcement level (${LEVEL_LIST}) nor an object of the policy's properties`,
      );
      continue;
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
      problems.push(levelProblem(key, ".enforcementLevel", enforcementLevel));
      continue;
    }
    entries.set(key, { ...(enforcementLevel === undefined ? {} : { enforcementLevel }), properties });
  }
  if (problems.length > 0) throw new ProjectError(`${where}:\n  ${problems.join("\n  ")}`);
  return entries;
}
