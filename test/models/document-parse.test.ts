import { DocumentParseError, MAX_NESTING_DEPTH, parseDocumentText } from "../../provider/models";
import { CmfDocumentError, parseApplicationDocument } from "../../sdk/document";
import { ALIAS_BOMB } from "../support/hostile-documents";

const nestedJson = (levels: number) => `{"a":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;

function parseError(text: string, format: "json" | "yaml"): DocumentParseError {
  try {
    parseDocumentText(text, format);
  } catch (err) {
    if (err instanceof DocumentParseError) return err;
    throw err;
  }
  throw new Error("expected a DocumentParseError");
}

describe("parseDocumentText", () => {
  test("a YAML alias bomb is refused with the line of the first alias, not a bare ReferenceError", () => {
    const err = parseError(ALIAS_BOMB, "yaml");
    expect(err.message).toMatch(/aliases expand too much/);
    expect(err.line).toBe(5);
  });

  test("a recursive YAML alias is refused at once as a cycle", () => {
    const err = parseError("flinkApplicationDefaults: &d {spec: {d: *d}}\n", "yaml");
    expect(err.message).toMatch(/cycle/);
    expect(err.line).toBe(1);
  });

  test("nesting: 1,000 JSON levels are read, 1,001 and 5,000 are refused (JSON and YAML)", () => {
    expect(parseDocumentText(nestedJson(MAX_NESTING_DEPTH), "json")).toBeDefined();
    expect(parseDocumentText(nestedJson(200), "yaml")).toBeDefined();
    for (const levels of [MAX_NESTING_DEPTH + 1, 5000]) {
      expect(parseError(nestedJson(levels), "json").message).toMatch(
        /nested too deeply \(at most 1000 levels/,
      );
      /* The YAML reader's own recursion gives out earlier in flow style; still a clear refusal. */
      expect(parseError(nestedJson(levels), "yaml").message).toMatch(
        /nested too deeply \(at most 1000 levels/,
      );
    }
  });

  test("brackets inside JSON strings do not count as nesting", () => {
    const text = JSON.stringify({ s: "[".repeat(5000), t: '\\"{{{' });
    expect(parseDocumentText(text, "json")).toEqual({ s: "[".repeat(5000), t: '\\"{{{' });
  });

  test("shared anchors are fine; __proto__ and constructor keys are kept as own data", () => {
    const value = parseDocumentText(
      "a: &x {k: v}\nb: *x\n__proto__: {p: 1}\nconstructor: c\n",
      "yaml",
    ) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["a", "b", "__proto__", "constructor"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    const json = parseDocumentText('{"__proto__":{"p":1}}', "json") as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["__proto__"]);
  });

  test("malformed text keeps the parser's message and position", () => {
    expect(parseError("{", "json").message).toMatch(/^JSON parse error: /);
    const err = parseError("a: 1\na: 2\n", "yaml");
    expect(err.message).toMatch(/^YAML parse error: /);
    expect(err.line).toBe(2);
  });
});

describe("FlinkApplication documents (sdk/document.ts) use the same reader", () => {
  test("a recursive alias (which made `pulumi preview` hang) is a CmfDocumentError with the line", () => {
    const document = "metadata:\n  name: cyclic\nspec: &s {image: x, self: *s}\n";
    expect(() => parseApplicationDocument(document)).toThrow(CmfDocumentError);
    expect(() => parseApplicationDocument(document)).toThrow(/at line 3, column \d+: .*cycle/);
  });

  test("an alias bomb is a CmfDocumentError with the line, not a bare ReferenceError", () => {
    const document = `metadata:\n  name: bomb\nspec:\n${ALIAS_BOMB.split("\n").slice(3).join("\n")}`;
    expect(() => parseApplicationDocument(document)).toThrow(CmfDocumentError);
    expect(() => parseApplicationDocument(document)).toThrow(
      /at line 5, column \d+: aliases expand too much/,
    );
  });
});
