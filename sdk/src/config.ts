/**
 * Stack configuration for the data functions, which run in the program process: the same
 * `upgrade-guard:*` keys the dynamic providers read in `configure`, read here with
 * `new pulumi.Config("upgrade-guard")`. The public `readStackConfig` leaves secret keys out; only
 * the data functions' client settings (`readClientConfig`, not exported from the package) see
 * them, and those go straight into the client and `redact`.
 */
import * as pulumi from "@pulumi/pulumi";
// Not /impl: the keys alone load without zod or the clients (see lazy.ts).
import { CONFIG_KEYS, CONFIG_NAMESPACE, type RawConfig } from "@upgrade-guard/provider/config-keys";

export { CONFIG_NAMESPACE };

/** Names of the `upgrade-guard:*` configuration keys, and which ones to set with `--secret`. */
export const CONFIG_KEY_NAMES: readonly string[] = CONFIG_KEYS.map((k) => k.key);

/** Keys to set with `pulumi config set --secret upgrade-guard:<key>`. */
export const SECRET_CONFIG_KEYS: readonly string[] = CONFIG_KEYS.filter((k) => k.secret).map((k) => k.key);

/** Reads every non-secret `upgrade-guard:*` key of the current stack (undefined when not set). */
export function readStackConfig(): RawConfig {
  return readKeys(false);
}

/**
 * Every `upgrade-guard:*` key including the secret ones, as plain strings: only for building the
 * data functions' clients (secret values are registered with `redact` there); never returned to users.
 */
export function readClientConfig(): RawConfig {
  return readKeys(true);
}

function readKeys(withSecrets: boolean): RawConfig {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const raw: Record<string, string | undefined> = {};
  for (const { key, secret } of CONFIG_KEYS) if (withSecrets || !secret) raw[key] = config.get(key);
  return raw;
}
