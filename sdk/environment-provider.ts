/**
 * The environment kind's provider, as this module's whole `module.exports`. When pulumi-cmf is installed
 * in node_modules, Pulumi's serializer then stores it in `__provider` as
 * `require("pulumi-cmf/dist/sdk/environment-provider.js")` instead of the shim's 3.5 KB of code, which
 * every resource's state holds twice (smaller state, faster `up`). That path is therefore exported
 * as is (the serializer cannot always map a file back to a nicer subpath, e.g. under pnpm) and must
 * never move: existing states require it. Outside node_modules (this repository) the shim is
 * serialized by value.
 */
import { CmfProviderShim } from "./provider-shim";

export = new CmfProviderShim("Environment");
