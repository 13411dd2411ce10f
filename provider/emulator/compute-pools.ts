import { COMPUTE_POOL_KIND, PostComputePoolSchema, type ComputePoolSpec } from "../models";
import { badRequest, conflict } from "./errors";
import { clone, isPlainObject, jsonEqual } from "./json";
import type { LifecycleMode } from "./lifecycle";
import { beginPhases, envelope, newResource, parseBody, requireSameName, updateMetadata } from "./sql-common";
import { environmentObjects, inEnvironment, requireNamed, requireNewName } from "./sql-names";
import type { ComputePoolRecord, StatementRecord } from "./sql-state";
import type { EmulatorState, JsonObject } from "./store";

/**
 * Compute pools (`/environments/{env}/compute-pools`). DEDICATED pools are templates (one cluster per
 * statement) and report phase DEDICATED at once; SHARED pools are a session cluster that goes
 * PENDING → RUNNING, or SUSPENDED with `spec.state: SUSPENDED`.
 */

/** Statement phases in which a pool's statements are deployed: its spec cannot change then (409). */
export const ACTIVE_STATEMENT_PHASES: ReadonlySet<string> = new Set(["PENDING", "RUNNING", "FAILING"]);

export function poolsOf(state: EmulatorState, env: string): Map<string, ComputePoolRecord> {
  return environmentObjects(state, env, "computePools");
}

export function requirePool(state: EmulatorState, env: string, name: string): ComputePoolRecord {
  return requireNamed(poolsOf(state, env), "ComputePool", name, inEnvironment(env));
}

export function statementsOnPool(state: EmulatorState, env: string, pool: string): StatementRecord[] {
  return [...(state.sql.peek(env)?.statements.values() ?? [])].filter((s) => s.spec.computePoolName === pool);
}

/** CMF's rules for a pool spec beyond its schema; one message per broken rule. */
export function poolSpecProblems(spec: ComputePoolSpec): string[] {
  const problems: string[] = [];
  const cluster = spec.clusterSpec;
  if ("serviceAccount" in cluster) {
    problems.push(
      "spec.clusterSpec.serviceAccount: must not be set (CMF manages the service account of compute pools)",
    );
  }
  if ("job" in cluster)
    problems.push("spec.clusterSpec.job: must not be set (CMF submits the statements' jobs)");
  const jobManager = cluster.jobManager;
  const resource = isPlainObject(jobManager) ? jobManager.resource : undefined;
  const memory = isPlainObject(resource) ? resource.memory : undefined;
  if (typeof memory !== "string" || memory.trim() === "") {
    problems.push(
      "spec.clusterSpec.jobManager.resource.memory: must not be null (the Flink operator requires it)",
    );
  }
  if (spec.type === "DEDICATED" && spec.state !== undefined) {
    problems.push(
      "spec.state: must not be set on a DEDICATED compute pool (only SHARED pools can be suspended)",
    );
  }
  return problems;
}

/** The phases a pool goes through after a create or a spec change. */
export function planPoolPhases(spec: ComputePoolSpec): string[] {
  if (spec.type === "DEDICATED") return ["DEDICATED"];
  return spec.state === "SUSPENDED" ? ["SUSPENDED"] : ["PENDING", "RUNNING"];
}

export function applyPoolPhase(pool: ComputePoolRecord): (phase: string, at: number) => void {
  return (phase) => {
    pool.phase = phase;
    delete pool.message;
  };
}

function parsePool(body: unknown): {
  input: ReturnType<typeof parseBody<typeof PostComputePoolSchema>>;
  spec: ComputePoolSpec;
} {
  const input = parseBody(PostComputePoolSchema, body);
  const problems = poolSpecProblems(input.spec);
  if (problems.length > 0) throw badRequest(problems);
  return { input, spec: clone(input.spec) };
}

export function createPool(
  state: EmulatorState,
  env: string,
  body: unknown,
  mode: LifecycleMode,
  now: number,
): ComputePoolRecord {
  const pools = poolsOf(state, env);
  const { input, spec } = parsePool(body);
  requireNewName(pools, "ComputePool", input.metadata.name, inEnvironment(env));
  const pool: ComputePoolRecord = {
    ...newResource(input.metadata, now),
    spec: spec as JsonObject,
    phase: "PENDING",
    progress: { pending: [], lastAt: now },
  };
  beginPhases(pool.progress, planPoolPhases(spec), mode, now, applyPoolPhase(pool));
  pools.set(pool.name, pool);
  return pool;
}

/**
 * `PUT` (CMF 2.3): `type` is immutable; a spec change is refused (409) while statements run on the
 * pool, and redeploys a SHARED pool (or suspends it). Labels and annotations can always change.
 */
export function updatePool(
  state: EmulatorState,
  env: string,
  name: string,
  body: unknown,
  mode: LifecycleMode,
  now: number,
): ComputePoolRecord {
  const pool = requirePool(state, env, name);
  const { input, spec } = parsePool(body);
  requireSameName(name, input.metadata);
  if (spec.type !== pool.spec.type) {
    throw badRequest(
      `spec.type: cannot be changed (is ${String(pool.spec.type)}, got ${spec.type}); create a new compute pool instead`,
    );
  }
  const specChanged = !jsonEqual(pool.spec, spec);
  if (specChanged) {
    const active = statementsOnPool(state, env, name).filter((s) => ACTIVE_STATEMENT_PHASES.has(s.phase));
    if (active.length > 0) {
      throw conflict(
        `ComputePool '${name}' cannot be updated while statements are running on it: ${active.map((s) => s.name).join(", ")}. Stop or delete them first.`,
      );
    }
  }
  const metadataChanged = updateMetadata(pool, input.metadata);
  if (specChanged) {
    pool.spec = spec as JsonObject;
    beginPhases(pool.progress, planPoolPhases(spec), mode, now, applyPoolPhase(pool));
  }
  if (specChanged || metadataChanged) pool.updatedAt = now;
  return pool;
}

export function deletePool(state: EmulatorState, env: string, name: string): void {
  requirePool(state, env, name);
  const statements = statementsOnPool(state, env, name);
  if (statements.length > 0) {
    throw conflict(
      `ComputePool '${name}' is used by ${statements.length} statement(s): ${statements.map((s) => s.name).join(", ")}. Delete them first.`,
    );
  }
  state.sql.of(env).computePools.delete(name);
}

/** Test control: force a phase (FAILING, FAILED, ...) with an optional status message. */
export function forcePoolPhase(
  pool: ComputePoolRecord,
  phase: string,
  message: string | undefined,
  now: number,
): void {
  pool.progress = { pending: [], lastAt: now };
  pool.phase = phase;
  if (message !== undefined) pool.message = message;
  else delete pool.message;
  pool.updatedAt = now;
}

export function poolView(
  state: EmulatorState,
  env: string,
  pool: ComputePoolRecord,
  withResources = false,
): JsonObject {
  const spec: JsonObject = { ...pool.spec };
  /* CMF's default, shown so that a read-back matches what a SHARED pool does. */
  if (spec.type === "SHARED" && spec.state === undefined) spec.state = "RUNNING";
  const status: JsonObject = { phase: pool.phase };
  if (pool.message !== undefined) status.message = pool.message;
  if (withResources) {
    const byPhase: Record<string, number> = {};
    for (const s of statementsOnPool(state, env, pool.name)) byPhase[s.phase] = (byPhase[s.phase] ?? 0) + 1;
    status.resources = { statements: byPhase };
  }
  return { ...envelope(COMPUTE_POOL_KIND, pool), spec, status };
}
