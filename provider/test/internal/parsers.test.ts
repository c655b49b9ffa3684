import { z } from "zod";
import { compiledSchema, parserFor } from "../../src/internal/validate";

describe("parserFor: a schema is compiled once it is in steady use", () => {
  const schema = z.looseObject({ id: z.string().min(1), at: z.number().optional() });

  it("answers with the runtime parser for the first 99 parses, then with the compiled one, kept", () => {
    const parsers = Array.from({ length: 120 }, () => parserFor(schema));
    expect(parsers.slice(0, 99).every((parser) => parser === schema)).toBe(true);
    const compiled = parsers[99];
    expect(compiled).not.toBe(schema);
    expect(compiled).toBe(compiledSchema(schema));
    expect(parsers.slice(99).every((parser) => parser === compiled)).toBe(true);
  });

  it("the compiled parser answers as the runtime does, refusals with the same issues", () => {
    const compiled = compiledSchema(schema);
    for (const input of [{ id: "a", extra: 1 }, { id: "" }, { id: 3 }, null, { id: "b", at: "x" }]) {
      const fast = compiled.safeParse(input);
      const slow = schema.safeParse(input);
      expect(fast.success).toBe(slow.success);
      if (fast.success && slow.success) expect(fast.data).toEqual(slow.data);
      else expect(fast.error?.issues).toEqual(slow.error?.issues);
    }
  });

  it("counts each schema on its own", () => {
    const other = z.strictObject({ name: z.string() });
    expect(parserFor(other)).toBe(other);
  });
});
