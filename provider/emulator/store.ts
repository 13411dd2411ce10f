import { z } from "zod";
import {
  ApplicationNameSchema,
  EnvironmentNameSchema,
  KubernetesNameSchema,
  parseUserModel,
  type FlinkApplicationSpec,
  type ParseResult,
} from "../models";
import { MAX_CLOCK_OFFSET_MS, MAX_TIMESTAMP_MS } from "./clock";
import { ClusterRecordSchema, initialClusters, type ClusterRecord } from "./clusters";
import { SavepointRecordSchema, type SavepointRecord } from "./savepoints";
import { fromSqlSnapshot, SqlSnapshotSchema, SqlState, toSqlSnapshot } from "./sql-state";

/** Kept per application, as CMF does (`cmf.application-events.max-events-per-application`). */
export const MAX_EVENTS_PER_APPLICATION = 100;
/** CMF's default instance retention per application. */
export const MAX_INSTANCES_PER_APPLICATION = 100;

export type JsonObject = Record<string, unknown>;

/** One step of the simulated Flink operator reconciliation. */
export interface Phase {
  lifecycleState: string;
  jobState: string;
  jobManagerDeploymentStatus: string;
  reconciliationState: string;
}

/** Phases still to come for the current rollout; `lastAt` is when the previous phase was applied. */
export interface LifecycleProgress {
  pending: Phase[];
  lastAt: number;
}

export interface InstanceRecord {
  name: string;
  createdAt: number;
  updatedAt: number;
  /** The environment defaults merged into the application spec at creation time. */
  spec: JsonObject;
  jobId?: string;
  jobState?: string;
}

export interface EventRecord {
  name: string;
  createdAt: number;
  instance?: string;
  type: string;
  message: string;
  data: Record<string, string>;
}

/** A cached serialized GET answer; dropped on every change of the record. */
export interface ViewCache {
  body: string;
  etag: string;
}

export interface ApplicationRecord {
  name: string;
  apiVersion: string;
  kind: string;
  uid: string;
  /** The user's metadata without the server-set fields (name, labels, annotations, anything else). */
  metadata: JsonObject;
  /** The user's spec exactly as sent; never merged with environment defaults. */
  spec: FlinkApplicationSpec;
  createdAt: number;
  /** Last change made by a client (spec or metadata); what `sort=updateTimestamp` orders by. */
  updatedAt: number;
  /** Last status change; the displayed `metadata.updateTimestamp` is the later of the two. */
  statusUpdatedAt: number;
  generation: number;
  status: JsonObject;
  progress: LifecycleProgress;
  instances: InstanceRecord[];
  events: EventRecord[];
  /** Its savepoints (created on first use): they go with the application unless detached. */
  savepoints?: SavepointRecord[];
  cache?: ViewCache;
}

export interface EnvironmentRecord {
  name: string;
  kubernetesNamespace: string;
  kubernetesClusterName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  flinkApplicationDefaults?: JsonObject;
  computePoolDefaults?: JsonObject;
  statementDefaults?: JsonObject;
  createdAt: number;
  updatedAt: number;
  /** In creation order, which is also the unsorted list order. */
  applications: Map<string, ApplicationRecord>;
  cache?: ViewCache;
}

/** All emulated CMF state. Maps keep creation order, which is the order of unsorted lists. */
export class EmulatorState {
  environments = new Map<string, EnvironmentRecord>();
  /** Always holds the hub cluster. */
  kubernetesClusters: Map<string, ClusterRecord> = initialClusters(Date.now());
  detachedSavepoints: SavepointRecord[] = [];

  /** Secrets, mappings, catalogs, compute pools, statements, tables (sql-state.ts). */
  sql = new SqlState();

  clear(): void {
    this.environments.clear();
    this.kubernetesClusters = initialClusters(Date.now());
    this.detachedSavepoints = [];
    this.sql.clear();
  }
}

// ------------------------------------------------------------------------------------------------
// Snapshot: the data file format. Plain JSON, versioned, validated on load.

export const SNAPSHOT_FORMAT = "pulumi-cmf-emulator";
/** 2 added `sql` (secrets, mappings, catalogs, pools, statements, tables); files of version 1 still load. */
export const SNAPSHOT_VERSION = 2;

const jsonObject = z.record(z.string(), z.unknown());
/* A hand-edited file must not hold what the API could never have stored: times the clock cannot
   show, names CMF refuses, two objects under one name. */
const instant = z.number().int().min(0).max(MAX_TIMESTAMP_MS);

function uniqueNames(what: string) {
  return (ctx: { value: { name: string }[]; issues: z.core.$ZodRawIssue[] }) => {
    const seen = new Set<string>();
    ctx.value.forEach((item, index) => {
      if (seen.has(item.name)) {
        ctx.issues.push({
          code: "custom",
          path: [index, "name"],
          message: `duplicate ${what} '${item.name}'`,
          input: item.name,
        });
      }
      seen.add(item.name);
    });
  };
}
const stringMap = z.record(z.string(), z.string());
const phaseSchema = z.object({
  lifecycleState: z.string(),
  jobState: z.string(),
  jobManagerDeploymentStatus: z.string(),
  reconciliationState: z.string(),
});

const applicationSnapshot = z.object({
  name: ApplicationNameSchema,
  apiVersion: z.string(),
  kind: z.string(),
  uid: z.string(),
  metadata: jsonObject,
  spec: jsonObject,
  createdAt: instant,
  updatedAt: instant,
  statusUpdatedAt: instant,
  generation: z.number().int().min(0),
  status: jsonObject,
  progress: z.object({ pending: z.array(phaseSchema), lastAt: instant }),
  instances: z.array(
    z.object({
      name: z.string(),
      createdAt: instant,
      updatedAt: instant,
      spec: jsonObject,
      jobId: z.string().optional(),
      jobState: z.string().optional(),
    }),
  ),
  events: z.array(
    z.object({
      name: z.string(),
      createdAt: instant,
      instance: z.string().optional(),
      type: z.string(),
      message: z.string(),
      data: stringMap,
    }),
  ),
  savepoints: z.array(SavepointRecordSchema).check(uniqueNames("savepoint")).optional(),
});

const environmentSnapshot = z.object({
  name: EnvironmentNameSchema,
  kubernetesNamespace: KubernetesNameSchema,
  kubernetesClusterName: KubernetesNameSchema.optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  flinkApplicationDefaults: jsonObject.optional(),
  computePoolDefaults: jsonObject.optional(),
  statementDefaults: jsonObject.optional(),
  createdAt: instant,
  updatedAt: instant,
  applications: z.array(applicationSnapshot).check(uniqueNames("application")),
});

export const SnapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.union([z.literal(1), z.literal(SNAPSHOT_VERSION)]),
  clockOffsetMs: z.number().int().min(0).max(MAX_CLOCK_OFFSET_MS).default(0),
  environments: z.array(environmentSnapshot).check(uniqueNames("environment")),
  /* Added after version 1 shipped; optional so that older files still load (they get the hub alone). */
  kubernetesClusters: z.array(ClusterRecordSchema).check(uniqueNames("kubernetes cluster")).optional(),
  detachedSavepoints: z.array(SavepointRecordSchema).check(uniqueNames("detached savepoint")).default([]),
  sql: SqlSnapshotSchema.optional(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** Validates a data file's JSON, keeping `__proto__` keys of user data (see parseUserModel). */
export function parseSnapshot(json: unknown): ParseResult<Snapshot> {
  return parseUserModel(SnapshotSchema, json);
}

export function toSnapshot(state: EmulatorState, clockOffsetMs: number): Snapshot {
  const environments = [...state.environments.values()].map(({ applications, cache: _cache, ...env }) => ({
    ...env,
    applications: [...applications.values()].map(({ cache: _appCache, ...app }) => app),
  }));
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    clockOffsetMs,
    environments,
    kubernetesClusters: [...state.kubernetesClusters.values()],
    detachedSavepoints: state.detachedSavepoints,
    sql: toSqlSnapshot(state.sql),
  };
}

export function fromSnapshot(snapshot: Snapshot): EmulatorState {
  const state = new EmulatorState();
  state.sql = fromSqlSnapshot(snapshot.sql);
  for (const { applications, ...env } of snapshot.environments) {
    const apps = new Map<string, ApplicationRecord>();
    for (const app of applications) apps.set(app.name, { ...app, spec: app.spec as FlinkApplicationSpec });
    state.environments.set(env.name, { ...env, applications: apps });
  }
  for (const cluster of snapshot.kubernetesClusters ?? [])
    state.kubernetesClusters.set(cluster.name, cluster);
  /* `??`: a rollback reads the raw last write back, which a file of version 1 may be. */
  state.detachedSavepoints = snapshot.detachedSavepoints ?? [];
  return state;
}
