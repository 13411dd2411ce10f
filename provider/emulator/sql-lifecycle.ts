import { applyPoolPhase } from "./compute-pools";
import type { LifecycleMode } from "./lifecycle";
import { phasesOnAdvance, phasesOnRead } from "./sql-common";
import type { ComputePoolRecord, StatementRecord } from "./sql-state";
import { applyStatementPhase } from "./statements";
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

export function touchStatement(
  state: EmulatorState,
  env: string,
  statement: StatementRecord,
  mode: LifecycleMode,
  now: number,
  isGetOfThis: boolean,
): boolean {
  return phasesOnRead(statement.progress, mode, now, isGetOfThis, applyStatementPhase(state, env, statement));
}

/** `clock/advance`: every pool and statement by `steps` phases plus whatever time made due. */
export function advanceSql(state: EmulatorState, mode: LifecycleMode, steps: number, now: number): void {
  for (const [name, env] of state.sql.environments) {
    for (const pool of env.computePools.values()) {
      phasesOnAdvance(pool.progress, mode, steps, now, applyPoolPhase(pool));
    }
    for (const statement of [...env.statements.values()]) {
      phasesOnAdvance(statement.progress, mode, steps, now, applyStatementPhase(state, name, statement));
    }
  }
}
