import { ApiError, ConfigError, UpgradeGuardError } from "../src/errors";
import { clearRegisteredSecrets, registerSecret } from "../src/internal/redact";

describe("error base class", () => {
  afterEach(() => clearRegisteredSecrets());

  it("brands every error so a second module copy recognizes it", () => {
    const error = new ConfigError("CONFIG_MISSING", "set HUAWEICLOUD_SDK_AK", ["HUAWEICLOUD_SDK_AK"]);
    expect(UpgradeGuardError.isInstance(error)).toBe(true);
    expect(UpgradeGuardError.isInstance(new Error("plain"))).toBe(false);
    // A structurally identical object from another copy carries the same global symbol.
    const foreign = Object.defineProperty(new Error("x"), Symbol.for("upgrade-guard.error"), { value: true });
    expect(UpgradeGuardError.isInstance(foreign)).toBe(true);
    expect(error.name).toBe("ConfigError");
    expect(error.code).toBe("CONFIG_MISSING");
  });

  it("redacts registered secrets and credential shapes from messages", () => {
    registerSecret("super-secret-key-value");
    const error = new ApiError({
      cloud: "cce",
      operation: "ShowPreCheck",
      httpStatus: 401,
      vendorCode: "APIGW.0301",
      vendorMessage:
        "bad Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc for super-secret-key-value",
      requestId: "req-1",
      category: "auth",
    });
    expect(error.message).not.toContain("super-secret-key-value");
    expect(error.message).not.toContain("Signature=abc");
    expect(error.vendorMessage).not.toContain("super-secret-key-value");
    expect(error.message).toContain("APIGW.0301");
    expect(error.message).toContain("req-1");
    expect(error.code).toBe("API_AUTH");
  });
});
