/**
 * Pulumi's passphrase secrets provider, so stack files written by `pulumi config set --secret` read
 * here and secrets in our state file are encrypted the same way: AES-256-GCM with a 12-byte nonce,
 * the key derived from the passphrase and an 8-byte salt with PBKDF2-HMAC-SHA256 (1,000,000
 * rounds); ciphertexts are `v1:<nonce b64>:<ciphertext+tag b64>` and the salt state is
 * `v1:<salt b64>:<encryption of "pulumi">` (see docs/pulumi-mechanics.md). Written here with
 * node:crypto because no npm package implements Pulumi's format.
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { ProjectError } from "./errors";

const ROUNDS = 1_000_000;
const VERIFIER = "pulumi";

export class PassphraseCrypter {
  private constructor(
    private readonly key: Buffer,
    /** `v1:<salt>:<verifier>`, to be stored next to what this crypter encrypts. */
    readonly saltState: string,
  ) {}

  /** A crypter for a stored salt state, checking the passphrase against its verifier. */
  static fromSaltState(saltState: string, passphrase: string, where: string): PassphraseCrypter {
    const [version, salt, ...rest] = saltState.split(":");
    if (version !== "v1" || salt === undefined || rest.length !== 3) {
      throw new ProjectError(`${where}: the encryption salt is not in Pulumi's v1 format`);
    }
    const crypter = new PassphraseCrypter(derive(passphrase, Buffer.from(salt, "base64")), saltState);
    if (crypter.tryDecrypt(rest.join(":")) !== VERIFIER) {
      throw new ProjectError(
        `${where}: PULUMI_CONFIG_PASSPHRASE is not the passphrase these secrets were encrypted with`,
      );
    }
    return crypter;
  }

  /** A new crypter with a fresh salt. */
  static create(passphrase: string): PassphraseCrypter {
    const salt = randomBytes(8);
    const key = derive(passphrase, salt);
    const verifier = encryptWith(key, VERIFIER);
    return new PassphraseCrypter(key, `v1:${salt.toString("base64")}:${verifier}`);
  }

  /** The crypter of a stack file's `encryptionsalt`; needs `PULUMI_CONFIG_PASSPHRASE`. */
  static forStackFile(
    file: string,
    saltState: string | undefined,
    env: NodeJS.ProcessEnv,
  ): PassphraseCrypter {
    if (saltState === undefined) {
      throw new ProjectError(
        `${file} has secure values but no encryptionsalt; set them with \`pulumi config set --secret\``,
      );
    }
    return PassphraseCrypter.fromSaltState(saltState, requirePassphrase(env, file), file);
  }

  encrypt(plaintext: string): string {
    return encryptWith(this.key, plaintext);
  }

  /** Decrypts `ciphertext`; `what` names the value in the error (never the value itself). */
  decrypt(ciphertext: string, what: string): string {
    const plaintext = this.tryDecrypt(ciphertext);
    if (plaintext === undefined) throw new ProjectError(`${what} cannot be decrypted with this passphrase`);
    return plaintext;
  }

  private tryDecrypt(ciphertext: string): string | undefined {
    const [version, nonce, body] = ciphertext.split(":");
    if (version !== "v1" || nonce === undefined || body === undefined) return undefined;
    try {
      const data = Buffer.from(body, "base64");
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(nonce, "base64"));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
        "utf8",
      );
    } catch {
      return undefined;
    }
  }
}

/** `PULUMI_CONFIG_PASSPHRASE`, or an error saying what needs it. */
export function requirePassphrase(env: NodeJS.ProcessEnv, needer: string): string {
  // An empty passphrase is allowed when set, as Pulumi allows it.
  const passphrase = env["PULUMI_CONFIG_PASSPHRASE"];
  if (passphrase === undefined) {
    throw new ProjectError(`${needer} holds secrets: set PULUMI_CONFIG_PASSPHRASE to the stack's passphrase`);
  }
  return passphrase;
}

function derive(passphrase: string, salt: Buffer): Buffer {
  return pbkdf2Sync(passphrase, salt, ROUNDS, 32, "sha256");
}

function encryptWith(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${data.toString("base64")}`;
}
