/**
 * `pulumi-cmf/provider` as the dynamic-provider process loads it (package.json `exports`): the runtime
 * (`./runtime.ts`, with zod, undici, yaml and the embedded emulator) bundled into one file by
 * `scripts/build.sh`. That process starts afresh for every `pulumi preview`, `up` and `refresh`;
 * resolving and reading one file instead of some three hundred modules, with Node's compile cache on
 * before it loads, is most of what it saves (npm run bench -- --only profile).
 */
import "../node-guard"; // first: fails at once, and clearly, on an unsupported Node.js
import { saveCompiledCode } from "./compile-cache"; // second: the bundle's compiled code is then cached

module.exports = require("./runtime.bundle.js") as typeof import("./runtime");
saveCompiledCode();
