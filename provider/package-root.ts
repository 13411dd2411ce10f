import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The nearest folder at or above `from` that holds a package.json: pulumi-cmf's root (the checkout, or
 * `node_modules/pulumi-cmf`), whether the code asking runs from its sources, from dist/ or from a bundle
 * in dist/. `undefined` when there is none (the plugin, installed on its own).
 */
export function packageRootAbove(from: string): string | undefined {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  }
  return undefined;
}
