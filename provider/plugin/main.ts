/**
 * `pulumi-resource-cmf`: the process the Pulumi engine starts for the `cmf` package. It prints the port
 * of its gRPC server on its first line (the engine reads it), serves until the engine closes it, and
 * exits on its own if the engine goes away without doing so.
 *
 * The engine passes its own address as the first argument (newer engines also in Handshake, or in
 * Attach when a debugger started the plugin); it is where status messages go.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRootAbove } from "../package-root";
import { ProviderRuntime } from "../resources/runtime";
import { CmfPlugin } from "./provider";
import { packageSchema } from "./schema";
import { EngineLog, serve } from "./server";

/** Set by the bundler (provider/plugin/build.ts); a run from compiled sources reads package.json. */
declare const __CMF_PLUGIN_VERSION__: string | undefined;

function pluginVersion(): string {
  if (typeof __CMF_PLUGIN_VERSION__ === "string") return __CMF_PLUGIN_VERSION__;
  const root = packageRootAbove(__dirname);
  if (root) {
    return (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string })
      .version;
  }
  throw new Error("pulumi-resource-cmf: cannot tell its own version (no package.json above it)");
}

/** How often the process checks that the engine that started it is still alive. */
const PARENT_CHECK_MS = 1_000;
/** Longest a shutdown waits for calls in flight before exiting anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

async function main(argv: string[]): Promise<void> {
  const version = pluginVersion();
  const engine = new EngineLog();
  const engineAddress = argv.find((arg) => !arg.startsWith("-"));
  if (engineAddress) engine.connect(engineAddress);

  const plugin = new CmfPlugin(new ProviderRuntime(), (urn, message) => engine.status(urn, message));
  let schema: string | undefined;
  const { server, port } = await serve({
    version,
    schema: () => (schema ??= JSON.stringify(packageSchema(version))),
    plugin,
    engine,
  });

  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    engine.close();
    setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS).unref();
    server.tryShutdown(() => process.exit(code));
  };
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  // Printed once the handlers are in place: whoever reads the port may signal at once.
  process.stdout.write(`${port}\n`);
  // An engine that crashed or was killed never closes its plugins: when the parent is gone (this process
  // is re-parented), nobody can call any more.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop(0);
  }, PARENT_CHECK_MS).unref();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`pulumi-resource-cmf: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
