/**
 * The Flink SQL parser's worker thread (provider/emulator/sql/parser.ts), as the built package runs
 * it: an idle parser must not keep its process alive, even when nobody closes it.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const PARSER = path.resolve(__dirname, "../../dist/provider/emulator/sql/parser.js");

test("a parser that has answered and was never closed lets its process exit", () => {
  const script = `
    const { FlinkSqlParser } = require(${JSON.stringify(PARSER)});
    new FlinkSqlParser().analyze("SELECT 1").then((analysis) => console.log("parsed", analysis.kind));
  `;
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 15_000 });
  expect(child.stderr).toBe("");
  expect(child.stdout.trim()).toBe("parsed queryStatement");
  // Killed at the timeout (signal SIGTERM) when the worker keeps the event loop alive.
  expect(child.signal).toBeNull();
  expect(child.status).toBe(0);
});
