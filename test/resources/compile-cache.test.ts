/**
 * Loading `pulumi-cmf/provider` turns on Node's compile cache before the runtime bundle loads, so the
 * provider process of the next preview, up or refresh does not compile it again.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
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

it("keeps the bundle's compiled code when the process ends by SIGINT, as the engine ends it", async () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-compile-cache-"));
  try {
    const child = spawn(
      process.execPath,
      ["-e", `require(${JSON.stringify(ENTRY)}); console.log("loaded"); setInterval(() => {}, 1000);`],
      { env: { ...process.env, NODE_COMPILE_CACHE: cache }, stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("loaded") && resolve());
      child.on("exit", (code) => reject(new Error(`the provider entry exited early (${code})`)));
    });
    child.kill("SIGINT");
    expect(await exited).toBeDefined();
    // The runtime bundle's code cache is some 400 KB; the entry's other modules take a few KB.
    const sizes = fs
      .readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => fs.statSync(path.join(entry.parentPath, entry.name)).size);
    expect(Math.max(0, ...sizes)).toBeGreaterThan(100_000);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
