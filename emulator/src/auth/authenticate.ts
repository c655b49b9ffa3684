/**
 * Who is calling: verifies the request's credentials the way each cloud's gateway does and returns the
 * account, or throws the gateway's error. Huawei accepts an AK/SK signature or an IAM token; Alibaba
 * accepts ACS3-HMAC-SHA256 or the legacy ROA HMAC-SHA1 signature, each with a single-use nonce.
 */
import { type Principal } from "../server/router";
import { type Store } from "../state/store";
import {
  VendorError,
  huaweiAuthError,
  popError,
  aliIncompleteSignature,
  aliNonceUsed,
} from "../server/vendor-errors";
import { type AccountBook } from "./accounts";
import { firstHeader, type SignedRequestView } from "./canonical";
import { verifyHuaweiSignature } from "./huawei-signature";
import { verifyAcs3Signature, verifyRoaSignature } from "./alibaba-signature";
import { type NonceCache } from "./nonce-cache";
import { type TemporaryKeyBook } from "./temporary-keys";

export interface AuthDependencies {
  readonly accounts: AccountBook;
  readonly store: Store;
  readonly nonces: NonceCache;
  /** Real time, for signature freshness. */
  readonly wallNow: number;
  /** Virtual time, for token expiry. */
  readonly now: number;
  /** Temporary keys issued by the emulated STS and metadata services. */
  readonly temporaryKeys: TemporaryKeyBook;
}

export function authenticateHuawei(view: SignedRequestView, deps: AuthDependencies): Principal {
  const securityToken = firstHeader(view, "x-security-token");
  const authorization = firstHeader(view, "authorization");
  if (authorization !== undefined) {
    const accessKey = verifyHuaweiSignature(
      view,
      authorization,
      (ak) => {
        if (securityToken === undefined) return deps.accounts.huaweiByAccessKey(ak)?.secretKey;
        const temporary = deps.temporaryKeys.find(ak);
        return temporary?.cloud === "huawei" ? temporary.secret : undefined;
      },
      deps.wallNow,
    );
    if (securityToken !== undefined) {
      // Temporary AK/SK: the key must have been issued here, with this token, and not have expired.
      const temporary = deps.temporaryKeys.find(accessKey);
      if (temporary?.cloud !== "huawei" || temporary.securityToken !== securityToken) {
        throw huaweiAuthError("the security token does not match the access key");
      }
      if (deps.now >= temporary.expiresAt) throw huaweiAuthError("the security token has expired");
      return { cloud: "huawei", account: temporary.account, via: "aksk" };
    }
    const account = deps.accounts.huaweiByAccessKey(accessKey);
    if (account === undefined) throw huaweiAuthError(`ak ${accessKey} not exist`);
    return { cloud: "huawei", account, via: "aksk" };
  }
  if (securityToken !== undefined) {
    throw huaweiAuthError("an X-Security-Token needs an AK/SK signature");
  }
  const token = firstHeader(view, "x-auth-token");
  if (token !== undefined) {
    const record = deps.store.token(token);
    if (record === undefined) throw huaweiAuthError("decrypt token fail");
    if (deps.now >= record.expiresAt) throw huaweiAuthError("the token has expired");
    const account = deps.accounts.huaweiByName(record.account);
    if (account === undefined) throw huaweiAuthError("decrypt token fail");
    return {
      cloud: "huawei",
      account,
      via: "token",
      ...(record.projectId === undefined ? {} : { projectId: record.projectId }),
    };
  }
  throw huaweiAuthError("neither an Authorization signature nor an X-Auth-Token was sent");
}

export function authenticateAlibaba(view: SignedRequestView, deps: AuthDependencies): Principal {
  if (view.headers["x-acs-bearer-token"] !== undefined) {
    throw popError(400, "InvalidSecurityToken.Malformed", "Bearer tokens are not supported by the emulator.");
  }
  const securityToken = firstHeader(view, "x-acs-security-token");
  const authorization = firstHeader(view, "authorization");
  if (authorization === undefined) throw aliIncompleteSignature("The Authorization header is missing.");
  const secretOf = (id: string): string | undefined => {
    if (securityToken === undefined) return deps.accounts.alibabaByAccessKey(id)?.accessKeySecret;
    const temporary = deps.temporaryKeys.find(id);
    return temporary?.cloud === "alibaba" ? temporary.secret : undefined;
  };
  const verified = authorization.startsWith("ACS3-")
    ? verifyAcs3Signature(view, authorization, secretOf, deps.wallNow)
    : authorization.startsWith("acs ")
      ? verifyRoaSignature(view, authorization, secretOf, deps.wallNow)
      : undefined;
  if (verified === undefined) {
    throw aliIncompleteSignature("Use ACS3-HMAC-SHA256 or acs AccessKeyId:Signature (HMAC-SHA1).");
  }
  if (
    verified.nonce !== undefined &&
    !deps.nonces.claim(verified.accessKeyId, verified.nonce, deps.wallNow)
  ) {
    throw aliNonceUsed();
  }
  if (securityToken !== undefined) {
    // STS keys: issued here, with this token, and not expired (virtual time).
    const temporary = deps.temporaryKeys.find(verified.accessKeyId);
    if (temporary?.cloud !== "alibaba" || temporary.securityToken !== securityToken) {
      throw popError(
        400,
        "InvalidSecurityToken.MismatchWithAccessKey",
        "The security token does not match the access key.",
      );
    }
    if (deps.now >= temporary.expiresAt) {
      throw popError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
    }
    return { cloud: "alibaba", account: temporary.account, algorithm: verified.algorithm };
  }
  const account = deps.accounts.alibabaByAccessKey(verified.accessKeyId);
  if (account === undefined)
    throw new VendorError(404, "pop", "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  return { cloud: "alibaba", account, algorithm: verified.algorithm };
}
