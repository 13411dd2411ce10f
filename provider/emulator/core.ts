import { EmulatorClock } from "./clock";
import { FaultInjector } from "./faults";
import { advanceSteps, onRead, type LifecycleMode } from "./lifecycle";
import { loadSnapshot, SnapshotWriter } from "./persistence";
import { advanceSavepointSteps, onSavepointRead, type SavepointRecord } from "./savepoints";
import { advanceSql } from "./sql-lifecycle";
import { StatsCounter } from "./stats";
import { EmulatorState, fromSnapshot, toSnapshot, type ApplicationRecord } from "./store";

/**
 * Everything the HTTP layer and the in-process controls share: state, clock, lifecycle mode, faults,
 * counters and the data-file writer. No HTTP in here.
 */
export class EmulatorCore {
  readonly clock = new EmulatorClock();
  readonly faults = new FaultInjector();
  readonly stats = new StatsCounter();
  state: EmulatorState;
  private readonly writer: SnapshotWriter | undefined;
  /** Last background-save failure (lifecycle progress saved after reads); surfaced in stats. */
  backgroundSaveError: string | undefined;

  constructor(
    readonly lifecycle: LifecycleMode,
    readonly bodyLimitBytes: number,
    dataFile: string | undefined,
  ) {
    this.state = new EmulatorState();
    if (dataFile !== undefined) {
      const snapshot = loadSnapshot(dataFile);
      if (snapshot) {
        this.state = fromSnapshot(snapshot);
        this.clock.restore(snapshot.clockOffsetMs);
      }
      this.writer = new SnapshotWriter(dataFile, () => toSnapshot(this.state, this.clock.offset));
    }
  }

  now(): number {
    return this.clock.now();
  }

  get persistedWrites(): number {
    return this.writer?.writes ?? 0;
  }

  /** Makes the current state durable before a mutation is acknowledged. */
  persist(): Promise<void> {
    return this.writer ? this.writer.save() : Promise.resolve();
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
