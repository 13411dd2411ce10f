import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { parseUserModel, PostSavepointSchema, SAVEPOINT_API_VERSION, SAVEPOINT_KIND } from "../models";
import { timestamp } from "./clock";
import { ApiError, badRequest, conflict, notFound, requireObjectBody } from "./errors";
import { clone } from "./json";
import type { LifecycleMode } from "./lifecycle";
import type { ListDefinition } from "./listing";
import type { JsonObject } from "./store";

/**
 * Savepoints: application savepoints, statement savepoints and detached savepoints. HTTP-free.
 *
 * A savepoint belongs to a parent ({@link SavepointParent}): an application or a statement, whose
 * record holds the savepoints in its own `savepoints` array, so that they go when the parent goes
 * (CMF deletes an application's savepoints with it unless they were detached). Detached savepoints
 * live in one global list.
 *
 * Lifecycle (the Flink Kubernetes Operator's `FlinkStateSnapshot`): TRIGGER_PENDING → IN_PROGRESS →
 * COMPLETED, or FAILED; moved by the emulator's lifecycle mode like application rollouts.
 */

/* ---------------------------------------------------------------------------------------------
   POLICY choices where CMF is silent (notes §2.9, §4 #20). Each is documented in docs/emulator-rest.md.
   --------------------------------------------------------------------------------------------- */

/** A second savepoint with the same name under the same parent (or among detached ones) → 409. */
export const SAVEPOINT_NAME_CONFLICT_STATUS = 409;
/**
 * A savepoint needs a running job: triggered on a parent whose job is not RUNNING it ends FAILED (it
 * is still created with 201, as the operator accepts the snapshot object and fails it).
 */
export const SAVEPOINT_REQUIRES_RUNNING_JOB = true;
/**
 * Flink needs a target directory: `spec.path`, else the parent's effective Flink configuration
 * (`execution.checkpointing.savepoint-dir`, or the older `state.savepoints.dir`). Without one the
 * savepoint ends FAILED with Flink's message, which is what a real cluster does.
 */
export const SAVEPOINT_DIRECTORY_KEYS = ["execution.checkpointing.savepoint-dir", "state.savepoints.dir"];
/**
 * `DELETE` without `force` only marks the savepoint (`status.pendingDeletion: true`); it stays listed
 * until a `DELETE ?force=true`. `force=true` on a savepoint that is not marked yet is refused with 400:
 * code that marks first works against CMF whatever it does here.
 */
export const FORCE_DELETE_REQUIRES_MARK = true;
/** Only a COMPLETED savepoint can be detached or restored from (`start?startFromSavepointUid=`). */
export const RESTORE_REQUIRES_COMPLETED = true;
/**
 * A detached savepoint created by POST points at an existing savepoint (`spec.path` required), so it
 * is COMPLETED at once, with `status.path` = `spec.path`.
 */
export const DETACHED_SAVEPOINT_REQUIRES_PATH = true;

export const DEFAULT_BACKOFF_LIMIT = -1;
export const DEFAULT_FORMAT_TYPE = "CANONICAL";

export type SavepointState = "TRIGGER_PENDING" | "IN_PROGRESS" | "COMPLETED" | "FAILED" | "ABANDONED";

/** One step of the snapshot lifecycle; a FAILED step carries its error. */
export interface SavepointStep {
  state: SavepointState;
  error?: string;
}

export interface SavepointRecord {
  name: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The spec as stored: `path` when given, `backoffLimit` and `formatType` with their defaults. */
  spec: JsonObject;
  createdAt: number;
  state: SavepointState;
  /** The final location, once COMPLETED. */
  path?: string;
  /** Where the savepoint is written (spec.path or the configured directory); absent = none configured. */
  directory?: string;
  jobId?: string;
  triggerAt?: number;
  resultAt?: number;
  failures: number;
  error?: string;
  pendingDeletion: boolean;
  /** Steps still to come and when the previous one was applied. */
  pending: SavepointStep[];
  lastAt: number;
  /** Where a detached savepoint came from (`FlinkApplication/<env>/<name>`); absent for created ones. */
  detachedFrom?: string;
}

const stringMap = z.record(z.string(), z.string());
const stepSchema = z.object({
  state: z.enum(["TRIGGER_PENDING", "IN_PROGRESS", "COMPLETED", "FAILED", "ABANDONED"]),
  error: z.string().optional(),
});
/** The data-file form of a savepoint (the record as is). */
export const SavepointRecordSchema = z.object({
  name: z.string(),
  uid: z.string(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  spec: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
  state: stepSchema.shape.state,
  path: z.string().optional(),
  directory: z.string().optional(),
  jobId: z.string().optional(),
  triggerAt: z.number().optional(),
  resultAt: z.number().optional(),
  failures: z.number(),
  error: z.string().optional(),
  pendingDeletion: z.boolean(),
  pending: z.array(stepSchema),
  lastAt: z.number(),
  detachedFrom: z.string().optional(),
});

/** What the savepoint rules need to know about the object a savepoint is taken of. */
export interface SavepointParent {
  /** `FlinkApplication` or `Statement`, for messages. */
  kind: string;
  environment: string;
  name: string;
  /** The parent record's own list (created on first use), so savepoints go with their parent. */
  owner: { savepoints?: SavepointRecord[] };
  /** The job's state now (`RUNNING`, `SUSPENDED`, ...); undefined when nothing was deployed. */
  jobState: string | undefined;
  jobId: string | undefined;
  /** The effective Flink configuration of what is deployed (environment defaults merged in). */
  flinkConfiguration: Record<string, unknown>;
}

export function savepointsOf(parent: SavepointParent): SavepointRecord[] {
  parent.owner.savepoints ??= [];
  return parent.owner.savepoints;
}

function describe(parent: SavepointParent): string {
  return `${parent.kind} '${parent.name}' in Environment '${parent.environment}'`;
}

export function savepointNotFound(parent: SavepointParent, name: string): ApiError {
  return notFound(`Savepoint '${name}' not found for ${describe(parent)}`);
}

export function requireSavepoint(parent: SavepointParent, name: string): SavepointRecord {
  const found = savepointsOf(parent).find((s) => s.name === name);
  if (!found) throw savepointNotFound(parent, name);
  return found;
}

export function requireDetachedSavepoint(detached: SavepointRecord[], name: string): SavepointRecord {
  const found = detached.find((s) => s.name === name);
  if (!found) throw notFound(`Detached Savepoint '${name}' not found`);
  return found;
}

interface ParsedBody {
  name: string | undefined;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec: JsonObject;
}

/** The body is optional: an empty one (or none) creates a savepoint with a generated name. */
function parseBody(body: unknown): ParsedBody {
  const parsed = parseUserModel(PostSavepointSchema, requireObjectBody(body));
  if (!parsed.ok) throw badRequest(parsed.messages);
  const input = parsed.value;
  const spec: JsonObject = {};
  if (input.spec?.path !== undefined) spec.path = input.spec.path;
  spec.backoffLimit = input.spec?.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  spec.formatType = input.spec?.formatType ?? DEFAULT_FORMAT_TYPE;
  return {
    name: input.metadata?.name,
    labels: input.metadata?.labels && { ...input.metadata.labels },
    annotations: input.metadata?.annotations && { ...input.metadata.annotations },
    spec,
  };
}

/** `<parent>-savepoint-<8 hex>`: unique, and a valid name whatever the parent's name. */
export function generatedName(parentName: string, taken: (name: string) => boolean): string {
  for (;;) {
    const name = `${parentName}-savepoint-${randomBytes(4).toString("hex")}`;
    if (!taken(name)) return name;
  }
}

export function savepointDirectory(
  spec: JsonObject,
  configuration: Record<string, unknown>,
): string | undefined {
  if (typeof spec.path === "string") return spec.path;
  for (const key of SAVEPOINT_DIRECTORY_KEYS) {
    const value = configuration[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

export const NO_DIRECTORY_MESSAGE =
  "java.lang.IllegalStateException: No savepoint directory configured. You can either specify a directory while triggering this savepoint (spec.path) or configure a cluster-wide default via key 'execution.checkpointing.savepoint-dir'.";

/** The steps a fresh savepoint of `parent` goes through (the first, TRIGGER_PENDING, is applied at once). */
export function planSavepoint(parent: SavepointParent, directory: string | undefined): SavepointStep[] {
  if (SAVEPOINT_REQUIRES_RUNNING_JOB && parent.jobState !== "RUNNING") {
    return [
      {
        state: "FAILED",
        error: `Cannot trigger a savepoint: the job of ${describe(parent)} is not RUNNING (state ${parent.jobState ?? "none"})`,
      },
    ];
  }
  if (directory === undefined)
    return [{ state: "IN_PROGRESS" }, { state: "FAILED", error: NO_DIRECTORY_MESSAGE }];
  return [{ state: "IN_PROGRESS" }, { state: "COMPLETED" }];
}

/** Flink's savepoint directory name: `savepoint-<first 6 hex of the job id>-<12 random hex>`. */
function completedPath(sp: SavepointRecord): string {
  const job = (sp.jobId ?? randomBytes(3).toString("hex")).slice(0, 6);
  const dir = (sp.directory ?? "").replace(/\/+$/, "");
  return `${dir}/savepoint-${job}-${randomBytes(6).toString("hex")}`;
}

function applyStep(sp: SavepointRecord, step: SavepointStep, at: number): void {
  sp.state = step.state;
  if (step.state === "IN_PROGRESS") sp.triggerAt = at;
  if (step.state === "COMPLETED") {
    sp.path = completedPath(sp);
    sp.resultAt = at;
    delete sp.error;
  }
  if (step.state === "FAILED") {
    sp.failures += 1;
    sp.error = step.error ?? "Savepoint failed";
    sp.resultAt = at;
  }
}

export function advanceSavepointSteps(sp: SavepointRecord, steps: number, at: number): boolean {
  let changed = false;
  for (let i = 0; i < steps && sp.pending.length > 0; i++) {
    applyStep(sp, sp.pending.shift() as SavepointStep, at);
    sp.lastAt = at;
    changed = true;
  }
  return changed;
}

function advanceSavepointByTime(sp: SavepointRecord, stepMs: number, now: number): boolean {
  let changed = false;
  while (sp.pending.length > 0 && sp.lastAt + stepMs <= now) {
    const at = sp.lastAt + stepMs;
    applyStep(sp, sp.pending.shift() as SavepointStep, at);
    sp.lastAt = at;
    changed = true;
  }
  return changed;
}

/** As for applications: time-based modes catch up with the clock, `stepped` moves one step per GET of it. */
export function onSavepointRead(
  sp: SavepointRecord,
  mode: LifecycleMode,
  now: number,
  isGetOfThis: boolean,
): boolean {
  if (typeof mode === "object") return advanceSavepointByTime(sp, mode.stepMs, now);
  if (mode === "stepped" && isGetOfThis) return advanceSavepointSteps(sp, 1, now);
  return false;
}

/** `POST .../savepoints` (201): triggers a savepoint of `parent`. */
export function createSavepoint(
  parent: SavepointParent,
  body: unknown,
  mode: LifecycleMode,
  now: number,
): SavepointRecord {
  const input = parseBody(body);
  const list = savepointsOf(parent);
  const taken = (name: string) => list.some((s) => s.name === name);
  if (input.name !== undefined && taken(input.name)) {
    throw new ApiError(
      SAVEPOINT_NAME_CONFLICT_STATUS,
      `Savepoint '${input.name}' already exists for ${describe(parent)}`,
    );
  }
  const directory = savepointDirectory(input.spec, parent.flinkConfiguration);
  const record: SavepointRecord = {
    name: input.name ?? generatedName(parent.name, taken),
    uid: randomUUID(),
    ...(input.labels ? { labels: input.labels } : {}),
    ...(input.annotations ? { annotations: input.annotations } : {}),
    spec: input.spec,
    createdAt: now,
    state: "TRIGGER_PENDING",
    ...(directory !== undefined ? { directory } : {}),
    ...(parent.jobId !== undefined ? { jobId: parent.jobId } : {}),
    failures: 0,
    pendingDeletion: false,
    pending: planSavepoint(parent, directory),
    lastAt: now,
  };
  if (mode === "instant") advanceSavepointSteps(record, Number.MAX_SAFE_INTEGER, now);
  list.push(record);
  return record;
}

/** `POST /detached-savepoints` (201): registers an existing savepoint at `spec.path`. */
export function createDetachedSavepoint(
  detached: SavepointRecord[],
  body: unknown,
  now: number,
): SavepointRecord {
  const input = parseBody(body);
  if (DETACHED_SAVEPOINT_REQUIRES_PATH && typeof input.spec.path !== "string") {
    throw badRequest("spec.path: must not be null (the path of an existing savepoint)");
  }
  const taken = (name: string) => detached.some((s) => s.name === name);
  if (input.name !== undefined && taken(input.name)) {
    throw new ApiError(SAVEPOINT_NAME_CONFLICT_STATUS, `Detached Savepoint '${input.name}' already exists`);
  }
  const record: SavepointRecord = {
    name: input.name ?? generatedName("detached", taken),
    uid: randomUUID(),
    ...(input.labels ? { labels: input.labels } : {}),
    ...(input.annotations ? { annotations: input.annotations } : {}),
    spec: input.spec,
    createdAt: now,
    state: "COMPLETED",
    path: input.spec.path as string,
    directory: input.spec.path as string,
    resultAt: now,
    failures: 0,
    pendingDeletion: false,
    pending: [],
    lastAt: now,
  };
  detached.push(record);
  return record;
}

/**
 * `DELETE .../savepoints/{name}[?force=true]`: without force, marks it for deletion (idempotent);
 * with force, removes a marked one.
 */
export function deleteSavepoint(list: SavepointRecord[], sp: SavepointRecord, force: boolean): void {
  if (!force) {
    sp.pendingDeletion = true;
    return;
  }
  if (FORCE_DELETE_REQUIRES_MARK && !sp.pendingDeletion) {
    throw badRequest(
      `force: Savepoint '${sp.name}' is not marked for deletion; delete it without force first, then with force=true`,
    );
  }
  list.splice(list.indexOf(sp), 1);
}

function requireCompleted(sp: SavepointRecord, action: string): void {
  if (RESTORE_REQUIRES_COMPLETED && sp.state !== "COMPLETED") {
    throw badRequest(
      `Savepoint '${sp.name}' cannot be ${action}: it is ${sp.state}, and only a COMPLETED savepoint can be`,
    );
  }
}

/** `POST .../savepoints/{name}/detach` (200): moves it from its parent to the detached savepoints. */
export function detachSavepoint(
  parent: SavepointParent,
  name: string,
  detached: SavepointRecord[],
): SavepointRecord {
  const list = savepointsOf(parent);
  const sp = requireSavepoint(parent, name);
  requireCompleted(sp, "detached");
  if (detached.some((d) => d.name === sp.name)) {
    throw conflict(`Detached Savepoint '${sp.name}' already exists; delete it before detaching this one`);
  }
  list.splice(list.indexOf(sp), 1);
  sp.detachedFrom = `${parent.kind}/${parent.environment}/${parent.name}`;
  detached.push(sp);
  return sp;
}

/**
 * The savepoint `start?startFromSavepointUid=` restores from: one of this parent's own savepoints or a
 * detached one (a detached savepoint can be used by any application), COMPLETED and not being deleted.
 */
export function savepointForRestore(
  parent: SavepointParent,
  detached: SavepointRecord[],
  uid: string,
): SavepointRecord {
  const sp = savepointsOf(parent).find((s) => s.uid === uid) ?? detached.find((s) => s.uid === uid);
  /* CMF's wording; the uid is searched among this parent's savepoints and the detached ones. */
  if (!sp) throw notFound(`Savepoint with uid '${uid}' not found`);
  requireCompleted(sp, "restored from");
  if (sp.pendingDeletion)
    throw badRequest(`Savepoint '${sp.name}' cannot be restored from: it is marked for deletion`);
  return sp;
}

/** Test control: ends a savepoint that is not final yet as COMPLETED or FAILED. */
export function forceSavepointOutcome(
  sp: SavepointRecord,
  outcome: "COMPLETED" | "FAILED",
  message: string | undefined,
  now: number,
): void {
  if (outcome === "COMPLETED" && sp.directory === undefined) {
    throw badRequest(
      `Savepoint '${sp.name}' has no directory (spec.path or savepoint-dir); it can only fail`,
    );
  }
  sp.pending = [];
  sp.lastAt = now;
  applyStep(sp, { state: outcome, error: message }, now);
}

export function savepointView(sp: SavepointRecord): JsonObject {
  const metadata: JsonObject = { name: sp.name, uid: sp.uid, creationTimestamp: timestamp(sp.createdAt) };
  if (sp.labels) metadata.labels = sp.labels;
  if (sp.annotations) metadata.annotations = sp.annotations;
  /* JsonInclude NON_NULL in CMF's model: absent fields are omitted, never null. */
  const status: JsonObject = { state: sp.state };
  if (sp.path !== undefined) status.path = sp.path;
  if (sp.triggerAt !== undefined) status.triggerTimestamp = timestamp(sp.triggerAt);
  if (sp.resultAt !== undefined) status.resultTimestamp = timestamp(sp.resultAt);
  status.failures = sp.failures;
  if (sp.error !== undefined) status.error = sp.error;
  status.pendingDeletion = sp.pendingDeletion;
  return { apiVersion: SAVEPOINT_API_VERSION, kind: SAVEPOINT_KIND, metadata, spec: clone(sp.spec), status };
}

export const SAVEPOINT_LIST: ListDefinition<SavepointRecord> = {
  resource: "savepoints",
  sortKeys: {
    name: (s) => s.name,
    "metadata.name": (s) => s.name,
    creationTimestamp: (s) => s.createdAt,
    "metadata.creationTimestamp": (s) => s.createdAt,
    state: (s) => s.state,
    "status.state": (s) => s.state,
  },
  filters: { name: (s) => s.name, labels: (s) => s.labels },
  supportsFilter: true,
  supportsFields: true,
};
