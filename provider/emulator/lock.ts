import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, linkSync } from "node:fs";
import * as os from "node:os";
import { EmulatorDataFileError } from "./errors";

/**
 * One writer per data file: `<data file>.lock`, created with O_EXCL and holding the owner's pid and
 * host. Our own ~60 lines rather than a library such as proper-lockfile: that one judges staleness by
 * the lock's age (a heartbeat every few seconds, a live but busy owner can lose its lock, a crashed one
 * blocks others until the timeout), while an emulator's owner is always a process on this machine, so
 * "is that pid alive" answers at once and exactly.
 */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export const lockPathOf = (dataFile: string) => `${dataFile}.lock`;

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<LockHolder>;
    if (typeof value.pid === "number" && typeof value.host === "string") {
      return { pid: value.pid, host: value.host, since: String(value.since ?? "") };
    }
  } catch {
    /* Missing, half-written (a crash between create and write) or not ours: judged below. */
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A holder that provably no longer runs: a dead pid on this host. Another host's lock is never stale. */
function isStale(holder: LockHolder | undefined): boolean {
  return holder !== undefined && holder.host === os.hostname() && !isAlive(holder.pid);
}

function tryCreate(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    const holder: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock without racing another process that does the same: the lock is first moved
 * aside (only one mover wins), and put back if what was moved turns out to be a fresh, live lock.
 */
function breakStaleLock(lockPath: string, stale: LockHolder): void {
  const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else moved or removed it first
  }
  const moved = readHolder(aside);
  if (moved && (moved.pid !== stale.pid || moved.host !== stale.host)) {
    try {
      linkSync(aside, lockPath);
    } catch {
      /* A third process locked meanwhile; its lock stands. */
    }
  }
  unlinkSync(aside);
}

function describe(holder: LockHolder | undefined): string {
  return holder
    ? `process ${holder.pid} on ${holder.host}${holder.since ? ` (since ${holder.since})` : ""}`
    : "another process (the lock file cannot be read)";
}

export class DataFileLock {
  private released = false;
  /* A process that exits without closing its emulator (the embedded one never closes) still lets go. */
  private readonly onExit = () => this.release();

  private constructor(readonly lockPath: string) {
    process.once("exit", this.onExit);
  }

  /**
   * Takes the lock of `dataFile`, waiting up to `waitMs` for a live holder to let go; a stale lock is
   * taken over at once. Fails with an EmulatorDataFileError naming the holder.
   */
  static async acquire(dataFile: string, waitMs = 0, pollMs = 100): Promise<DataFileLock> {
    const lockPath = lockPathOf(dataFile);
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (tryCreate(lockPath)) return new DataFileLock(lockPath);
      const holder = readHolder(lockPath);
      if (holder && isStale(holder)) {
        breakStaleLock(lockPath, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        const waited = waitMs > 0 ? ` after waiting ${Math.round(waitMs / 1000)} s` : "";
        throw new EmulatorDataFileError(
          dataFile,
          `is in use by ${describe(holder)}${waited} (one emulator per data file)`,
          `Stop that emulator first, or remove ${lockPath} if that process is not one.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off("exit", this.onExit);
    const holder = readHolder(this.lockPath);
    if (holder?.pid === process.pid && holder.host === os.hostname()) {
      try {
        unlinkSync(this.lockPath);
      } catch {
        /* Already gone. */
      }
    }
  }
}
