/**
 * A Pulumi project on disk as the engine reads it: `Pulumi.yaml` (name, runtime, main) and the
 * stack's `Pulumi.<stack>.yaml` (config, with `secure:` values decrypted by the passphrase secrets
 * provider, as `pulumi preview` does). Every problem names the file and the field to fix.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { PassphraseCrypter } from "./crypter";
import { ProjectError } from "./errors";

const projectFileSchema = z.looseObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be letters, digits, '-', '_' or '.'"),
  runtime: z.union([
    z.literal("nodejs"),
    z.looseObject({
      name: z.literal("nodejs"),
      options: z.looseObject({ typescript: z.boolean().optional() }).optional(),
    }),
  ]),
  main: z.string().min(1).optional(),
});

const configValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({ secure: z.string().min(1) }),
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
]);

const stackFileSchema = z.looseObject({
  encryptionsalt: z.string().optional(),
  config: z.record(z.string(), configValueSchema).optional(),
});

/** One stack config value as the language host receives it. */
export interface ConfigEntry {
  /** The value as a string (objects and arrays as JSON, as Pulumi passes them). */
  readonly value: string;
  readonly secret: boolean;
}

/** A project and one of its stacks, ready to run. */
export interface LoadedProject {
  readonly dir: string;
  readonly name: string;
  readonly stack: string;
  /** The program's entry (a file or directory), relative to `dir`; `.` when Pulumi.yaml has no `main`. */
  readonly main: string;
  readonly typescript: boolean;
  /** Namespaced keys (`readiness:clusters`, `upgrade-guard:region`), secrets decrypted. */
  readonly config: ReadonlyMap<string, ConfigEntry>;
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ProjectError(`${file}: ${(error as Error).message}`);
  }
}

function issuesOf(file: string, error: z.ZodError): ProjectError {
  const lines = error.issues.map((issue) => `  - ${issue.path.join(".") || "(file)"}: ${issue.message}`);
  return new ProjectError(`${file} is not valid:\n${lines.join("\n")}`);
}

/**
 * Loads the project in `dir` and its stack `stack`. A missing stack file means a stack without
 * config (Pulumi creates it on `pulumi stack init`); `secure:` values need `PULUMI_CONFIG_PASSPHRASE`.
 */
export function loadProject(dir: string, stack: string, env: NodeJS.ProcessEnv): LoadedProject {
  const projectFile = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) {
    throw new ProjectError(`no Pulumi.yaml in ${dir}: pass --cwd with the directory of a Pulumi project`);
  }
  const project = projectFileSchema.safeParse(readYaml(projectFile));
  if (!project.success) throw issuesOf(projectFile, project.error);
  const { name, runtime, main } = project.data;
  const typescript = typeof runtime === "object" ? runtime.options?.typescript !== false : true;

  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  const config = new Map<string, ConfigEntry>();
  if (fs.existsSync(stackFile)) {
    const parsed = stackFileSchema.safeParse(readYaml(stackFile) ?? {});
    if (!parsed.success) throw issuesOf(stackFile, parsed.error);
    let crypter: PassphraseCrypter | undefined;
    for (const [key, raw] of Object.entries(parsed.data.config ?? {})) {
      const fullKey = key.includes(":") ? key : `${name}:${key}`;
      if (
        typeof raw === "object" &&
        raw !== null &&
        !Array.isArray(raw) &&
        typeof raw["secure"] === "string"
      ) {
        crypter ??= PassphraseCrypter.forStackFile(stackFile, parsed.data.encryptionsalt, env);
        config.set(fullKey, { value: crypter.decrypt(raw["secure"], `config ${key}`), secret: true });
      } else {
        config.set(fullKey, { value: typeof raw === "string" ? raw : JSON.stringify(raw), secret: false });
      }
    }
  }
  return { dir, name, stack, main: main ?? ".", typescript, config };
}
