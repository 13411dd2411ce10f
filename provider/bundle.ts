/**
 * How pulumi-cmf bundles code that runs in a process Pulumi starts for every command: the dynamic
 * provider's runtime (`pulumi-cmf/provider`) and the `cmf` plugin. One file instead of hundreds of
 * modules (the runtime, zod, undici, yaml, the embedded emulator): a cold start resolves and reads one
 * file, and Node's compile cache keeps its compiled code between runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FLINK_GRAMMAR_FILE } from "./emulator/sql/parser";

export interface BundleOptions {
  entry: string;
  outfile: string;
  /** Compile-time constants, e.g. the plugin's version. */
  define?: Record<string, string>;
}

/** Bundles `entry` into `outfile` (CommonJS, Node 22; esbuild, about a second). */
export async function bundleForNode(options: BundleOptions): Promise<void> {
  const esbuild = require("esbuild") as typeof import("esbuild");
  // esbuild's API keeps a service process alive for later builds; one build is all a caller does, so
  // end it (a test run that bundles would otherwise leave it behind).
  await esbuild
    .build({
      entryPoints: [options.entry],
      outfile: options.outfile,
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      // Identifiers are kept: error classes name themselves from their constructor (`new.target.name`,
      // which keepNames also protects from esbuild's renaming of clashing names), stack traces stay
      // readable, a function sent to a worker as source text finds the `__name` it calls under that
      // name (see provider/emulator/sql/parser.ts), and the SQL analysis can name parse-tree nodes by
      // their classes (provider/emulator/sql/analysis.ts) in the grammar's bundle.
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      legalComments: "external",
      define: options.define,
      plugins: [withoutZodLocales],
      logLevel: "warning",
    })
    .finally(() => esbuild.stop());
}

/**
 * zod re-exports its messages in some fifty languages (`z.locales`, 300 KB, ~10 ms to evaluate at every
 * start); pulumi-cmf words its own messages and never switches zod's language. English, zod's default,
 * is loaded by zod's schemas module itself, so only the catalogue of the others is left out.
 */
const withoutZodLocales: import("esbuild").Plugin = {
  name: "without-zod-locales",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: "zod-locales", namespace: "without-zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "without-zod-locales" }, () => ({
      contents: "export {};",
      loader: "js",
    }));
  },
};

/**
 * The emulator's Flink SQL grammar (dt-sql-parser's Flink dialect and the ANTLR runtime) as one CommonJS
 * file, `<outDir>/${FLINK_GRAMMAR_FILE}`, with its licenses beside it. The parser worker loads it by path
 * (provider/emulator/sql/parser.ts), so it ships next to what runs the emulator: dist/ and the plugin.
 * Bundled because the package's ES modules use extensionless imports Node cannot load without a resolve
 * hook, and the hook plus the module graph made the load ~0.3 s where the bundle takes ~0.2 s (measured).
 * The Flink dialect alone: the package's main entry also holds MySQL, Spark, Hive, Trino, Impala and
 * PostgreSQL grammars (18 MB of its 20). dt-sql-parser is pinned, and needed at build time only.
 */
export async function bundleFlinkGrammar(outDir: string): Promise<void> {
  const outfile = path.join(outDir, FLINK_GRAMMAR_FILE);
  await bundleForNode({ entry: require.resolve("dt-sql-parser/dist/parser/flink/index.js"), outfile });
  const parserDir = packageDir("dt-sql-parser", __dirname);
  const licenses = [
    ["dt-sql-parser", path.join(parserDir, "LICENSE")],
    ["antlr4ng", path.join(packageDir("antlr4ng", parserDir), "LICENSE.txt")],
  ].map(([name, file]) => `${name}:\n\n${fs.readFileSync(file, "utf8").trim()}\n`);
  fs.writeFileSync(outfile.replace(/\.js$/, ".LICENSES.txt"), licenses.join("\n"));
}

/** The folder of package `name` as resolved from `from` (its `exports` may hide its package.json). */
function packageDir(name: string, from: string): string {
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  while (!fs.existsSync(path.join(dir, "package.json")) || !dir.endsWith(path.join("node_modules", name))) {
    if (dir === path.dirname(dir)) throw new Error(`bundle: no folder for package ${name}`);
    dir = path.dirname(dir);
  }
  return dir;
}
