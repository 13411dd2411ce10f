import { z } from "zod";
import {
  formatIssues,
  formatPath,
  ModelValidationError,
  parseModel,
  parseModelOrThrow,
} from "../../provider/models";

describe("formatPath", () => {
  test.each([
    [["spec", "job", "args", 0], undefined, "spec.job.args[0]"],
    [
      ["spec", "flinkConfiguration", "taskmanager.numberOfTaskSlots"],
      undefined,
      "spec.flinkConfiguration[taskmanager.numberOfTaskSlots]",
    ],
    [["labels", "app.kubernetes.io/name"], "metadata", "metadata.labels[app.kubernetes.io/name]"],
    [["memory"], "spec.jobManager.resource", "spec.jobManager.resource.memory"],
    [[], "body", "body"],
  ])("%j with prefix %s → %s", (path, prefix, expected) => {
    expect(formatPath(path as PropertyKey[], prefix)).toBe(expected);
  });
});

describe("formatIssues and parseModel", () => {
  const schema = z.looseObject({
    name: z.string(),
    count: z.number().int().min(1).max(10),
    mode: z.enum(["a", "b"]),
    tags: z.array(z.string()).min(1),
    nested: z.object({ flag: z.boolean() }).optional(),
  });

  test("one '<field>: <reason>' line per problem, CMF-style wording", () => {
    const result = parseModel(schema, { count: 11.5, mode: "c", tags: [], nested: { flag: "yes" } });
    expect(result).toEqual({
      ok: false,
      messages: [
        "name: must not be null",
        "count: must be an integer (got number)",
        'mode: must be one of: a, b (got "c")',
        "tags: size must be at least 1",
        "nested.flag: must be a boolean (got string)",
      ],
    });
  });

  test("a prefix names the field the value came from", () => {
    expect(parseModel(schema.shape.count, 0, "spec.job.parallelism")).toEqual({
      ok: false,
      messages: ["spec.job.parallelism: must be greater than or equal to 1"],
    });
  });

  test("formatIssues works on a plain zod error too, and merges identical lines", () => {
    const error = z.object({ a: z.string() }).safeParse({ a: 1 }).error as z.ZodError;
    expect(formatIssues(error)).toEqual([`a: ${error.issues[0].message}`]);
    expect(formatIssues([...error.issues, ...error.issues], "x")).toHaveLength(1);
  });

  test("parseModelOrThrow throws a typed error listing every message", () => {
    expect(parseModelOrThrow(schema.shape.mode, "a", "mode")).toBe("a");
    try {
      parseModelOrThrow(schema, {}, "widget");
      throw new Error("not thrown");
    } catch (err) {
      expect(err).toBeInstanceOf(ModelValidationError);
      expect((err as ModelValidationError).messages).toContain("name: must not be null");
      expect((err as Error).message).toMatch(/^invalid widget:\n {2}name: must not be null/);
    }
  });
});
