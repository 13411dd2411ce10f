/**
 * Processes a test run leaves behind. Every process `npm test` starts inherits PULUMI_CMF_TEST_RUN (set by
 * Jest's global setup, below), which tells them apart from the rest of the machine, other test runs
 * included. The global teardown (process-leaks-teardown.ts) ends any that outlived the tests and fails the
 * run naming them; tests that kill `pulumi` clean up with killProcessesWithEnv first. The run's temporary
 * files go into one folder the teardown removes too.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomUUID } from "node:crypto";

export const RUN_MARKER = "PULUMI_CMF_TEST_RUN";
/** The run's own temporary folder (below), which the global teardown removes. */
export const RUN_TMPDIR = "PULUMI_CMF_TEST_TMPDIR";

export interface ProcessInfo {
  pid: number;
  command: string;
}

function readEnviron(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  } catch {
    return undefined; // gone, or not ours to read
  }
}

function command(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** This process and its ancestors: never "leaked", whatever their environment says. */
function selfAndAncestors(): Set<number> {
  const pids = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !pids.has(pid)) {
    pids.add(pid);
    const stat = (() => {
      try {
        return fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        return "";
      }
    })();
    // The command may hold spaces and parentheses: the ppid is the 2nd field after the last ')'.
    pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? 0);
  }
  return pids;
}

/** Live processes (other than this one and its ancestors) whose environment holds `name=value`. */
export function processesWithEnv(name: string, value: string): ProcessInfo[] {
  if (!fs.existsSync("/proc")) return [];
  const skip = selfAndAncestors();
  const entry = `${name}=${value}`;
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => !skip.has(pid) && (readEnviron(pid)?.includes(entry) ?? false))
    .map((pid) => ({ pid, command: command(pid) }))
    .filter((p) => p.command !== ""); // zombies have no command line and nothing left to end
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ended(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Ends these processes: SIGTERM, then SIGKILL to those still alive after `graceMs`. */
export async function endProcesses(found: ProcessInfo[], graceMs = 3000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const p of found) {
      try {
        process.kill(p.pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const pids = found.map((p) => p.pid);
  signal("SIGTERM");
  if (!(await ended(pids, graceMs))) signal("SIGKILL");
  await ended(pids, graceMs);
}

/**
 * Ends every process whose environment holds `name=value`, e.g. a test's unique PULUMI_HOME: the plugins a
 * killed `pulumi` started run in their own process groups, so killing its group misses them. Returns
 * what it found.
 */
export async function killProcessesWithEnv(
  name: string,
  value: string,
  graceMs = 3000,
): Promise<ProcessInfo[]> {
  const found = processesWithEnv(name, value);
  await endProcesses(found, graceMs);
  return found;
}

/**
 * Jest global setup: the marker every process of this run inherits. Always a new one: a Jest run started
 * by a test (the quickstart test runs `npm test`) inherits its parent's environment, and with the
 * parent's marker its teardown would take the parent run's live processes for its own leftovers and end
 * them. The parent's leftovers are the parent's teardown's business; .ci/run checks the whole run.
 */
export default function globalSetup(): void {
  process.env[RUN_MARKER] = randomUUID();
  // Every temporary folder of the run (the tests', the pulumi CLI's, the compilers') goes into one folder
  // that the teardown removes: the workers and everything they start inherit TMPDIR, which os.tmpdir()
  // and Go's os.TempDir read. Without it a run left tens of MB of sandboxes, builds and projects behind.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-test-run-"));
  process.env.TMPDIR = dir;
  process.env[RUN_TMPDIR] = dir;
}
