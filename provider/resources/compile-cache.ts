/**
 * The dynamic-provider process starts afresh for every `pulumi preview`, `up` and `refresh`, and loads
 * the runtime bundle each time: compiling it is a large part of what pulumi-cmf adds to a small no-op
 * preview (`npm run bench -- --only profile`). V8's on-disk code cache (Node's compile cache, in
 * the OS temp folder unless NODE_COMPILE_CACHE says otherwise) saves that compile from the second run
 * on (~110 → ~75 ms). It only caches code; a cache that cannot be written is ignored by Node.
 */
import { enableCompileCache, flushCompileCache } from "node:module";

enableCompileCache();

/**
 * Writes what was compiled so far. Node writes its compile cache only when the process exits normally,
 * and the engine ends the dynamic-provider process with SIGINT: without this, nothing was ever kept.
 * Writes nothing when the code came from the cache.
 */
export function saveCompiledCode(): void {
  flushCompileCache();
}
