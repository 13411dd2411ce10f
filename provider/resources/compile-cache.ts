/**
 * The dynamic-provider process starts afresh for every `pulumi preview`, `up` and `refresh`, and loads
 * the runtime bundle each time: compiling it is a large part of what pulumi-cmf adds to a small no-op
 * preview (`npm run bench -- --only profile`). V8's on-disk code cache (Node's compile cache, in
 * the OS temp folder unless NODE_COMPILE_CACHE says otherwise) saves that compile from the second run
 * on. It only caches code; a cache that cannot be written is ignored by Node.
 */
import { enableCompileCache } from "node:module";

enableCompileCache();
