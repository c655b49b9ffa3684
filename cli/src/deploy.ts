/**
 * `upgrade-guard preview` and `upgrade-guard up`: a Pulumi program run with Pulumi's own language
 * host and plugins through @upgrade-guard/harness (loaded only for these commands, so a report never
 * pays for Pulumi's start-up).
 */
import type * as Harness from "@upgrade-guard/harness";
import { type DeploymentFlags } from "./args";

export interface DeploymentOutcome {
  readonly exitCode: 0 | 1 | 3;
  readonly text: string;
}

export async function runDeploymentCommand(
  kind: "preview" | "up",
  flags: DeploymentFlags,
  env: NodeJS.ProcessEnv,
  json: boolean,
): Promise<DeploymentOutcome> {
  // Loaded here, not at the top: only preview and up pay for Pulumi's start-up. `require`, not
  // `import()`: the compiled CommonJS then loads the same way under node and under jest.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require("@upgrade-guard/harness") as typeof Harness;
  const options = {
    cwd: flags.cwd,
    env,
    policyPacks: flags.policyPacks,
    ...(flags.stack === undefined ? {} : { stack: flags.stack }),
    ...(flags.policyPackConfig === undefined ? {} : { policyPackConfig: flags.policyPackConfig }),
  };
  const result = kind === "preview" ? await harness.preview(options) : await harness.up(options);
  return {
    exitCode: result.exitCode,
    text: json ? `${JSON.stringify(result, null, 2)}\n` : harness.renderDeployment(result),
  };
}
