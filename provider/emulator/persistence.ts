import { promises as fs, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { formatIssues } from "../models";
import { EmulatorDataFileError } from "./errors";
import { SnapshotSchema, type Snapshot } from "./store";

/**
 * Reads the data file at start. A missing or empty file means an empty emulator; anything that is not
 * a valid snapshot stops the start with an error naming the file (which is never overwritten).
 */
export function loadSnapshot(file: string): Snapshot | undefined {
  const dir = path.dirname(path.resolve(file));
  let dirOk: boolean;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw new EmulatorDataFileError(file, `cannot be created: directory ${dir} does not exist`);

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
  const parsed = SnapshotSchema.safeParse(json);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error).slice(0, 5).join("; ");
    throw new EmulatorDataFileError(file, `is corrupt: not a CMF emulator data file (${problems})`);
  }
  return parsed.data;
}

/**
 * Atomic, serialised writes of the whole state: temp file, fsync, rename over the data file, fsync of
 * the directory. Saves requested while a write is running are coalesced into one write that starts
 * after it and snapshots the state at that moment, so every caller's mutation is on disk when its
 * promise resolves and writes never interleave.
 */
export class SnapshotWriter {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private sequence = 0;
  writes = 0;

  constructor(
    readonly file: string,
    private readonly snapshot: () => Snapshot,
  ) {}

  save(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.running;
    const next = (async () => {
      /* Always yields once, so `queued` is set before it is cleared and the snapshot is taken. */
      await previous?.catch(() => undefined);
      this.queued = undefined;
      await this.writeNow();
    })();
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
    const handle = await fs.open(tmp, "w", 0o600);
    try {
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(tmp, this.file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
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
