/**
 * Builds the `cmf` plugin as users install it:
 *
 *   node dist/provider/plugin/build.js [--out dist/plugin] [--archive] [--schema <file>]
 *
 * - `<out>/bin/`: `pulumi-resource-cmf` (a launcher running Node.js on the bundle), its Windows twin
 *   and `pulumi-resource-cmf.js`, one file holding the plugin and everything it loads (gRPC, protos,
 *   the client, the embedded emulator): a cold start parses one file instead of resolving hundreds of
 *   modules. Beside it, the embedded emulator's Flink SQL grammar (`flink-sql-grammar.js`, loaded by its
 *   parser worker) and that bundle's licenses. Put `<out>/bin` on PATH, or name it in Pulumi.yaml
 *   `plugins.providers[].path`.
 * - `--archive`: `<out>/pulumi-resource-cmf-v<version>.tar.gz`, for
 *   `pulumi plugin install resource cmf <version> --file <archive>`.
 * - `--schema <file>`: the package schema (what `pulumi package get-schema cmf` prints).
 * - `--sdk <dir>`: regenerates `<dir>/python` and `<dir>/go` from the schema with the Go tool in
 *   provider/plugin/codegen (needs Go; its module cache is the one scripts/pulumi-cli.sh fills).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundleFlinkGrammar, bundleForNode } from "../bundle";
import { packageRootAbove } from "../package-root";

/** The checkout: the nearest folder above holding package.json (sources and `dist/` alike). */
function repoRoot(): string {
  const root = packageRootAbove(__dirname);
  if (!root) throw new Error("build: no package.json above " + __dirname);
  return root;
}

const REPO = repoRoot();

export const PLUGIN_BINARY = "pulumi-resource-cmf";

const LAUNCHER = `#!/bin/sh
# The cmf Pulumi provider plugin: Node.js >= 22 (PULUMI_CMF_NODE, else \`node\` on PATH) running the bundle
# next to this file. exec keeps the engine as the parent, so the plugin notices when the engine is gone.
# Node's compile cache keeps the bundle's compiled code between runs (a faster start from the second).
here=$(dirname "$0")
: "\${NODE_COMPILE_CACHE:=\${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cmf/node-compile-cache}"
export NODE_COMPILE_CACHE
exec "\${PULUMI_CMF_NODE:-node}" "$here/${PLUGIN_BINARY}.js" "$@"
`;

const WINDOWS_LAUNCHER = `@echo off\r\nif defined PULUMI_CMF_NODE (set "CMF_NODE=%PULUMI_CMF_NODE%") else (set "CMF_NODE=node")\r\n"%CMF_NODE%" "%~dp0${PLUGIN_BINARY}.js" %*\r\n`;

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string })
    .version;
}

export interface BuiltPlugin {
  binDir: string;
  version: string;
  bundleBytes: number;
}

/** Bundles the plugin into `<outDir>/bin` (esbuild: about a second). */
export async function buildPlugin(outDir: string): Promise<BuiltPlugin> {
  const version = packageVersion();
  const binDir = path.join(outDir, "bin");
  fs.mkdirSync(binDir, { recursive: true });
  const bundle = path.join(binDir, `${PLUGIN_BINARY}.js`);
  await bundleForNode({
    entry: path.join(REPO, "provider", "plugin", "main.ts"),
    outfile: bundle,
    define: { __CMF_PLUGIN_VERSION__: JSON.stringify(version) },
  });
  // Its embedded emulator's SQL parser loads the grammar from beside the bundle.
  await bundleFlinkGrammar(binDir);
  fs.writeFileSync(path.join(binDir, PLUGIN_BINARY), LAUNCHER, { mode: 0o755 });
  fs.writeFileSync(path.join(binDir, `${PLUGIN_BINARY}.cmd`), WINDOWS_LAUNCHER);
  return { binDir, version, bundleBytes: fs.statSync(bundle).size };
}

/** The archive `pulumi plugin install resource cmf <version> --file` takes: the plugin's files at its root. */
export function archivePlugin(built: BuiltPlugin, outDir: string): string {
  const archive = path.join(outDir, `${PLUGIN_BINARY}-v${built.version}.tar.gz`);
  const files = fs.readdirSync(built.binDir).sort();
  execFileSync("tar", ["-czf", archive, "-C", built.binDir, ...files]);
  return archive;
}

export function writeSchema(file: string): void {
  const { packageSchema } = require("./schema") as typeof import("./schema");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(packageSchema(packageVersion()), null, 2)}\n`);
}

/** Python and Go SDKs from the schema, through `pkg/v3/codegen` (see provider/plugin/codegen/main.go). */
export function generateSdks(sdkDir: string, schemaFile: string): void {
  execFileSync("go", ["run", ".", "-schema", schemaFile, "-out", sdkDir], {
    cwd: path.join(REPO, "provider", "plugin", "codegen"),
    stdio: "inherit",
    env: { ...process.env, GOTOOLCHAIN: "local" },
  });
}

async function cli(argv: string[]): Promise<void> {
  let out = path.join(REPO, "dist", "plugin");
  let archive = false;
  let schema: string | undefined;
  let sdk: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--out" && argv[i + 1]) out = path.resolve(argv[++i]);
    else if (flag === "--archive") archive = true;
    else if (flag === "--schema" && argv[i + 1]) schema = path.resolve(argv[++i]);
    else if (flag === "--sdk" && argv[i + 1]) sdk = path.resolve(argv[++i]);
    else {
      throw new Error(
        `build: unknown argument ${flag} (flags: --out <dir>, --archive, --schema <file>, --sdk <dir>)`,
      );
    }
  }
  const built = await buildPlugin(out);
  process.stdout.write(
    `plugin ${built.version}: ${built.binDir} (bundle ${Math.round(built.bundleBytes / 1024)} KiB)\n`,
  );
  if (archive) process.stdout.write(`archive: ${archivePlugin(built, out)}\n`);
  if (schema || sdk) {
    const file = schema ?? path.join(out, "schema.json");
    writeSchema(file);
    process.stdout.write(`schema: ${file}\n`);
    if (sdk) {
      generateSdks(sdk, file);
      process.stdout.write(`sdks: ${path.join(sdk, "python")}, ${path.join(sdk, "go")}\n`);
    }
  }
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
