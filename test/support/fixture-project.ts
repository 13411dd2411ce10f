/**
 * A throwaway Pulumi project directory laid out like a user's: `node_modules/pulumi-cmf` is the
 * `npm pack` tarball of this repository (so the serialized provider shim resolves
 * `pulumi-cmf/provider` exactly as in production), every other dependency is a symlink into the
 * repository's node_modules. The dynamic-provider process runs with this directory as its cwd.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installIntoProject, REPO, type InstalledProject } from "../../scripts/installed-project";

export { REPO };

/**
 * `npm test` builds first; a direct `npx jest` may run against a stale `dist/`, which the tarball would
 * silently ship. scripts/build.sh compiles only when a source changed, one build at a time.
 */
export function ensureBuilt(): void {
  execFileSync("sh", [path.join(REPO, "scripts", "build.sh"), "--if-stale"], { cwd: REPO, stdio: "pipe" });
}

export interface FixtureProject extends InstalledProject {
  /** Loads a module of the packed package, e.g. `load("dist/sdk/index.js")`. */
  load<T = unknown>(relative: string): T;
  remove(): void;
}

/** Packs the repository (building first when needed) and lays out a project around the tarball. */
export function createFixtureProject(prefix: string): FixtureProject {
  ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-cmf-${prefix}-`));
  const installed = installIntoProject(dir, `${prefix}-fixture`);
  return {
    ...installed,
    load: <T>(relative: string) => require(path.join(installed.packageDir, relative)) as T,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
