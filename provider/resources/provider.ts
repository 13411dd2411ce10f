/**
 * `pulumi-cmf/provider` as the dynamic-provider process loads it (package.json `exports`): the runtime
 * (`./runtime.ts`, with zod, undici, yaml and the embedded emulator) bundled into one file by
 * `scripts/build.sh`. That process starts afresh for every `pulumi preview`, `up` and `refresh`;
 * resolving and reading one file instead of some three hundred modules, with a code cache of what earlier
 * runs compiled (`./compile-cache.ts`), is most of what it saves (npm run bench -- --only profile).
 */
import "../node-guard"; // first: fails at once, and clearly, on an unsupported Node.js
import * as path from "node:path";
import { BundleCodeCache } from "./compile-cache";

type Runtime = typeof import("./runtime");

const codeCache = new BundleCodeCache();
const runtime = codeCache.load(path.join(__dirname, "runtime.bundle.js")) as Runtime;

/** What the provider shim calls (sdk/provider-shim.ts); each but `configure` takes the kind first. */
const OPERATIONS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/** An operation as the code cache counts it: what it runs differs by method, kind and emulator mode. */
const operationKey = (name: string, args: unknown[]) => {
  const operation = name === "configure" ? name : `${name}:${String(args[0])}`;
  return runtime.embeddedEmulatorStarted() ? `${operation}+emulator` : operation;
};

const tracked: Record<string, unknown> = { ...runtime };
for (const name of OPERATIONS) {
  const operation = runtime[name] as (...args: unknown[]) => Promise<unknown>;
  tracked[name] = (...args: unknown[]) =>
    codeCache.track(
      () => operationKey(name, args),
      () => operation(...args),
    );
}
module.exports = tracked as Runtime;
