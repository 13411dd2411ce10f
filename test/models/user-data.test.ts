import { z } from "zod";
import { parseUserModel, StringMapSchema } from "../../provider/models";
import { project, prune, stringifyScalarValues } from "../../provider/resources/normalize";

const proto = (json: string) => JSON.parse(json) as Record<string, unknown>;

describe("user maps keep __proto__ keys (issue #10 item 1)", () => {
  test("parseUserModel keeps and validates __proto__ keys at any depth; other keys cannot collide", () => {
    const schema = z.looseObject({ labels: StringMapSchema, spec: z.record(z.string(), z.unknown()) });
    const input = proto(
      '{"labels":{"__proto__":"a","\\u0000__proto__":"b"},"spec":{"x":{"__proto__":{"y":1}}}}',
    );
    const parsed = parseUserModel(schema, input);
    expect(parsed).toEqual({ ok: true, value: input });
    if (parsed.ok) expect(Object.keys(parsed.value.labels)).toEqual(["__proto__", "\u0000__proto__"]);
    expect(parseUserModel(schema, proto('{"labels":{"__proto__":1},"spec":{}}'))).toEqual({
      ok: false,
      messages: ["labels.__proto__: must be a string (got number)"],
    });
  });

  test("the provider's value shaping keeps __proto__ as a key and reads only own keys", () => {
    expect(Object.keys(prune(proto('{"__proto__":{"a":1}}')) as object)).toEqual(["__proto__"]);
    expect(Object.keys(stringifyScalarValues(proto('{"__proto__":2}')) as object)).toEqual(["__proto__"]);
    /* A declared `constructor` label the server lacks is missing, not Object. */
    expect(project({ labels: {} }, { labels: { constructor: "x" } }, [])).toBeUndefined();
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });
});
