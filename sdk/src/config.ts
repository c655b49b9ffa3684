/**
 * Stack configuration for the data functions, which run in the program process: the same
 * `upgrade-guard:*` keys the dynamic providers read in `configure`, read here with
 * `new pulumi.Config("upgrade-guard")`. Secret keys are read too (they are plain strings to the
 * program) and never returned: they go straight into the client settings and `redact`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, CONFIG_NAMESPACE, type RawConfig } from "@upgrade-guard/provider/impl";

export { CONFIG_NAMESPACE };

/** Names of the `upgrade-guard:*` configuration keys, and which ones to set with `--secret`. */
export const CONFIG_KEY_NAMES: readonly string[] = CONFIG_KEYS.map((k) => k.key);

/** Keys to set with `pulumi config set --secret upgrade-guard:<key>`. */
export const SECRET_CONFIG_KEYS: readonly string[] = CONFIG_KEYS.filter((k) => k.secret).map((k) => k.key);

/** Reads every `upgrade-guard:*` key of the current stack (undefined when not set). */
export function readStackConfig(): RawConfig {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const raw: Record<string, string | undefined> = {};
  for (const { key } of CONFIG_KEYS) raw[key] = config.get(key);
  return raw;
}
