// rewriteErrorText: the one walk over an error's text that redaction (provider) and secret-argument
// masking (SDK) share.
import { errorChain, rewriteErrorText } from "../../src/internal/error-text";
import { redactError } from "../../src/pulumi/shared/redaction";

const upper = (text: string): string => text.replace(/secret-\w+/g, "[gone]");

describe("rewriteErrorText", () => {
  it("rewrites message, stack and own string fields along the causes, keeping class and non-strings", () => {
    const cause = Object.assign(new TypeError("inner secret-b"), { requestId: "r secret-c", status: 403 });
    const error = Object.assign(new RangeError("outer secret-a", { cause }), { vendorMessage: "v secret-d" });
    expect(rewriteErrorText(error, upper)).toBe(error);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("outer [gone]");
    expect(error.stack).not.toContain("secret-a");
    expect(error.vendorMessage).toBe("v [gone]");
    expect(Object.keys(error)).toEqual(["vendorMessage"]); // message and stack stay non-enumerable
    expect(cause.message).toBe("inner [gone]");
    expect(cause.requestId).toBe("r [gone]");
    expect(cause.status).toBe(403);
  });

  it("rewrites a thrown string, passes other values through, and stops on a looping chain", () => {
    expect(rewriteErrorText("x secret-a", upper)).toBe("x [gone]");
    const value = { message: "secret-a" };
    expect(rewriteErrorText(value, upper)).toEqual({ message: "secret-a" });
    const a = new Error("a secret-a");
    const b = new Error("b secret-b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect([...errorChain(a)].length).toBe(8);
    rewriteErrorText(a, upper);
    expect([a.message, b.message]).toEqual(["a [gone]", "b [gone]"]);
  });

  it("leaves a frozen error as it is instead of throwing", () => {
    const frozen = Object.freeze(new Error("secret-a"));
    expect(() => rewriteErrorText(frozen, upper)).not.toThrow();
    expect(frozen.message).toBe("secret-a");
  });
});

describe("redactError", () => {
  it("redacts a library error's own string fields too, not only its message", () => {
    const secret = "planted-" + "z".repeat(16);
    const error = Object.assign(new Error("failed"), { detail: `sent {"password": "${secret}"}` });
    redactError(error);
    expect(error.detail).toContain("password");
    expect(error.detail).not.toContain(secret);
  });
});
