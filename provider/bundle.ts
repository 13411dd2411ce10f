/**
 * How pulumi-cmf bundles code that runs in a process Pulumi starts for every command: the dynamic
 * provider's runtime (`pulumi-cmf/provider`) and the `cmf` plugin. One file instead of hundreds of
 * modules (the runtime, zod, undici, yaml, the embedded emulator): a cold start resolves and reads one
 * file, and Node's compile cache keeps its compiled code between runs.
 */
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
      // readable, and a function sent to a worker as source text finds the `__name` it calls under
      // that name (see provider/emulator/sql/parser.ts).
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      legalComments: "external",
      define: options.define,
      // Never bundled: the SQL emulator's worker loads it by path (require.resolve, at run time).
      external: ["dt-sql-parser"],
      logLevel: "warning",
    })
    .finally(() => esbuild.stop());
}
