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

export interface AuthDependencies {
  readonly accounts: AccountBook;
  readonly store: Store;
  readonly nonces: NonceCache;
  /** Real time, for signature freshness. */
  readonly wallNow: number;
  /** Virtual time, for token expiry. */
  readonly now: number;
}

export function authenticateHuawei(view: SignedRequestView, deps: AuthDependencies): Principal {
  if (view.headers["x-security-token"] !== undefined) {
    throw huaweiAuthError("temporary AK/SK (X-Security-Token) is not supported by the emulator");
  }
  const authorization = firstHeader(view, "authorization");
  if (authorization !== undefined) {
    const accessKey = verifyHuaweiSignature(
      view,
      authorization,
      (ak) => deps.accounts.huaweiByAccessKey(ak)?.secretKey,
      deps.wallNow,
    );
    const account = deps.accounts.huaweiByAccessKey(accessKey);
    if (account === undefined) throw huaweiAuthError(`ak ${accessKey} not exist`);
    return { cloud: "huawei", account, via: "aksk" };
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
  if (
    view.headers["x-acs-security-token"] !== undefined ||
    view.headers["x-acs-bearer-token"] !== undefined
  ) {
    throw popError(
      400,
      "InvalidSecurityToken.Malformed",
      "STS and bearer tokens are not supported by the emulator.",
    );
  }
  const authorization = firstHeader(view, "authorization");
  if (authorization === undefined) throw aliIncompleteSignature("The Authorization header is missing.");
  const secretOf = (id: string): string | undefined => deps.accounts.alibabaByAccessKey(id)?.accessKeySecret;
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
  const account = deps.accounts.alibabaByAccessKey(verified.accessKeyId);
  if (account === undefined)
    throw new VendorError(404, "pop", "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  return { cloud: "alibaba", account, algorithm: verified.algorithm };
}
