/**
 * Temporary credentials the emulator issues (STS AssumeRole, the two metadata services): an access
 * key, its secret and a security token, valid until a virtual-time expiry and acting as the account
 * that was issued them. In memory only: they are not persisted and `reset` forgets them.
 */
import { randomBytes } from "node:crypto";
import { type AlibabaAccount, type HuaweiAccount } from "./accounts";

interface Issued {
  readonly accessKey: string;
  readonly secret: string;
  readonly securityToken: string;
  readonly expiresAt: number;
}

export interface HuaweiTemporaryKey extends Issued {
  readonly cloud: "huawei";
  readonly account: HuaweiAccount;
}

export interface AlibabaTemporaryKey extends Issued {
  readonly cloud: "alibaba";
  readonly account: AlibabaAccount;
  /** The assumed role, e.g. `acs:ram::1000000000000001:role/upgrade-guard`. */
  readonly roleArn: string;
}

export type TemporaryKey = HuaweiTemporaryKey | AlibabaTemporaryKey;

const token = (bytes: number): string => randomBytes(bytes).toString("base64url");

export class TemporaryKeyBook {
  private readonly keys = new Map<string, TemporaryKey>();
  /** Metadata-service session tokens and their expiry (virtual time). */
  private readonly sessions = new Map<string, number>();

  /** A metadata-service session token valid for `ttlMs`. */
  openSession(now: number, ttlMs: number): string {
    for (const [value, expiresAt] of this.sessions) if (expiresAt < now) this.sessions.delete(value);
    const value = `ugemu-imds-${token(32)}`;
    this.sessions.set(value, now + ttlMs);
    return value;
  }

  sessionValid(value: string | undefined, now: number): boolean {
    if (value === undefined) return false;
    const expiresAt = this.sessions.get(value);
    return expiresAt !== undefined && now < expiresAt;
  }

  issueHuawei(account: HuaweiAccount, now: number, validityMs: number): HuaweiTemporaryKey {
    const key: HuaweiTemporaryKey = {
      cloud: "huawei",
      account,
      accessKey: `UGEMUTMP${randomBytes(6).toString("hex").toUpperCase()}`,
      secret: token(30),
      securityToken: `ugemu-hw-sts-${token(48)}`,
      expiresAt: now + validityMs,
    };
    this.add(key, now);
    return key;
  }

  issueAlibaba(
    account: AlibabaAccount,
    roleArn: string,
    now: number,
    validityMs: number,
  ): AlibabaTemporaryKey {
    const key: AlibabaTemporaryKey = {
      cloud: "alibaba",
      account,
      roleArn,
      accessKey: `STS.UGEMU${randomBytes(8).toString("hex").toUpperCase()}`,
      secret: token(30),
      securityToken: `ugemu-ali-sts-${token(48)}`,
      expiresAt: now + validityMs,
    };
    this.add(key, now);
    return key;
  }

  find(accessKey: string): TemporaryKey | undefined {
    return this.keys.get(accessKey);
  }

  /** Issued secrets and tokens, so the request log and messages can mask them. */
  secrets(): string[] {
    return [...this.keys.values()].flatMap((k) => [k.secret, k.securityToken]);
  }

  clear(): void {
    this.keys.clear();
    this.sessions.clear();
  }

  private add(key: TemporaryKey, now: number): void {
    // Expired keys are dropped as new ones are issued, so the table stays small.
    for (const [id, old] of this.keys) if (old.expiresAt < now) this.keys.delete(id);
    this.keys.set(key.accessKey, key);
  }
}
