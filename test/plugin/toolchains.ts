/**
 * The pieces the plugin's language tests need beyond the Pulumi CLI, each found or reported missing by
 * name: under CI a missing piece fails the suite, elsewhere it is skipped with the reason.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function cacheRoot(): string {
  return (
    process.env.PULUMI_CMF_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-cmf")
  );
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A directory on PATH or among `extra` holding `name`. */
export function findOnPath(name: string, extra: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...extra];
  return dirs.find((dir) => executable(path.join(dir, name)));
}

/** Where scripts/pulumi-language-yaml.sh puts the YAML language host (same pin as the script). */
export function findYamlHost(): { binDir: string } | { missing: string } {
  const version = process.env.PULUMI_CMF_YAML_VERSION ?? "1.38.1";
  const dir = findOnPath("pulumi-language-yaml", [
    path.join(cacheRoot(), `pulumi-language-yaml-v${version}`, "bin"),
  ]);
  return dir
    ? { binDir: dir }
    : {
        missing:
          "`pulumi-language-yaml` is not on PATH nor in the cache; run `bash scripts/pulumi-language-yaml.sh`",
      };
}

export function findGo(): { go: string } | { missing: string } {
  const dir = findOnPath("go");
  return dir
    ? { go: path.join(dir, "go") }
    : { missing: "`go` is not on PATH (Go >= 1.26 builds the Go SDK test)" };
}

export function findPython(): { python: string } | { missing: string } {
  for (const name of ["python3", "python"]) {
    const dir = findOnPath(name);
    if (!dir) continue;
    const python = path.join(dir, name);
    try {
      execFileSync(python, ["-c", "import venv, sys; assert sys.version_info >= (3, 9)"], {
        stdio: "ignore",
      });
      return { python };
    } catch {
      // too old or without venv: try the next name
    }
  }
  return { missing: "no `python3` >= 3.9 with the venv module on PATH" };
}

/**
 * Runs `body` as a jest describe when `found` has no `missing` piece; otherwise skips it saying which
 * piece, and fails under CI so that a green CI run always means the scenario ran.
 */
export function describeWhen<T extends object>(
  name: string,
  found: T | { missing: string },
  body: (found: T) => void,
): void {
  if ("missing" in found) {
    if (process.env.CI) throw new Error(`${name} cannot run under CI: ${found.missing}`);
    console.warn(`SKIPPED ${name}: ${found.missing}`);
    describe.skip(name, () => it(`needs ${found.missing}`, () => undefined));
    return;
  }
  describe(name, () => body(found));
}

/** Processes whose command line mentions `marker` (e.g. a test's own plugin build folder). */
export function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(marker)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/**
 * Waits (bounded) until no process mentions `marker`; kills any still there by pid and reports them,
 * so that a test both cleans up and fails when the plugin outlived its engine.
 */
export async function reapProcesses(marker: string, waitMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + waitMs;
  let left = processesMentioning(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesMentioning(marker);
  }
  for (const pid of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return left;
}

/** Ends a child and its process group (a CLI's plugins run in their own groups: reaped by marker). */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}
