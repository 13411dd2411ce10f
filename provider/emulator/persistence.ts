import { promises as fs, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { EmulatorDataFileError } from "./errors";
import { parseSnapshot, type Snapshot } from "./store";

/**
 * The file operations of a data-file write, as a seam: tests replace a member to simulate a full disk
 * (ENOSPC) or a failing rename without mounting anything.
 */
export const snapshotIo = {
  open: (file: string) => fs.open(file, "w", 0o600),
  rename: (from: string, to: string) => fs.rename(from, to),
  rm: (file: string) => fs.rm(file, { force: true }),
};

/**
 * Removes temp files left by writes that a crash or kill interrupted (`<data file>.tmp-<pid>-<n>`).
 * Only called while holding the data file's lock, so none of them can belong to a live writer.
 */
export function removeStaleTempFiles(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const prefix = `${path.basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix)) rmSync(path.join(dir, name), { force: true });
}

/** The data file's directory must exist: the emulator creates the file (and its lock), never directories. */
export function requireDataDirectory(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let dirOk: boolean;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw new EmulatorDataFileError(file, `cannot be created: directory ${dir} does not exist`);
}

/**
 * Reads the data file at start. A missing or empty file means an empty emulator; anything that is not
 * a valid, consistent snapshot stops the start with an error naming the file (which is never
 * overwritten). Returns the text too: it is what a failed write rolls memory back to.
 */
export function loadSnapshot(file: string): { snapshot: Snapshot; text: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new EmulatorDataFileError(file, `cannot be read (${code ?? (err as Error).message})`);
  }
  if (text.trim() === "") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EmulatorDataFileError(file, `is corrupt: not valid JSON (${(err as Error).message})`);
  }
  const parsed = parseSnapshot(json);
  if (!parsed.ok) {
    const problems = parsed.messages.slice(0, 5).join("; ");
    throw new EmulatorDataFileError(file, `is corrupt: not a CMF emulator data file (${problems})`);
  }
  return { snapshot: parsed.value, text };
}

/** A save that was queued behind a write that failed: its mutations were rolled back with it. */
export class RolledBackError extends Error {
  readonly code = "EROLLEDBACK";
  constructor() {
    super("an earlier write of the data file failed; this change was rolled back with it");
    this.name = "RolledBackError";
  }
}

/**
 * Atomic, serialised writes of the whole state: temp file, fsync, rename over the data file, fsync of
 * the directory. Saves requested while a write is running are coalesced into one write that starts
 * after it and snapshots the state at that moment, so every caller's mutation is on disk when its
 * promise resolves and writes never interleave.
 *
 * Durable before acknowledged: when a write fails, `onFailure` gets the text of the last write that
 * succeeded (undefined: none, the file was empty or absent) so the caller can put memory back to what
 * is on disk, and every save already queued behind the failed write fails too (its mutations were in
 * the memory just rolled back). The temp file of a failed write is removed.
 */
export class SnapshotWriter {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private sequence = 0;
  private epoch = 0;
  writes = 0;

  constructor(
    readonly file: string,
    private readonly snapshot: () => Snapshot,
    private lastDurable: string | undefined,
    private readonly onFailure: (lastDurable: string | undefined) => void,
  ) {}

  /** Bumped by every failed write: a mutation made in an older epoch was rolled back. */
  get currentEpoch(): number {
    return this.epoch;
  }

  /**
   * Makes the state durable. `since`: the epoch in which the caller mutated memory; when a failed
   * write rolled that memory back since, the save is refused rather than acknowledging a lost change.
   */
  save(since = this.epoch): Promise<void> {
    if (since !== this.epoch) return Promise.reject(new RolledBackError());
    if (this.queued) return this.queued;
    const previous = this.running;
    const epoch = this.epoch;
    const entry: { promise?: Promise<void> } = {};
    const next = (async () => {
      /* Always yields once, so `queued` is set before it is cleared and the snapshot is taken. */
      await previous?.catch(() => undefined);
      if (this.queued === entry.promise) this.queued = undefined;
      if (epoch !== this.epoch) throw new RolledBackError();
      try {
        await this.writeNow();
      } catch (err) {
        this.epoch++;
        /* Saves queued from now on start a new epoch; the one already queued fails below. */
        this.queued = undefined;
        this.onFailure(this.lastDurable);
        throw err;
      }
    })();
    entry.promise = next;
    this.queued = next;
    this.running = next;
    return next;
  }

  /** Waits for every write requested so far. */
  async flush(): Promise<void> {
    while (this.running) {
      const current = this.running;
      await current.catch(() => undefined);
      if (this.running === current) break;
    }
  }

  private async writeNow(): Promise<void> {
    const data = JSON.stringify(this.snapshot());
    const tmp = `${this.file}.tmp-${process.pid}-${++this.sequence}`;
    try {
      const handle = await snapshotIo.open(tmp);
      try {
        await handle.writeFile(data, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await snapshotIo.rename(tmp, this.file);
    } catch (err) {
      await snapshotIo.rm(tmp).catch(() => undefined);
      throw err;
    }
    this.lastDurable = data;
    await syncDirectory(path.dirname(path.resolve(this.file)));
    this.writes++;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch {
    /* Some platforms cannot fsync a directory; the rename is still atomic there. */
  } finally {
    await handle?.close();
  }
}
