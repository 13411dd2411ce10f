/**
 * On a Node.js older than 22.19 (this machine's /usr/bin/node is 20), every entry point of the built
 * package stops at once with one clear sentence, never with a crash inside undici.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureBuilt } from "../support/fixture-project";
import { nodeVersionSupported, unsupportedNodeMessage } from "../../provider/node-guard";

const REPO = path.resolve(__dirname, "../..");
const OLD_NODE = "/usr/bin/node";

function oldNodeVersion(): string | undefined {
  if (!fs.existsSync(OLD_NODE)) return undefined;
  const version = execFileSync(OLD_NODE, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
  return nodeVersionSupported(version) ? undefined : version;
}

describe("the Node.js version guard", () => {
  it("accepts 22.19 and later, refuses older", () => {
    expect(["22.19.0", "22.23.3", "23.0.0", "24.1.0"].every(nodeVersionSupported)).toBe(true);
    expect(["22.18.9", "20.20.2", "18.0.0", "2.0.0"].some(nodeVersionSupported)).toBe(false);
    expect(unsupportedNodeMessage("20.20.2")).toBe("pulumi-cmf needs Node.js >= 22.19 (found v20.20.2)");
  });

  const version = oldNodeVersion();
  const withOldNode = version ? describe : describe.skip;
  if (!version) console.warn(`SKIPPED: no Node.js older than 22.19 at ${OLD_NODE}`);

  withOldNode(`under ${OLD_NODE} (v${version})`, () => {
    beforeAll(() => ensureBuilt());
    const expected = `pulumi-cmf needs Node.js >= 22.19 (found v${version})`;

    it.each([
      "dist/sdk/index.js",
      "dist/provider/resources/runtime.js",
      "dist/provider/resources/provider.js",
      "dist/provider/client/index.js",
      "dist/provider/emulator/index.js",
    ])("%s throws it when loaded", (entry) => {
      const run = spawnSync(OLD_NODE, ["-e", `require(${JSON.stringify(path.join(REPO, entry))})`], {
        encoding: "utf8",
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`Error: ${expected}`);
      expect(run.stderr).not.toMatch(/undici|bind/);
    });

    it("the emulator's command line says it and exits 1", () => {
      const run = spawnSync(OLD_NODE, [path.join(REPO, "dist/provider/emulator/cli.js"), "--port", "0"], {
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`cmf-emulator: ${expected}\n`);
    });
  });
});
