/**
 * `@upgrade-guard/provider/config-keys`: the `upgrade-guard:*` configuration keys alone, without zod
 * or the clients, so the SDK can list them at load time and load the implementation only when a
 * resource or data function needs it.
 */
export { CONFIG_KEYS, CONFIG_NAMESPACE, type ConfigKey, type RawConfig } from "./pulumi/shared/settings";
