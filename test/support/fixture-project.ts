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
const BUILD_LOCK = path.join(os.tmpdir(), "pulumi-cmf-build.lock");
const BUILD_WAIT_MS = 5 * 60 * 1000;

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, ext));
    else if (entry.name.endsWith(ext)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  const outputs = [
    path.join(REPO, "dist/sdk/index.js"),
    path.join(REPO, "dist/provider/resources/runtime.js"),
  ];
  if (!outputs.every((file) => fs.existsSync(file))) return false;
  const built = Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs));
  const sources = Math.max(
    newestMtime(path.join(REPO, "provider"), ".ts"),
    newestMtime(path.join(REPO, "sdk"), ".ts"),
  );
  return built >= sources;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `npm test` builds in `pretest`; a direct `npx jest` may run against a stale `dist/`, which the
 * tarball would silently ship. Rebuild then, once, even with test files running in parallel.
 */
export function ensureBuilt(): void {
  if (distIsFresh()) return;
  const deadline = Date.now() + BUILD_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - fs.statSync(BUILD_LOCK).mtimeMs;
      if (age > BUILD_WAIT_MS) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${BUILD_LOCK}`, { cause: error });
      sleepSync(500);
    }
  }
  try {
    if (!distIsFresh()) execFileSync("npm", ["run", "build", "--silent"], { cwd: REPO, stdio: "pipe" });
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
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
