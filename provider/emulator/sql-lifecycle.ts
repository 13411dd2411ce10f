import { applyPoolPhase } from "./compute-pools";
import type { LifecycleMode } from "./lifecycle";
import { phasesOnAdvance, phasesOnRead } from "./sql-common";
import type { ComputePoolRecord } from "./sql-state";
import type { EmulatorState } from "./store";

/** Moves the asynchronous SQL objects (compute pools, statements) the way reads and the clock do. */

export function touchPool(
  pool: ComputePoolRecord,
  mode: LifecycleMode,
  now: number,
  isGetOfThis: boolean,
): boolean {
  return phasesOnRead(pool.progress, mode, now, isGetOfThis, applyPoolPhase(pool));
}

/** `clock/advance`: every pool and statement by `steps` phases plus whatever time made due. */
export function advanceSql(state: EmulatorState, mode: LifecycleMode, steps: number, now: number): void {
  for (const env of state.sql.environments.values()) {
    for (const pool of env.computePools.values())
      phasesOnAdvance(pool.progress, mode, steps, now, applyPoolPhase(pool));
  }
}
