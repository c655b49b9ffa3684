/** The auth layer of @upgrade-guard/provider: configuration, signers and request authentication. */
export {
  type HuaweiAkSkCredentials,
  type HuaweiTokenCredentials,
  type HuaweiPasswordCredentials,
  type HuaweiCredentials,
  type CceConfig,
  type AlibabaCredentials,
  type AlibabaSignatureAlgorithm,
  type AckConfig,
  type AlibabaCredentialPlan,
  type AlibabaAssumeRolePlan,
  type AlibabaEcsRamRolePlan,
  type HuaweiCredentialPlan,
  type HuaweiMetadataPlan,
} from "./types";
export {
  resolveCceConfig,
  resolveAckConfig,
  defaultCceEndpoint,
  defaultIamEndpoint,
  defaultAckEndpoint,
} from "./config";
export { PULUMI_CONFIG_NAMESPACE, type CceSettings, type AckSettings } from "./fields";
export {
  cceCredentialSourceSchema,
  ackCredentialSourceSchema,
  resolveCceCredentialSource,
  resolveAckCredentialSource,
  type CceCredentialSource,
  type AckCredentialSource,
  type CredentialSourceOptions,
} from "./credential-source";
export {
  createCceRequestAuth,
  createAckRequestAuth,
  type CceRequestAuth,
  type AckRequestAuth,
} from "./request-auth";
export {
  signHuaweiRequest,
  huaweiCanonicalRequest,
  huaweiStringToSign,
  type HuaweiSigningCredentials,
} from "./huawei-signer";
export {
  signAcs3Request,
  signRoaV2Request,
  acs3CanonicalRequest,
  acs3StringToSign,
  roaV2StringToSign,
} from "./alibaba-signer";
export {
  createHuaweiTokenSource,
  IAM_TOKEN_OPERATION,
  type HuaweiTokenSource,
  type HuaweiTokenSourceOptions,
} from "./huawei-token";
export { iamApiError, parseIamErrorBody } from "./iam-error";
