import { randomUUID } from "node:crypto";
import {
  parseUserModel,
  PostFlinkApplicationSchema,
  setOwn,
  type FlinkApplicationSpec,
  type JobState,
} from "../models";
import { effectiveSpec } from "./effective-spec";
import { badRequest, notFound, requireObjectBody } from "./errors";
import { clone, isPlainObject, jsonEqual } from "./json";
import { beginRollout, failApplication, settleAll, type LifecycleMode } from "./lifecycle";
import { OPERATOR_VALIDATION_EXCEPTION, operatorValidationProblem } from "./operator-validation";
import type { ApplicationRecord, EnvironmentRecord, JsonObject } from "./store";

/** Server-set metadata fields: whatever a client sends for them is ignored. */
const SERVER_METADATA = new Set(["name", "uid", "creationTimestamp", "updateTimestamp"]);

export function applicationNotFound(env: string, app: string): Error {
  return notFound(`FlinkApplication '${app}' not found in Environment '${env}'`);
}

export function requireApplication(env: EnvironmentRecord, name: string): ApplicationRecord {
  const app = env.applications.get(name);
  if (!app) throw applicationNotFound(env.name, name);
  return app;
}

export interface UpsertApplicationResult {
  app: ApplicationRecord;
  created: boolean;
  changed: boolean;
}

function userMetadata(metadata: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!SERVER_METADATA.has(key) && value !== undefined) setOwn(out, key, clone(value));
  }
  return out;
}

/**
 * Deploys the current spec as a new instance, then settles it at once in `instant` mode. A spec the
 * operator refuses fails the application at once with the operator's message (CMF accepted it). With
 * `restorePath` (start from a savepoint) the instance's job starts from that savepoint, as the operator
 * does with `job.initialSavepointPath`; the application's own spec is left as the user wrote it.
 */
function rollout(
  env: EnvironmentRecord,
  app: ApplicationRecord,
  mode: LifecycleMode,
  now: number,
  restorePath?: string,
): void {
  const instanceName = randomUUID();
  const spec = effectiveSpec(env.flinkApplicationDefaults, app.spec, instanceName);
  if (restorePath !== undefined) {
    spec.job = { ...(isPlainObject(spec.job) ? spec.job : {}), initialSavepointPath: restorePath };
  }
  beginRollout(app, spec, instanceName, now);
  const problem = operatorValidationProblem(spec);
  if (problem !== undefined) failApplication(app, `${OPERATOR_VALIDATION_EXCEPTION}: ${problem}`, now);
  else if (mode === "instant") settleAll(app, now);
}

/**
 * `POST .../applications`: an upsert keyed by `metadata.name`. The stored spec is the user's, as sent;
 * a new instance is rolled out only when the spec changed (a same-spec re-POST changes nothing), and
 * metadata-only changes (labels, annotations) update the object without a rollout.
 */
export function upsertApplication(
  env: EnvironmentRecord,
  body: unknown,
  mode: LifecycleMode,
  now: number,
): UpsertApplicationResult {
  const parsed = parseUserModel(PostFlinkApplicationSchema, requireObjectBody(body));
  if (!parsed.ok) throw badRequest(parsed.messages);
  const input = parsed.value;
  const name = input.metadata.name;
  const metadata = userMetadata(input.metadata);
  const existing = env.applications.get(name);

  if (!existing) {
    const app: ApplicationRecord = {
      name,
      apiVersion: input.apiVersion,
      kind: input.kind,
      uid: randomUUID(),
      metadata,
      spec: clone(input.spec) as FlinkApplicationSpec,
      createdAt: now,
      updatedAt: now,
      statusUpdatedAt: now,
      generation: 0,
      status: {},
      progress: { pending: [], lastAt: now },
      instances: [],
      events: [],
    };
    rollout(env, app, mode, now);
    env.applications.set(name, app);
    return { app, created: true, changed: true };
  }

  // Compared before copying: a re-POST of the same spec (the common case) copies nothing.
  const specChanged = !jsonEqual(existing.spec, input.spec);
  const metadataChanged = !jsonEqual(existing.metadata, metadata);
  if (!specChanged && !metadataChanged) return { app: existing, created: false, changed: false };
  existing.metadata = metadata;
  existing.updatedAt = now;
  existing.cache = undefined;
  if (specChanged) {
    existing.spec = clone(input.spec) as FlinkApplicationSpec;
    rollout(env, existing, mode, now);
  }
  return { app: existing, created: false, changed: true };
}

/**
 * `start` / `suspend`: set `spec.job.state` and roll out like a spec change. Asking for the state the
 * application is already in answers 200 with no change (CMF documents a 304 here, which would break
 * clients that treat 2xx as success, so the emulator does not use it), except that `start` on a
 * FAILED application redeploys it, and so does `start` from a savepoint (`restorePath`).
 */
export function setDesiredState(
  env: EnvironmentRecord,
  app: ApplicationRecord,
  state: JobState,
  mode: LifecycleMode,
  now: number,
  restorePath?: string,
): boolean {
  const job = isPlainObject(app.spec.job) ? app.spec.job : {};
  const current = job.state === "suspended" ? "suspended" : "running";
  const failed = app.status.lifecycleState === "FAILED";
  if (current === state && !(state === "running" && failed) && restorePath === undefined) return false;
  app.spec = { ...app.spec, job: { ...job, state } };
  app.updatedAt = now;
  app.cache = undefined;
  rollout(env, app, mode, now, restorePath);
  return true;
}

export function deleteApplication(env: EnvironmentRecord, name: string): void {
  requireApplication(env, name);
  env.applications.delete(name);
}

export function forceFailure(app: ApplicationRecord, message: string, now: number): void {
  failApplication(app, message, now);
}
