import { parseUserModel, PostEnvironmentSchema } from "../models";
import { environmentClusterProblems, HUB_CLUSTER_NAME } from "./clusters";
import { badRequest, conflict, notFound, requireObjectBody } from "./errors";
import { clone, isPlainObject, jsonEqual } from "./json";
import type { EmulatorState, EnvironmentRecord, JsonObject } from "./store";

/**
 * POLICY (CMF leaves it undocumented, notes §3.5): deleting an environment that still has
 * applications is refused with 409 naming them, with or without `force`. A refusal is the safe
 * emulation: code that deletes children first works against CMF whatever CMF really does, while code
 * that relied on a cascade would only work here.
 */
export const REFUSE_DELETE_OF_ENVIRONMENT_WITH_APPLICATIONS = true;

export function environmentNotFound(name: string): Error {
  return notFound(`Environment '${name}' not found`);
}

export function requireEnvironment(state: EmulatorState, name: string): EnvironmentRecord {
  const env = state.environments.get(name);
  if (!env) throw environmentNotFound(name);
  return env;
}

export interface UpsertResult {
  env: EnvironmentRecord;
  created: boolean;
  changed: boolean;
}

type Stored = Pick<
  EnvironmentRecord,
  | "kubernetesNamespace"
  | "kubernetesClusterName"
  | "labels"
  | "annotations"
  | "flinkApplicationDefaults"
  | "computePoolDefaults"
  | "statementDefaults"
>;

function optionalObject(value: unknown): JsonObject | undefined {
  return isPlainObject(value) ? clone(value) : undefined;
}

/**
 * `POST /environments`: an upsert keyed by name. Rules where CMF is silent or only inferred:
 * - `kubernetesNamespace` is required to create; omitted on update it keeps the stored value, and a
 *   different value is refused (400) because CMF deploys into the namespace at creation. The same
 *   applies to `kubernetesClusterName`.
 * - The defaults (`flinkApplicationDefaults`, `computePoolDefaults`, `statementDefaults`) are replaced
 *   by what the body holds; omitted or null clears them (a Spring upsert saves the body it got).
 * - `metadata` omitted keeps the stored labels and annotations (older clients send only the flat
 *   shape); `metadata` present replaces them.
 * - Unknown top-level fields are ignored and not stored, as Jackson does by default.
 * - Nothing changes (not even `updated_time`) when the body matches what is stored.
 */
export function upsertEnvironment(state: EmulatorState, body: unknown, now: number): UpsertResult {
  const parsed = parseUserModel(PostEnvironmentSchema, requireObjectBody(body));
  if (!parsed.ok) throw badRequest(parsed.messages);
  const input = parsed.value;
  const name = (input.name ?? input.metadata?.name) as string;
  const existing = state.environments.get(name);

  if (!existing && input.kubernetesNamespace === undefined) {
    throw badRequest("kubernetesNamespace: must not be null");
  }
  if (!existing) {
    const clusterProblems = environmentClusterProblems(
      state.kubernetesClusters,
      input.kubernetesClusterName ?? HUB_CLUSTER_NAME,
    );
    if (clusterProblems.length > 0) throw badRequest(clusterProblems);
  }
  if (existing) {
    const problems: string[] = [];
    if (
      input.kubernetesNamespace !== undefined &&
      input.kubernetesNamespace !== existing.kubernetesNamespace
    ) {
      problems.push(
        `kubernetesNamespace: cannot be changed on an existing environment (is '${existing.kubernetesNamespace}', got '${input.kubernetesNamespace}'); create a new environment instead`,
      );
    }
    if (
      input.kubernetesClusterName !== undefined &&
      input.kubernetesClusterName !== existing.kubernetesClusterName
    ) {
      problems.push(
        `kubernetesClusterName: cannot be changed on an existing environment (is '${existing.kubernetesClusterName ?? "(hub cluster)"}', got '${input.kubernetesClusterName}'); create a new environment instead`,
      );
    }
    if (problems.length > 0) throw badRequest(problems);
  }

  const next: Stored = {
    kubernetesNamespace: input.kubernetesNamespace ?? (existing as EnvironmentRecord).kubernetesNamespace,
    kubernetesClusterName: input.kubernetesClusterName ?? existing?.kubernetesClusterName,
    labels: input.metadata ? input.metadata.labels && { ...input.metadata.labels } : existing?.labels,
    annotations: input.metadata
      ? input.metadata.annotations && { ...input.metadata.annotations }
      : existing?.annotations,
    flinkApplicationDefaults: optionalObject(input.flinkApplicationDefaults),
    computePoolDefaults: optionalObject(input.computePoolDefaults),
    statementDefaults: optionalObject(input.statementDefaults),
  };

  if (!existing) {
    const env: EnvironmentRecord = { name, ...next, createdAt: now, updatedAt: now, applications: new Map() };
    state.environments.set(name, env);
    return { env, created: true, changed: true };
  }
  const keys = Object.keys(next) as (keyof Stored)[];
  const changed = keys.some((k) => !jsonEqual(existing[k], next[k]));
  if (changed) {
    for (const k of keys) {
      if (next[k] === undefined) delete existing[k];
      else (existing as unknown as Record<string, unknown>)[k] = next[k];
    }
    existing.updatedAt = now;
    existing.cache = undefined;
  }
  return { env: existing, created: false, changed };
}

export function deleteEnvironment(state: EmulatorState, name: string): void {
  const env = requireEnvironment(state, name);
  if (REFUSE_DELETE_OF_ENVIRONMENT_WITH_APPLICATIONS && env.applications.size > 0) {
    const names = [...env.applications.keys()];
    throw conflict(
      `Environment '${name}' still has ${names.length} application(s): ${names.join(", ")}. Delete them first.`,
    );
  }
  /* Statements, compute pools and secret mappings: the same rule as for applications. */
  const sqlChildren = state.sql.childrenOf(name);
  if (REFUSE_DELETE_OF_ENVIRONMENT_WITH_APPLICATIONS && sqlChildren.length > 0) {
    throw conflict(`Environment '${name}' still has ${sqlChildren.join("; ")}. Delete them first.`);
  }
  state.environments.delete(name);
  state.sql.environments.delete(name);
}
