/**
 * The runtime bundle's code cache (provider/resources/compile-cache.ts): taken after operations ran, so
 * that it holds the functions they compiled; read back by the next process; written again only when a
 * process ran an operation it did not cover; never read from a file another user owns. Loads that must
 * consume a cache run in fresh processes (one Node process would answer from its own memory).
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BundleCodeCache } from "../../provider/resources/compile-cache";

const REPO = path.resolve(__dirname, "../..");
const COMPILED = path.join(REPO, "dist/provider/resources/compile-cache.js");
const ENTRY = path.join(REPO, "dist/provider/resources/provider.js");

const BUNDLE = `"use strict";
const path = require("node:path");
exports.where = () => [path.basename(__filename), path.basename(__dirname), typeof module.exports.run];
exports.run = async (op) => {
  const shout = (text) => text.toUpperCase() + "!";
  return shout(op);
};
`;

let dir: string;
let bundle: string;
let cacheDir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-code-cache-"));
  fs.mkdirSync(path.join(dir, "dist"));
  bundle = path.join(dir, "dist", "fixture.bundle.js");
  fs.writeFileSync(bundle, BUNDLE);
  cacheDir = path.join(dir, "cache");
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface ChildRun {
  status: string;
  file: string;
  answers: string[];
}

/** A fresh process: loads the bundle through the cache, runs `ops` (one key each), lets the cache save. */
function runInChild(ops: string[], env: NodeJS.ProcessEnv = {}): ChildRun {
  const script = `const { BundleCodeCache } = require(${JSON.stringify(COMPILED)});
    const cache = new BundleCodeCache({ dir: ${JSON.stringify(cacheDir)} });
    const bundle = cache.load(${JSON.stringify(bundle)});
    (async () => {
      const answers = [];
      for (const op of ${JSON.stringify(ops)}) answers.push(await cache.track(() => op, () => bundle.run(op)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      console.log(JSON.stringify({ status: cache.status, file: cache.file, answers }));
    })();`;
  const out = execFileSync(process.execPath, ["-e", script], {
    env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", ...env },
    encoding: "utf8",
  });
  return JSON.parse(out) as ChildRun;
}

const header = (file: string): unknown => JSON.parse(fs.readFileSync(file).toString("latin1").split("\n")[1]);

it("runs the bundle as CommonJS, with its own __filename, __dirname, require and module", () => {
  const cache = new BundleCodeCache({ dir: cacheDir, env: {} });
  const loaded = cache.load(bundle) as { where: () => unknown };
  expect(loaded.where()).toEqual(["fixture.bundle.js", "dist", "function"]);
  expect(cache.status).toBe("none");
  // Nothing is written before an operation has run.
  expect(fs.existsSync(cacheDir)).toBe(false);
});

it("writes the cache once an operation has run, and the next process loads it", () => {
  const first = runInChild(["read:Application"]);
  expect(first).toMatchObject({ status: "none", answers: ["READ:APPLICATION!"] });
  expect(header(first.file)).toEqual({ covered: ["read:Application"], crc: expect.any(Number) });
  expect((fs.statSync(first.file).mode & 0o777).toString(8)).toBe("600");

  const second = runInChild(["read:Application"]);
  expect(second).toMatchObject({ status: "loaded", file: first.file, answers: ["READ:APPLICATION!"] });
});

it("is written again only by a process that ran an operation it did not cover", () => {
  const { file } = runInChild(["read:Application"]);
  const written = fs.readFileSync(file);
  fs.utimesSync(file, new Date(0), new Date(0));

  runInChild(["read:Application", "read:Application"]);
  expect(fs.statSync(file).mtimeMs).toBe(0);
  expect(fs.readFileSync(file).equals(written)).toBe(true);

  runInChild(["read:Application", "diff:Statement"]);
  expect(fs.statSync(file).mtimeMs).toBeGreaterThan(0);
  expect(header(file)).toMatchObject({ covered: ["diff:Statement", "read:Application"] });
});

it.each([
  // V8 trusts the data past its own header: given these, it ends the process ("unreachable code").
  ["damaged code", (bytes: Buffer) => bytes.fill(0x55, bytes.indexOf(10, bytes.indexOf(10) + 1) + 33)],
  ["a cut file", (bytes: Buffer) => bytes.subarray(0, bytes.length - 100)],
  ["not a cache", () => Buffer.from("not a cache")],
])("recompiles from %s, and replaces it", (_, damage) => {
  const { file } = runInChild(["read:Application"]);
  fs.writeFileSync(file, damage(fs.readFileSync(file)), { mode: 0o600 });

  expect(runInChild(["read:Application"])).toMatchObject({
    status: "rejected",
    answers: ["READ:APPLICATION!"],
  });
  expect(runInChild(["read:Application"]).status).toBe("loaded");
});

it("keeps a cache per bundle content, and per set of Node options", () => {
  const before = runInChild(["read:Application"]).file;
  fs.appendFileSync(bundle, "exports.more = 1;\n");
  const after = runInChild(["read:Application"]);
  expect(after.status).toBe("none");
  expect(after.file).not.toBe(before);

  // Options that change V8's flags make V8 reject a cache made without them, and the other way round.
  const withFlags = runInChild(["read:Application"], { NODE_OPTIONS: "--max-semi-space-size=32" });
  expect(withFlags.status).toBe("none");
  expect(withFlags.file).not.toBe(after.file);
  expect(runInChild(["read:Application"], { NODE_OPTIONS: "--max-semi-space-size=32" }).status).toBe(
    "loaded",
  );
  expect(runInChild(["read:Application"]).status).toBe("loaded");
});

it("is off with NODE_DISABLE_COMPILE_CACHE, as Node's compile cache is", () => {
  expect(runInChild(["read:Application"], { NODE_DISABLE_COMPILE_CACHE: "1" }).status).toBe("off");
  expect(fs.existsSync(cacheDir)).toBe(false);
});

// Only root can give a file to another user.
(process.getuid?.() === 0 ? it : it.skip)("never reads a cache file another user owns", () => {
  const { file } = runInChild(["read:Application"]);
  fs.chownSync(file, 4321, 4321);
  expect(runInChild(["read:Application"]).status).toBe("none");
});

it("the provider entry writes the cache before the engine ends it (by SIGINT)", async () => {
  const run = async (ops: string): Promise<void> => {
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const provider = require(${JSON.stringify(ENTRY)});
        (async () => {
          await provider.configure({ config: { get: () => undefined } });
          const news = { name: "cache-env", kubernetesNamespace: "ns", owner: "p/s/cache-env" };
          const { inputs } = await provider.check("Environment", undefined, news);
          ${ops}
          console.log("done");
        })();
        setInterval(() => {}, 1000);`,
      ],
      {
        env: {
          ...process.env,
          NODE_COMPILE_CACHE: cacheDir,
          NODE_DISABLE_COMPILE_CACHE: "",
          CMF_EMULATOR: path.join(dir, "emulator.json"),
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("done") && resolve());
      child.on("exit", (code) => reject(new Error(`the provider entry exited early (${code})`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill("SIGINT");
    await exited;
  };
  const files = () =>
    fs.readdirSync(path.join(cacheDir, "pulumi-cmf")).map((f) => path.join(cacheDir, "pulumi-cmf", f));

  await run(`await provider.create("Environment", inputs);`);
  const [file] = files();
  expect(path.basename(file)).toMatch(/^runtime\.bundle-v[\d.]+-\w+-[0-9a-f]+-\d+-[0-9a-f]+\.bin$/);
  expect(header(file)).toMatchObject({
    covered: ["check:Environment", "configure", "create:Environment+emulator"],
  });
  // The runtime's code, with the functions those operations ran: Node's own cache held ~0.4 MB.
  expect(fs.statSync(file).size).toBeGreaterThan(500_000);

  // Covered, so not written again (which also shows that the cache was accepted: a rejected one covers
  // nothing).
  fs.utimesSync(file, new Date(0), new Date(0));
  await run("");
  expect(fs.statSync(file).mtimeMs).toBe(0);

  await run(`await provider.read("Environment", "cache-env", { name: "cache-env" });`);
  expect(header(file)).toMatchObject({
    covered: ["check:Environment", "configure", "create:Environment+emulator", "read:Environment+emulator"],
  });
  expect(files()).toEqual([file]);
});
