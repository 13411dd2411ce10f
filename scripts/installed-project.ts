/**
 * A project directory laid out like a user's: `node_modules/pulumi-cmf` is the `npm pack` tarball of this
 * checkout (built first), and every other dependency is a link into the checkout's node_modules. The
 * dynamic-provider process runs there, and programs that load pulumi-cmf from it behave as in production
 * (for example, the provider is serialized as a `require` of the installed package).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRootAbove } from "../provider/package-root";

/** The checkout's root, whether this file runs from scripts/ (tests) or dist/scripts/ (benchmarks). */
function checkoutRoot(): string {
  const root = packageRootAbove(__dirname);
  if (!root) throw new Error(`no package.json above ${__dirname}`);
  return root;
}

export const REPO = checkoutRoot();

export interface InstalledProject {
  /** The project directory (the provider process's cwd). */
  dir: string;
  /** The installed package's root, `dir/node_modules/pulumi-cmf`. */
  packageDir: string;
  /** The tarball `npm pack` made. */
  tarball: string;
}

/**
 * Packs the checkout (whose dist/ must be built) into a new project under `dir`. `--ignore-scripts`: the
 * caller has built, and `prepack` compiling while other processes read dist/ would race them.
 */
export function installIntoProject(dir: string, name: string): InstalledProject {
  const packDir = path.join(dir, ".pack");
  fs.mkdirSync(packDir, { recursive: true });
  const packed = execFileSync(
    "npm",
    ["pack", "--silent", "--ignore-scripts", "--pack-destination", packDir],
    {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  )
    .trim()
    .split("\n")
    .pop() as string;
  const tarball = path.join(packDir, packed);

  const modules = path.join(dir, "node_modules");
  const packageDir = path.join(modules, "pulumi-cmf");
  fs.mkdirSync(packageDir, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", packageDir, "--strip-components=1"]);
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === "pulumi-cmf" || entry === ".bin" || entry.startsWith(".package-lock")) continue;
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry), "dir");
  }
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name, private: true, dependencies: { "pulumi-cmf": `file:${tarball}` } }, null, 2),
  );
  return { dir, packageDir, tarball };
}
