import { z } from "zod";
import { FlinkApplicationSchema } from "../../provider/models";
import { ResponseValidator } from "../../provider/client/response-validation";

function counted<T extends z.ZodType>(schema: T): { schema: T; calls: () => number } {
  let calls = 0;
  const wrapped = schema.check(() => {
    calls++;
  }) as T;
  return { schema: wrapped, calls: () => calls };
}

const Named = z.looseObject({ name: z.string(), size: z.number().optional() });

function validate(validator: ResponseValidator, schema: z.ZodType, path: string, value: unknown) {
  const text = JSON.stringify(value);
  return validator.validate(schema, path, text, JSON.parse(text));
}

describe("ResponseValidator", () => {
  it("validates with the model schema and names the failing field", () => {
    const result = validate(new ResponseValidator(), FlinkApplicationSchema, "/a", {
      apiVersion: "v1",
      kind: "X",
      spec: {},
    });
    expect(result).toEqual({ ok: false, issues: ["metadata: must not be null"] });
  });

  it("skips zod for the same bytes from the same path, returning a fresh object each time", () => {
    const { schema, calls } = counted(Named);
    const validator = new ResponseValidator();
    const first = validate(validator, schema, "/envs/a", { name: "a", extra: { kept: true } });
    const second = validate(validator, schema, "/envs/a", { name: "a", extra: { kept: true } });
    expect(calls()).toBe(1);
    expect(first).toEqual({ ok: true, value: { name: "a", extra: { kept: true } } });
    expect(second).toEqual(first);
    if (!first.ok || !second.ok) throw new Error("expected success");
    expect(second.value).not.toBe(first.value);
  });

  it("validates again when the bytes, the path or the schema differ", () => {
    const { schema, calls } = counted(Named);
    const validator = new ResponseValidator();
    validate(validator, schema, "/envs/a", { name: "a" });
    validate(validator, schema, "/envs/a", { name: "a", size: 1 });
    validate(validator, schema, "/envs/b", { name: "a", size: 1 });
    expect(calls()).toBe(3);
    const other = counted(Named);
    validate(validator, other.schema, "/envs/b", { name: "a", size: 1 });
    expect(other.calls()).toBe(1);
    expect(validate(validator, schema, "/envs/a", { name: 7 })).toEqual({
      ok: false,
      issues: ["name: must be a string (got number)"],
    });
  });

  it("never shortcuts a schema that changes the document (defaults)", () => {
    const { schema, calls } = counted(z.looseObject({ items: z.array(z.string()).default([]) }));
    const validator = new ResponseValidator();
    expect(validate(validator, schema, "/p", {})).toEqual({ ok: true, value: { items: [] } });
    expect(validate(validator, schema, "/p", {})).toEqual({ ok: true, value: { items: [] } });
    expect(calls()).toBe(2);
  });

  it("remembers a bounded number of paths, forgetting the oldest", () => {
    const { schema, calls } = counted(Named);
    const validator = new ResponseValidator();
    for (let i = 0; i <= 128; i++) validate(validator, schema, `/envs/${i}`, { name: "a" });
    expect(calls()).toBe(129);
    validate(validator, schema, "/envs/128", { name: "a" });
    expect(calls()).toBe(129);
    validate(validator, schema, "/envs/0", { name: "a" });
    expect(calls()).toBe(130);
  });

  it("does not remember huge bodies", () => {
    const { schema, calls } = counted(Named);
    const validator = new ResponseValidator();
    const big = { name: "a", blob: "x".repeat(40_000) };
    validate(validator, schema, "/big", big);
    validate(validator, schema, "/big", big);
    expect(calls()).toBe(2);
  });
});
