import {
  APPLICATION_NAME,
  ApplicationNameSchema,
  applicationNameProblems,
  ENVIRONMENT_NAME,
  environmentNameProblems,
  isValidApplicationName,
  isValidEnvironmentName,
  kubernetesNameProblems,
  parseModel,
} from "../../provider/models";

describe("name rules", () => {
  test.each([
    ["prod", true, true],
    ["flink-prod-eu", true, true],
    ["prod.eu", true, false],
    ["1prod", true, false],
    ["abc", false, false],
    ["Prod", false, false],
    ["prod-", false, false],
    ["prod_eu", false, false],
    [`a${"b".repeat(44)}`, true, true],
    [`a${"b".repeat(45)}`, true, false],
  ])("%s: environment %s, application %s", (name, env, app) => {
    expect(isValidEnvironmentName(name)).toBe(env);
    expect(isValidApplicationName(name)).toBe(app);
  });

  test("problems are worded like CMF's bean-validation messages", () => {
    expect(environmentNameProblems("ab")).toEqual(["size must be between 4 and 2147483647"]);
    expect(environmentNameProblems("A_b")).toEqual([
      "size must be between 4 and 2147483647",
      `must match "${ENVIRONMENT_NAME.pattern.source}"`,
    ]);
    expect(applicationNameProblems("9lives")).toEqual([`must match "${APPLICATION_NAME.pattern.source}"`]);
    expect(kubernetesNameProblems("")).toEqual([
      "size must be between 1 and 253",
      expect.stringMatching(/^must match/),
    ]);
  });

  test("non-strings are never valid names", () => {
    expect(isValidEnvironmentName(1234)).toBe(false);
    expect(isValidApplicationName(undefined)).toBe(false);
  });

  test("the zod schema reports each broken rule", () => {
    expect(parseModel(ApplicationNameSchema, "A.b", "metadata.name")).toEqual({
      ok: false,
      messages: [
        "metadata.name: size must be between 4 and 45",
        `metadata.name: must match "${APPLICATION_NAME.pattern.source}"`,
      ],
    });
  });
});
