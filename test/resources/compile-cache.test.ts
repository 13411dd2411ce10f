/**
 * Loading `pulumi-cmf/provider` turns on Node's compile cache before the runtime bundle loads, so the
 * provider process of the next preview, up or refresh does not compile it again.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ENTRY = path.resolve(__dirname, "../../dist/provider/resources/provider.js");

it("the provider entry enables the compile cache before it loads the runtime bundle", () => {
  const script = `const m = require("node:module"); const before = m.getCompileCacheDir();
    let atBundle = null;
    const load = m.prototype.load;
    m.prototype.load = function (file) {
      if (file.endsWith("runtime.bundle.js")) atBundle = m.getCompileCacheDir() ?? null;
      return load.call(this, file);
    };
    require(${JSON.stringify(ENTRY)}); console.log(JSON.stringify([before ?? null, atBundle]));`;
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const [before, atBundle] = JSON.parse(
    execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8" }),
  );
  expect(before).toBeNull();
  expect(typeof atBundle).toBe("string");
});
