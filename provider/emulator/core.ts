import { EmulatorClock } from "./clock";
import { FaultInjector } from "./faults";
import { advanceSteps, onRead, type LifecycleMode } from "./lifecycle";
import { DataFileLock } from "./lock";
import { loadSnapshot, removeStaleTempFiles, requireDataDirectory, SnapshotWriter } from "./persistence";
import { advanceSavepointSteps, onSavepointRead, type SavepointRecord } from "./savepoints";
import { advanceSql } from "./sql-lifecycle";
import { FlinkSqlParser } from "./sql/parser";
import { StatsCounter } from "./stats";
import { EmulatorState, fromSnapshot, toSnapshot, type ApplicationRecord, type Snapshot } from "./store";

/**
 * Everything the HTTP layer and the in-process controls share: state, clock, lifecycle mode, faults,
 * counters and the data-file writer. No HTTP in here.
 */
export class EmulatorCore {
  readonly clock = new EmulatorClock();
  readonly faults = new FaultInjector();
  readonly stats = new StatsCounter();
  /** The Flink SQL grammar, loaded in a worker when a compute pool is created or at the first statement. */
  readonly sqlParser: FlinkSqlParser;
  state = new EmulatorState();
  private writer: SnapshotWriter | undefined;
  private lock: DataFileLock | undefined;
  /** Last background-save failure (lifecycle progress saved after reads); surfaced in stats. */
  backgroundSaveError: string | undefined;

  private constructor(
    readonly lifecycle: LifecycleMode,
    readonly bodyLimitBytes: number,
    sqlAnalysisCache: string | undefined,
  ) {
    this.sqlParser = new FlinkSqlParser({ cacheDir: sqlAnalysisCache });
  }

  /**
   * With a data file: takes its lock (waiting up to `lockWaitMs` for another emulator to let go),
   * removes temp files of interrupted writes, then loads it. Nothing is written at start.
   */
  static async open(
    lifecycle: LifecycleMode,
    bodyLimitBytes: number,
    dataFile: string | undefined,
    lockWaitMs = 0,
    sqlAnalysisCache?: string,
  ): Promise<EmulatorCore> {
    const core = new EmulatorCore(lifecycle, bodyLimitBytes, sqlAnalysisCache);
    if (dataFile === undefined) return core;
    requireDataDirectory(dataFile);
    const lock = await DataFileLock.acquire(dataFile, lockWaitMs);
    try {
      removeStaleTempFiles(dataFile);
      const loaded = loadSnapshot(dataFile);
      if (loaded) {
        core.state = fromSnapshot(loaded.snapshot);
        core.clock.restore(loaded.snapshot.clockOffsetMs);
      }
      core.writer = new SnapshotWriter(
        dataFile,
        () => toSnapshot(core.state, core.clock.offset),
        loaded?.text,
        (lastDurable) => core.rollBackTo(lastDurable),
      );
    } catch (err) {
      lock.release();
      throw err;
    }
    core.lock = lock;
    return core;
  }

  /** After a failed write: memory goes back to what the data file holds, so nothing unsaved shows. */
  private rollBackTo(lastDurable: string | undefined): void {
    /* Our own last write (or the file validated at load): no need to validate it again. */
    const snapshot = lastDurable === undefined ? undefined : (JSON.parse(lastDurable) as Snapshot);
    this.state = snapshot ? fromSnapshot(snapshot) : new EmulatorState();
    this.clock.reset();
    if (snapshot) this.clock.restore(snapshot.clockOffsetMs ?? 0);
  }

  /** Identifies the memory a handler is about to change; see {@link persist}. */
  get epoch(): number {
    return this.writer?.currentEpoch ?? 0;
  }

  /** Ends the data-file writes and lets go of the lock. */
  async close(): Promise<void> {
    await this.flush();
    this.lock?.release();
  }

  now(): number {
    return this.clock.now();
  }

  get persistedWrites(): number {
    return this.writer?.writes ?? 0;
  }

  /**
   * Makes the current state durable before a mutation is acknowledged. `since`: the {@link epoch}
   * read before mutating; if a failed write rolled memory back in between, this rejects.
   */
  persist(since?: number): Promise<void> {
    return this.writer ? this.writer.save(since) : Promise.resolve();
  }

  /** Saves progress that happened on a read, without making the reader wait for the disk. */
  persistInBackground(): void {
    if (!this.writer) return;
    this.writer.save().then(
      () => (this.backgroundSaveError = undefined),
      (err: Error) => (this.backgroundSaveError = err.message),
    );
  }

  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  /** Moves an application's rollout as reading it would under the configured mode. */
  touch(app: ApplicationRecord, isGetOfThisApp: boolean): void {
    if (onRead(app, this.lifecycle, this.now(), isGetOfThisApp)) this.persistInBackground();
  }

  /** Moves a savepoint's lifecycle as reading it would under the configured mode. */
  touchSavepoint(sp: SavepointRecord, isGetOfThis: boolean): void {
    if (onSavepointRead(sp, this.lifecycle, this.now(), isGetOfThis)) this.persistInBackground();
  }

  /** `clock/advance`: moves the clock, then every rollout by `steps` phases and whatever time made due. */
  async advance(ms: number, steps: number): Promise<void> {
    this.clock.advance(ms);
    const now = this.now();
    for (const env of this.state.environments.values()) {
      for (const app of env.applications.values()) {
        advanceSteps(app, steps, now);
        onRead(app, this.lifecycle, now, false);
        for (const sp of app.savepoints ?? []) {
          advanceSavepointSteps(sp, steps, now);
          onSavepointRead(sp, this.lifecycle, now, false);
        }
      }
    }
    advanceSql(this.state, this.lifecycle, steps, now);
    for (const sql of this.state.sql.environments.values()) {
      for (const statement of sql.statements.values()) {
        for (const sp of statement.savepointRecords ?? []) {
          advanceSavepointSteps(sp, steps, now);
          onSavepointRead(sp, this.lifecycle, now, false);
        }
      }
    }
    await this.persist();
  }

  async reset(): Promise<void> {
    this.state.clear();
    this.faults.reset();
    this.stats.reset();
    this.clock.reset();
    await this.persist();
  }
}
