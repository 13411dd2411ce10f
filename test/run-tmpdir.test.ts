/**
 * `npm test` leaves no temporary files: Jest's global setup points TMPDIR at one folder of the run, which
 * every worker and process the tests start inherits, and the global teardown removes it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import globalSetup, { RUN_MARKER, RUN_TMPDIR } from "./support/process-leaks";
import globalTeardown from "./support/process-leaks-teardown";

const KEYS = [RUN_MARKER, RUN_TMPDIR, "TMPDIR"];
const saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));

afterEach(() => {
  for (const key of KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

it("puts the run's temporary folders in one folder that the teardown removes", async () => {
  const outer = os.tmpdir();
  globalSetup();
  const runDir = process.env[RUN_TMPDIR] ?? "";
  expect(path.dirname(runDir)).toBe(outer);

  // A process started with the run's environment, as Jest's workers and everything they start are (this
  // test's own os.tmpdir() reads the real environment, not Jest's copy of it).
  const made = execFileSync(
    process.execPath,
    ["-e", 'process.stdout.write(require("fs").mkdtempSync(require("os").tmpdir() + "/pulumi-cmf-probe-"))'],
    { env: { ...process.env }, encoding: "utf8" },
  );
  expect(made.startsWith(runDir + path.sep)).toBe(true);
  fs.writeFileSync(path.join(made, "state.json"), "{}");

  await globalTeardown();
  expect(fs.existsSync(runDir)).toBe(false);
});
