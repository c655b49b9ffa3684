/**
 * The embedded default: with no endpoint and no credentials configured, upgrade-guard runs against a
 * local emulator of both clouds, so a newcomer's first command works offline and changes nothing.
 */
import { clientEnvironment, startEmulator, type RunningEmulator } from "@upgrade-guard/emulator";

/** Variables whose presence means "talk to something real" (or to an emulator the user started). */
const CONFIGURED_MARKERS = [
  "UPGRADE_GUARD_ENDPOINT",
  "UPGRADE_GUARD_CCE_ENDPOINT",
  "UPGRADE_GUARD_ACK_ENDPOINT",
  "HUAWEICLOUD_SDK_AK",
  "HW_ACCESS_KEY",
  "HW_AUTH_TOKEN",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALICLOUD_ACCESS_KEY",
] as const;

export type EmulatorChoice = "auto" | "always" | "never";

/** True when the environment names no endpoint and no credentials for either cloud. */
export function nothingConfigured(env: NodeJS.ProcessEnv): boolean {
  return CONFIGURED_MARKERS.every((name) => !env[name]);
}

export function shouldEmbed(choice: EmulatorChoice, env: NodeJS.ProcessEnv): boolean {
  return choice === "always" || (choice === "auto" && nothingConfigured(env));
}

/** The environment the clients need to talk to an emulator at `url` with its default accounts. */
export const emulatorEnvironment = clientEnvironment;

export interface Embedded {
  readonly emulator: RunningEmulator;
  /** `env` overlaid with the emulator's endpoint and accounts. */
  readonly env: NodeJS.ProcessEnv;
}

export async function startEmbedded(env: NodeJS.ProcessEnv, scenario: string | undefined): Promise<Embedded> {
  const emulator = await startEmulator(scenario === undefined ? {} : { scenario });
  return { emulator, env: { ...env, ...emulatorEnvironment(emulator.url) } };
}
