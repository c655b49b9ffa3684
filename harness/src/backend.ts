/**
 * The local backend: each stack's state in one JSON file, under the folder of
 * `PULUMI_BACKEND_URL=file://DIR` (as Pulumi's file backend) or `~` by default, in
 * `DIR/.upgrade-guard/stacks/<project>/<stack>.json`. The subfolder is our own because the file is
 * not Pulumi's checkpoint format: a real Pulumi backend in the same folder is never touched.
 *
 * Secret values (wire form `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`)
 * are stored as Pulumi stores them, `{sig, ciphertext}` encrypted with the passphrase provider
 * (crypter.ts), so no secret is written in plaintext.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { PassphraseCrypter, requirePassphrase } from "./crypter";
import { ProjectError } from "./errors";
import { isSecret, SECRET_SIG, SIG_KEY } from "./wire";

const resourceStateSchema = z.object({
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  custom: z.boolean(),
  id: z.string().optional(),
  parent: z.string().optional(),
  provider: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
});
export type ResourceState = z.infer<typeof resourceStateSchema>;

const stackStateSchema = z.object({
  version: z.literal(1),
  project: z.string(),
  stack: z.string(),
  updatedAt: z.string(),
  /** Salt state of the passphrase crypter the secrets below were encrypted with. */
  secretsSaltState: z.string().optional(),
  outputs: z.record(z.string(), z.unknown()),
  resources: z.array(resourceStateSchema),
});
export type StackState = z.infer<typeof stackStateSchema>;

/** The folder `PULUMI_BACKEND_URL` names (`file://DIR`, `file://~/DIR`), or the home folder. */
export function backendFolder(env: NodeJS.ProcessEnv): string {
  const url = env["PULUMI_BACKEND_URL"];
  if (url === undefined || url === "") return os.homedir();
  if (!url.startsWith("file://")) {
    throw new ProjectError(
      `PULUMI_BACKEND_URL=${url}: the harness keeps state in a local folder only; use file://DIR`,
    );
  }
  const rest = url.slice("file://".length);
  if (rest === "~" || rest.startsWith("~/")) return path.join(os.homedir(), rest.slice(1));
  return path.resolve(rest);
}

export class Backend {
  constructor(
    readonly folder: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  fileOf(project: string, stack: string): string {
    return path.join(this.folder, ".upgrade-guard", "stacks", project, `${stack}.json`);
  }

  /** The stack's state, or undefined when it was never deployed. */
  load(project: string, stack: string): StackState | undefined {
    const file = this.fileOf(project, stack);
    if (!fs.existsSync(file)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new ProjectError(`${file} is not JSON (${(error as Error).message}); restore it or remove it`);
    }
    const state = stackStateSchema.safeParse(parsed);
    if (!state.success) {
      throw new ProjectError(
        `${file} is not a state file of this harness: ${state.error.issues.map((i) => i.path.join(".")).join(", ")}`,
      );
    }
    return state.data;
  }

  /** Writes the state atomically (a crash never leaves half a file), secrets encrypted. */
  save(state: Omit<StackState, "secretsSaltState" | "version" | "updatedAt">, previousSalt?: string): void {
    let crypter: PassphraseCrypter | undefined;
    const encrypt = (value: unknown): unknown => {
      if (isSecret(value)) {
        const passphrase = requirePassphrase(this.env, `stack ${state.project}/${state.stack}`);
        crypter ??=
          previousSalt === undefined
            ? PassphraseCrypter.create(passphrase)
            : PassphraseCrypter.fromSaltState(
                previousSalt,
                passphrase,
                this.fileOf(state.project, state.stack),
              );
        return { [SIG_KEY]: SECRET_SIG, ciphertext: crypter.encrypt(JSON.stringify(value.value ?? null)) };
      }
      if (Array.isArray(value)) return value.map(encrypt);
      if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encrypt(item)]));
      }
      return value;
    };
    const body = encrypt({
      version: 1,
      project: state.project,
      stack: state.stack,
      updatedAt: new Date().toISOString(),
      outputs: state.outputs,
      resources: state.resources,
    }) as Record<string, unknown>;
    const saltState = crypter?.saltState ?? previousSalt;
    const file = this.fileOf(state.project, state.stack);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(
      temporary,
      `${JSON.stringify({ ...body, ...(saltState === undefined ? {} : { secretsSaltState: saltState }) }, null, 2)}\n`,
      { mode: 0o600 },
    );
    fs.renameSync(temporary, file);
  }

  /** Decrypts the stored secrets of `state` back to the wire form, for the program and the steps. */
  reveal<T>(state: StackState, value: T): T {
    let crypter: PassphraseCrypter | undefined;
    const decrypt = (item: unknown): unknown => {
      if (typeof item === "object" && item !== null && !Array.isArray(item)) {
        const record = item as Record<string, unknown>;
        if (record[SIG_KEY] === SECRET_SIG && typeof record["ciphertext"] === "string") {
          if (state.secretsSaltState === undefined) {
            throw new ProjectError(
              `${this.fileOf(state.project, state.stack)} has secrets but no secretsSaltState`,
            );
          }
          crypter ??= PassphraseCrypter.fromSaltState(
            state.secretsSaltState,
            requirePassphrase(this.env, `stack ${state.project}/${state.stack}`),
            this.fileOf(state.project, state.stack),
          );
          return {
            [SIG_KEY]: SECRET_SIG,
            value: JSON.parse(crypter.decrypt(record["ciphertext"], "a secret of the state")),
          };
        }
        return Object.fromEntries(Object.entries(record).map(([key, member]) => [key, decrypt(member)]));
      }
      if (Array.isArray(item)) return item.map(decrypt);
      return item;
    };
    return decrypt(value) as T;
  }
}
