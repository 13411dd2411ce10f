/**
 * `pulumi-cmf/provider` as the dynamic-provider process loads it: the runtime bundle (one file, built
 * by scripts/build.sh), in a fresh process, against the embedded emulator, creating what a CMF SQL
 * stack creates. The bundle carries the embedded emulator too, whose SQL parser runs functions in a
 * worker from their source text: this is where a bundler's helper inside such a function would show.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");

const SCRIPT = `
const fs = require("node:fs");
const read = [];
const readFileSync = fs.readFileSync;
fs.readFileSync = (file, ...rest) => (read.push(String(file)), readFileSync(file, ...rest));
const provider = require("pulumi-cmf/provider");
fs.readFileSync = readFileSync;
// What loading the provider read or required of its own files and of node_modules.
const mine = (f) =>
  f.startsWith(process.cwd() + "/") && (f.includes("/dist/") || f.includes("/node_modules/")) && !f.endsWith("package.json");
const filesAtLoad = [...new Set([...Object.keys(require.cache), ...read].filter(mine))].map((f) => f.slice(process.cwd().length + 1)).sort();
(async () => {
  await provider.configure({ config: { get: () => undefined } });
  const made = async (kind, news) => {
    const checked = await provider.check(kind, undefined, news);
    if (checked.failures && checked.failures.length) throw new Error(JSON.stringify(checked.failures));
    return (await provider.create(kind, checked.inputs)).outs;
  };
  const cluster = { jobManager: { resource: { cpu: 1, memory: "1024m" } }, taskManager: { resource: { cpu: 1, memory: "1024m" } } };
  await made("Environment", { name: "bundle-env", kubernetesNamespace: "ns", owner: "p/s/bundle-env" });
  await made("ComputePool", { environment: "bundle-env", name: "bundle-pool", owner: "p/s/bundle-pool", spec: { type: "DEDICATED", clusterSpec: cluster } });
  const ddl = await made("Statement", {
    environment: "bundle-env", name: "bundle-ddl", owner: "p/s/bundle-ddl",
    spec: { statement: "CREATE TABLE orders (id INT) WITH ('connector' = 'datagen')", computePoolName: "bundle-pool" },
  });
  console.log(JSON.stringify({ filesAtLoad, phase: ddl.phase, sqlKind: ddl.traits && ddl.traits.sqlKind }));
  process.exit(0);
})().catch((error) => { console.error(error && error.stack || error); process.exit(1); });
`;

it("the bundled runtime loads as one file and runs the CMF SQL kinds on the embedded emulator", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-bundle-"));
  try {
    const out = execFileSync(process.execPath, ["-e", SCRIPT], {
      cwd: REPO,
      env: { ...process.env, CMF_EMULATOR: path.join(dir, "emulator.json") },
      encoding: "utf8",
      timeout: 60_000,
    });
    const result = JSON.parse(out.trim().split("\n").pop() as string);
    expect(result.filesAtLoad).toEqual([
      "dist/provider/node-guard.js",
      "dist/provider/resources/compile-cache.js",
      "dist/provider/resources/provider.js",
      "dist/provider/resources/runtime.bundle.js",
    ]);
    expect(result.phase).toBe("COMPLETED");
    expect(result.sqlKind).toBe("CREATE_TABLE");
    // The embedded emulator keeps the statement's analysis for the next process, beside its data file.
    expect(fs.readdirSync(path.join(dir, "emulator.json.sql-analysis"))).toHaveLength(1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("leaves out what the provider never runs: undici's main module and zod's other languages", () => {
  // undici's main module loads fetch, WebSocket, every dispatcher, the caches and the mocks; the client
  // loads the Pool and its request directly. zod's locale catalogue is left out by the bundler.
  const bundle = fs.readFileSync(path.join(REPO, "dist/provider/resources/runtime.bundle.js"), "utf8");
  expect(bundle).toContain('"node_modules/undici/lib/dispatcher/pool.js"');
  expect(bundle).not.toContain('"node_modules/undici/index.js"');
  expect(bundle).not.toContain("Eingabe"); // zod's German messages ("Ungültige Eingabe")
  expect(bundle.length).toBeLessThan(1_600_000); // 2.2 MB with both
});
