/**
 * Each kind's reference page holds the tables its definition generates. After changing a definition,
 * `UPDATE_KIND_DOCS=1 npx jest test/resources/kind-docs.test.ts` rewrites them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { KINDS } from "../../provider/kinds";
import { withTables } from "../../provider/kinds/docs";
import { execFileSync } from "node:child_process";

const ROOT = path.join(__dirname, "..", "..", "provider", "kinds");

describe("kind reference pages", () => {
  for (const [kind, definition] of Object.entries(KINDS)) {
    it(`${kind}: the generated tables match the definition`, () => {
      const folder = kind.replace(/(?<=[a-z])(?=[A-Z])/g, "-").toLowerCase();
      const file = path.join(ROOT, folder, "README.md");
      const page = fs.readFileSync(file, "utf8");
      // Formatted as `npm run format` would, so that lint and this test agree.
      const prettier = require.resolve("prettier/bin/prettier.cjs");
      const expected = execFileSync(process.execPath, [prettier, "--stdin-filepath", file], {
        input: withTables(page, definition),
        encoding: "utf8",
      });
      if (process.env.UPDATE_KIND_DOCS === "1") fs.writeFileSync(file, expected);
      else expect(page).toBe(expected);
    });
  }
});
