/**
 * Every test file runs in exactly one Jest project (unit, emulator-contract, engine), so that
 * `npm run test:unit` + `test:contract` + `test:engine` is `npm test`, and a new folder cannot fall
 * through the globs unnoticed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { globsToMatcher } from "jest-util";

const REPO = path.resolve(__dirname, "..");
const config = require(path.join(REPO, "jest.config.js")) as {
  projects: { displayName: string; testMatch: string[] }[];
};

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("jest projects", () => {
  const matchers = config.projects.map((p) => ({ name: p.displayName, match: globsToMatcher(p.testMatch) }));

  it("are unit, emulator-contract and engine", () => {
    expect(matchers.map((m) => m.name)).toEqual(["unit", "emulator-contract", "engine"]);
  });

  it("place every test file in exactly one project", () => {
    const files = testFiles(path.join(REPO, "test"));
    expect(files.length).toBeGreaterThan(30);
    const placement = files.map((file) => [
      path.relative(REPO, file),
      matchers.filter((m) => m.match(file)).map((m) => m.name),
    ]);
    expect(placement.filter(([, projects]) => projects.length !== 1)).toEqual([]);
    const project = (file: string) => placement.find(([f]) => f === file)?.[1];
    expect(project("test/models/names.test.ts")).toEqual(["unit"]);
    expect(project("test/examples/kubernetes.test.ts")).toEqual(["unit"]);
    expect(project("test/examples/flink-sql.test.ts")).toEqual(["engine"]);
    expect(project("test/emulator/listing.test.ts")).toEqual(["emulator-contract"]);
    expect(project("test/sdk/lookups.test.ts")).toEqual(["emulator-contract"]);
    expect(project("test/resources/engine-lifecycle.test.ts")).toEqual(["engine"]);
    expect(project("test/e2e/demo.test.ts")).toEqual(["engine"]);
  });
});
