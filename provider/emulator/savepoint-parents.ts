import { isPlainObject, jsonEqual } from "./json";
import { currentInstance } from "./lifecycle";
import {
  savepointForRestore,
  savepointNotFound,
  savepointsOf,
  type SavepointParent,
  type SavepointRecord,
} from "./savepoints";
import type { StatementRecord } from "./sql-state";
import type { ApplicationRecord, EmulatorState, EnvironmentRecord, JsonObject } from "./store";
import { jobStateOf } from "./views";

/**
 * An application as the parent of savepoints: its job state and id as the operator reports them, and
 * the Flink configuration of the deployed instance (environment defaults merged in), where Flink looks
 * for the default savepoint directory.
 */
export function applicationSavepointParent(env: EnvironmentRecord, app: ApplicationRecord): SavepointParent {
  const deployed = currentInstance(app)?.spec;
  const configuration = isPlainObject(deployed?.flinkConfiguration) ? deployed.flinkConfiguration : {};
  const jobStatus = isPlainObject(app.status.jobStatus) ? app.status.jobStatus : {};
  return {
    kind: "FlinkApplication",
    environment: env.name,
    name: app.name,
    owner: app,
    jobState: jobStateOf(app),
    jobId: typeof jobStatus.jobId === "string" ? jobStatus.jobId : undefined,
    flinkConfiguration: configuration,
  };
}

function configurationAt(value: unknown, ...path: string[]): JsonObject {
  let at = value;
  for (const key of path) at = isPlainObject(at) ? at[key] : undefined;
  return isPlainObject(at) ? at : {};
}

/**
 * A statement as the parent of savepoints. Its job runs while the statement is RUNNING; Flink's
 * configuration is layered as CMF merges it, later layers winning: the environment's compute-pool
 * defaults, the compute pool's `clusterSpec`, the environment's statement defaults (detached, then
 * interactive), the statement's own `flinkConfiguration`.
 */
export function statementSavepointParent(
  state: EmulatorState,
  env: EnvironmentRecord,
  statement: StatementRecord,
): SavepointParent {
  const poolName = statement.spec.computePoolName;
  const pool =
    typeof poolName === "string" ? state.sql.peek(env.name)?.computePools.get(poolName) : undefined;
  const configuration = {
    ...configurationAt(env.computePoolDefaults, "clusterSpec", "flinkConfiguration"),
    ...configurationAt(pool?.spec, "clusterSpec", "flinkConfiguration"),
    ...configurationAt(env.statementDefaults, "detached", "flinkConfiguration"),
    ...configurationAt(env.statementDefaults, "interactive", "flinkConfiguration"),
    ...configurationAt(statement.spec, "flinkConfiguration"),
  };
  /* The record's `savepoints` field counts stops; the savepoint objects live in `savepointRecords`. */
  const owner = {
    get savepoints(): SavepointRecord[] | undefined {
      return statement.savepointRecords;
    },
    set savepoints(list: SavepointRecord[] | undefined) {
      statement.savepointRecords = list;
    },
  };
  return {
    kind: "Statement",
    environment: env.name,
    name: statement.name,
    owner,
    jobState: statement.phase,
    jobId: statement.uid.replace(/-/g, ""),
    flinkConfiguration: configuration,
  };
}

/**
 * `PUT .../statements/{stmt}` with a new `spec.startFromSavepoint` naming a savepoint (`savepointName`
 * or `uid`): it must be one of the statement's savepoints or a detached one (404 otherwise) and
 * COMPLETED ("the request will be rejected if savepoint that has not completed is referenced", 400).
 * An unchanged or path-only (`initialSavepointPath`) reference is not checked: it may point anywhere.
 */
export function checkStartFromSavepoint(
  state: EmulatorState,
  envName: string,
  name: string,
  body: unknown,
): void {
  const env = state.environments.get(envName);
  const statement = state.sql.peek(envName)?.statements.get(name);
  if (!env || !statement || !isPlainObject(body) || !isPlainObject(body.spec)) return;
  const wanted = body.spec.startFromSavepoint;
  if (!isPlainObject(wanted) || jsonEqual(wanted, statement.spec.startFromSavepoint)) return;
  const parent = statementSavepointParent(state, env, statement);
  if (typeof wanted.uid === "string") {
    savepointForRestore(parent, state.detachedSavepoints, wanted.uid);
  } else if (typeof wanted.savepointName === "string") {
    const byName =
      savepointsOf(parent).find((s) => s.name === wanted.savepointName) ??
      state.detachedSavepoints.find((s) => s.name === wanted.savepointName);
    if (!byName) throw savepointNotFound(parent, wanted.savepointName);
    savepointForRestore(parent, state.detachedSavepoints, byName.uid);
  }
}
