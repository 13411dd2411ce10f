/**
 * A copy of this working tree as a fresh clone would have it (tracked and new, non-ignored files), for
 * tests that run the repository's own commands (`npm run demo`, `npm pack`) without touching the checkout.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../../scripts/installed-project";

export interface WorkingTreeCopyOptions {
  /** Also copy dist/ (with its file times, so that no rebuild is due). Default: no, as in a fresh clone. */
  withDist?: boolean;
  /** Link the checkout's node_modules (see linkNodeModules) instead of running `npm ci`. Default: yes. */
  linkNodeModules?: boolean;
}

export function copyWorkingTree(into: string, options: WorkingTreeCopyOptions = {}): string {
  const dir = path.join(into, "pulumi-cmf");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "" && file !== "node_modules" && fs.existsSync(path.join(REPO, file)));
  for (const file of [...files, ...(options.withDist ? ["dist"] : [])]) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.cpSync(path.join(REPO, file), path.join(dir, file), { recursive: true, preserveTimestamps: true });
  }
  fs.rmSync(path.join(dir, "dist", ".build-lock"), { recursive: true, force: true });
  if (options.linkNodeModules ?? true) linkNodeModules(path.join(REPO, "node_modules"), dir);
  return dir;
}

/**
 * The checkout's node_modules in the copy, without copying its bytes: hard links where the file system
 * allows, else a symbolic link. With a symbolic link, TypeScript resolves every library file to its real
 * path outside the copy, so the build info copied with dist/ names other files and the copy's first
 * rebuild is a full one (~20 s of CPU instead of ~4 s).
 */
function linkNodeModules(modules: string, dir: string): void {
  const target = path.join(dir, "node_modules");
  try {
    execFileSync("cp", ["-al", fs.realpathSync(modules), target], { stdio: "pipe" });
  } catch {
    fs.rmSync(target, { recursive: true, force: true });
    fs.symlinkSync(fs.realpathSync(modules), target, "dir");
  }
}

/** A digest of every file below `dir` (names and contents): equal before and after means untouched. */
export function treeDigest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (current: string): void => {
    for (const entry of fs
      .readdirSync(current, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(`${path.relative(dir, full)}\0`).update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex");
}
