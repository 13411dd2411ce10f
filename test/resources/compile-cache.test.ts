/**
 * Loading the provider runtime turns on Node's compile cache, so the provider process of the next
 * preview, up or refresh does not compile the runtime, zod and undici again.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const RUNTIME = path.resolve(__dirname, "../../dist/provider/resources/runtime.js");

it("the built runtime enables the compile cache as it loads", () => {
  const script = `const m = require("node:module"); const before = m.getCompileCacheDir();
    require(${JSON.stringify(RUNTIME)}); console.log(JSON.stringify([before ?? null, m.getCompileCacheDir() ?? null]));`;
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const [before, after] = JSON.parse(
    execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8" }),
  );
  expect(before).toBeNull();
  expect(typeof after).toBe("string");
});
