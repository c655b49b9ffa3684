/**
 * `preview` and `up`: what `pulumi preview` / `pulumi up --yes` do, for a project directory, without
 * the Pulumi CLI or a service backend (see engine.ts and the package README for what is left out).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Backend, backendFolder } from "./backend";
import { type DeploymentResult, runDeployment } from "./engine";
import { ProjectError } from "./errors";
import { parsePolicyPackConfig, type PolicyPackConfig } from "./pack-config";
import { loadProject } from "./project";

export interface RunOptions {
  /** The Pulumi project's directory (`--cwd`). */
  readonly cwd: string;
  /** The stack (`--stack`); default `dev`. */
  readonly stack?: string;
  /** Policy pack directories (`--policy-pack`, repeatable). */
  readonly policyPacks?: readonly string[];
  /** A `--policy-pack-config` JSON file. */
  readonly policyPackConfig?: string;
  /** Environment of the program, its providers and the packs; `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Deadline of the whole run in milliseconds (default 10 minutes). */
  readonly deadlineMs?: number;
}

function readPolicyConfig(file: string | undefined): PolicyPackConfig | undefined {
  if (file === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ProjectError(`--policy-pack-config ${file}: ${(error as Error).message}`);
  }
  return parsePolicyPackConfig(parsed, file);
}

async function run(kind: "preview" | "up", options: RunOptions): Promise<DeploymentResult> {
  const env = options.env ?? process.env;
  const project = loadProject(path.resolve(options.cwd), options.stack ?? "dev", env);
  const policyPackConfig = readPolicyConfig(options.policyPackConfig);
  return runDeployment({
    project,
    kind,
    backend: new Backend(backendFolder(env), env),
    env,
    ...(options.policyPacks === undefined ? {} : { policyPacks: options.policyPacks }),
    ...(policyPackConfig === undefined ? {} : { policyPackConfig }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
}

/** Check, analyze and diff every resource; nothing is created and no state is written. */
export function preview(options: RunOptions): Promise<DeploymentResult> {
  return run("preview", options);
}

/** Create, update and delete resources, keeping the stack's state in the local backend. */
export function up(options: RunOptions): Promise<DeploymentResult> {
  return run("up", options);
}
