/**
 * The vendors' INI credentials files (docs/credentials.md):
 *
 * - Alibaba Cloud `~/.alibabacloud/credentials` (or `ALIBABA_CLOUD_CREDENTIALS_FILE`), one section
 *   per profile with `type = access_key | sts | ram_role_arn | ecs_ram_role`
 *   (https://www.alibabacloud.com/help/en/sdk/developer-reference/v2-manage-node-js-access-credentials);
 * - Huawei Cloud `~/.huaweicloud/credentials` (or `HUAWEICLOUD_SDK_CREDENTIALS_FILE`), section
 *   `[basic]` with `ak`, `sk`, `security_token`, `project_id`
 *   (https://github.com/huaweicloud/huaweicloud-sdk-go-v3/blob/master/README.md, "Profile").
 *
 * Every key is registered with `redact` as it is read; messages name the file, the profile and the
 * key names, never a value or a line of the file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors";
import { registerSecret } from "../internal/redact";
import { type AckSettings } from "./fields";

/** `path` with a leading `~/` read as `home` (when there is one). */
export function expandHome(path: string, home: string | undefined): string {
  if (!path.startsWith("~/")) return path;
  return home === undefined ? path : join(home, path.slice(2));
}

/** Sections of an INI file: `[name]` then `key = value` lines; `#` and `;` start comments. */
export function parseIni(text: string, path: string, fix: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header !== null) {
      const name = (header[1] as string).trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      return;
    }
    const eq = line.indexOf("=");
    if (eq <= 0 || current === undefined) {
      // The line is not quoted: it may hold a key.
      throw new ConfigError(
        "CONFIG_INVALID",
        `credentials file ${path} is not valid INI at line ${index + 1} (expected [profile] or key = value) — ${fix}`,
        [path],
      );
    }
    const value = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    current[line.slice(0, eq).trim()] = value;
  });
  return sections;
}

/** The text of a credentials or CLI configuration file, `undefined` when it does not exist and need not. */
export function readText(path: string, mustExist: boolean, what: string, fix: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    if (code === "ENOENT" && !mustExist) return undefined;
    throw new ConfigError(
      code === "ENOENT" ? "CONFIG_MISSING" : "CONFIG_INVALID",
      code === "ENOENT"
        ? `${what} ${path} does not exist — ${fix}`
        : `${what} ${path} cannot be read (${code}) — check that it is a file this user may read`,
      [path],
    );
  }
}

const ALIBABA_TYPES = ["access_key", "sts", "ram_role_arn", "ecs_ram_role"] as const;

/**
 * The settings of one profile of the Alibaba Cloud credentials file; `undefined` when the file does
 * not exist and need not (the default path), or lacks the profile and it was not asked for by name.
 * `ecsRoleName: ""` for an `ecs_ram_role` profile without `role_name`.
 */
export function readAlibabaCredentialsFile(
  path: string,
  profile: string,
  options: { mustExist: boolean; profileNamed: boolean; settings: readonly string[] },
): AckSettings | undefined {
  const what = "Alibaba Cloud credentials file";
  const fix = `create it with a [${profile}] section (type = access_key, access_key_id, access_key_secret), or unset ALIBABA_CLOUD_CREDENTIALS_FILE`;
  const text = readText(path, options.mustExist, what, fix);
  if (text === undefined) return undefined;
  const sections = parseIni(text, path, `repair it (${fix})`);
  const section = sections.get(profile);
  const where = `${what} ${path}, profile [${profile}]`;
  if (section === undefined) {
    if (!options.profileNamed && !options.mustExist) return undefined;
    const known = [...sections.keys()];
    throw new ConfigError(
      "CONFIG_MISSING",
      `${what} ${path} has no profile [${profile}]` +
        (known.length > 0 ? ` (it has ${known.map((k) => `[${k}]`).join(", ")})` : "") +
        ` — add it, or name an existing profile with ALIBABA_CLOUD_PROFILE`,
      [path, ...options.settings],
    );
  }
  for (const key of ["access_key_id", "access_key_secret", "security_token"]) registerSecret(section[key]);
  const type = section["type"];
  const need = (...keys: string[]): void => {
    const lacking = keys.filter((key) => (section[key] ?? "") === "");
    if (lacking.length > 0) {
      throw new ConfigError(
        "CONFIG_MISSING",
        `${where} (type ${type ?? ""}) has no ${lacking.join(", ")} — add ${lacking.length > 1 ? "them" : "it"} to the profile`,
        [path],
      );
    }
  };
  // Only read after `need` checked them.
  const v = (key: string): string => section[key] as string;
  switch (type) {
    case "access_key":
      need("access_key_id", "access_key_secret");
      return { accessKeyId: v("access_key_id"), accessKeySecret: v("access_key_secret") };
    case "sts":
      need("access_key_id", "access_key_secret", "security_token");
      return {
        accessKeyId: v("access_key_id"),
        accessKeySecret: v("access_key_secret"),
        securityToken: v("security_token"),
      };
    case "ram_role_arn": {
      need("access_key_id", "access_key_secret", "role_arn");
      const sessionName = section["role_session_name"];
      return {
        accessKeyId: v("access_key_id"),
        accessKeySecret: v("access_key_secret"),
        roleArn: v("role_arn"),
        ...(sessionName === undefined || sessionName === "" ? {} : { roleSessionName: sessionName }),
      };
    }
    case "ecs_ram_role":
      return { ecsRoleName: section["role_name"] ?? "" };
    default:
      throw new ConfigError(
        "CONFIG_INVALID",
        `${where} has type ${type === undefined ? "(none)" : `"${type}"`}; upgrade-guard reads ${ALIBABA_TYPES.join(", ")} — set type to one of them`,
        [path],
      );
  }
}

/**
 * The `[basic]` section of the Huawei Cloud SDK credentials file, `undefined` when the file does not
 * exist and need not (the default path).
 */
export function readHuaweiCredentialsFile(
  path: string,
  mustExist: boolean,
): { accessKey: string; secretKey: string; securityToken?: string; projectId?: string } | undefined {
  const what = "Huawei Cloud credentials file";
  const fix =
    "create it with a [basic] section (ak, sk, project_id), or unset HUAWEICLOUD_SDK_CREDENTIALS_FILE";
  const text = readText(path, mustExist, what, fix);
  if (text === undefined) return undefined;
  const sections = parseIni(text, path, `repair it (${fix})`);
  const section = sections.get("basic");
  if (section === undefined) {
    throw new ConfigError(
      "CONFIG_MISSING",
      `${what} ${path} has no [basic] section — add one with ak, sk and project_id (upgrade-guard reads only basic credentials)`,
      [path],
    );
  }
  for (const key of ["ak", "sk", "security_token"]) registerSecret(section[key]);
  const lacking = ["ak", "sk"].filter((key) => (section[key] ?? "") === "");
  if (lacking.length > 0) {
    throw new ConfigError(
      "CONFIG_MISSING",
      `${what} ${path}, section [basic], has no ${lacking.join(", ")} — add ${lacking.length > 1 ? "them" : "it"}`,
      [path],
    );
  }
  const optional = (key: string): string | undefined => {
    const value = section[key];
    return value === undefined || value === "" ? undefined : value;
  };
  const token = optional("security_token");
  const projectId = optional("project_id");
  return {
    accessKey: section["ak"] as string,
    secretKey: section["sk"] as string,
    ...(token === undefined ? {} : { securityToken: token }),
    ...(projectId === undefined ? {} : { projectId }),
  };
}
