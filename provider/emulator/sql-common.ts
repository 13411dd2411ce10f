import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { CMF_API_VERSION, parseModel } from "../models";
import { timestamp } from "./clock";
import { badRequest, requireObjectBody } from "./errors";
import { jsonEqual } from "./json";
import type { LifecycleMode } from "./lifecycle";
import type { PhaseProgress, ResourceRecord } from "./sql-state";
import type { JsonObject } from "./store";

/** Helpers shared by the SQL family modules (secrets, catalogs, compute pools, statements). */

/** Validates a request body against a CMF model with CMF-style messages (400 otherwise). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = parseModel(schema, requireObjectBody(body));
  if (!parsed.ok) throw badRequest(parsed.messages);
  return parsed.value;
}

export interface PostedMetadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** PUT names the object twice (path and body); they must agree. */
export function requireSameName(pathName: string, metadata: PostedMetadata): void {
  if (metadata.name !== pathName) {
    throw badRequest(
      `metadata.name: must equal the name in the path ('${pathName}', got '${metadata.name}')`,
    );
  }
}

export function newResource(metadata: PostedMetadata, now: number): ResourceRecord {
  return {
    name: metadata.name,
    uid: randomUUID(),
    ...(metadata.labels ? { labels: { ...metadata.labels } } : {}),
    ...(metadata.annotations ? { annotations: { ...metadata.annotations } } : {}),
    createdAt: now,
    updatedAt: now,
  };
}

/** Replaces labels and annotations with the posted ones; true when they changed. */
export function updateMetadata(record: ResourceRecord, metadata: PostedMetadata): boolean {
  const changed =
    !jsonEqual(record.labels, metadata.labels) || !jsonEqual(record.annotations, metadata.annotations);
  if (changed) {
    if (metadata.labels) record.labels = { ...metadata.labels };
    else delete record.labels;
    if (metadata.annotations) record.annotations = { ...metadata.annotations };
    else delete record.annotations;
  }
  return changed;
}

export function metadataView(record: ResourceRecord): JsonObject {
  const metadata: JsonObject = { name: record.name, uid: record.uid };
  if (record.labels) metadata.labels = record.labels;
  if (record.annotations) metadata.annotations = record.annotations;
  metadata.creationTimestamp = timestamp(record.createdAt);
  metadata.updateTimestamp = timestamp(record.updatedAt);
  return metadata;
}

export function envelope(kind: string, record: ResourceRecord): JsonObject {
  return { apiVersion: CMF_API_VERSION, kind, metadata: metadataView(record) };
}

/** Sort keys every typed resource list accepts. */
export function resourceSortKeys<T extends ResourceRecord>() {
  return {
    name: (r: T) => r.name,
    "metadata.name": (r: T) => r.name,
    creationTimestamp: (r: T) => r.createdAt,
    "metadata.creationTimestamp": (r: T) => r.createdAt,
    updateTimestamp: (r: T) => r.updatedAt,
    "metadata.updateTimestamp": (r: T) => r.updatedAt,
  };
}

// ------------------------------------------------------------------------------------------------
// Phases of asynchronous objects (compute pools, statements), moved like application rollouts.

export type ApplyPhase = (phase: string, at: number) => void;

export function advancePhases(
  progress: PhaseProgress,
  steps: number,
  at: number,
  apply: ApplyPhase,
): boolean {
  let changed = false;
  for (let i = 0; i < steps && progress.pending.length > 0; i++) {
    apply(progress.pending.shift() as string, at);
    progress.lastAt = at;
    changed = true;
  }
  return changed;
}

function advanceByTime(progress: PhaseProgress, stepMs: number, now: number, apply: ApplyPhase): boolean {
  let changed = false;
  while (progress.pending.length > 0 && progress.lastAt + stepMs <= now) {
    const at = progress.lastAt + stepMs;
    apply(progress.pending.shift() as string, at);
    progress.lastAt = at;
    changed = true;
  }
  return changed;
}

/**
 * Starts a phase sequence: the first phase at once, the rest as the lifecycle mode moves them
 * (`instant`: all of them now).
 */
export function beginPhases(
  progress: PhaseProgress,
  phases: string[],
  mode: LifecycleMode,
  now: number,
  apply: ApplyPhase,
): void {
  progress.pending = phases.slice(1);
  progress.lastAt = now;
  if (phases.length > 0) apply(phases[0], now);
  if (mode === "instant") advancePhases(progress, Number.MAX_SAFE_INTEGER, now, apply);
}

/** What a read does under each mode (as for applications): `stepped` moves one phase per GET of it. */
export function phasesOnRead(
  progress: PhaseProgress,
  mode: LifecycleMode,
  now: number,
  isGetOfThis: boolean,
  apply: ApplyPhase,
): boolean {
  if (typeof mode === "object") return advanceByTime(progress, mode.stepMs, now, apply);
  if (mode === "stepped" && isGetOfThis) return advancePhases(progress, 1, now, apply);
  return false;
}

/** `clock/advance`: `steps` phases, then whatever the (moved) clock made due. */
export function phasesOnAdvance(
  progress: PhaseProgress,
  mode: LifecycleMode,
  steps: number,
  now: number,
  apply: ApplyPhase,
): boolean {
  const stepped = advancePhases(progress, steps, now, apply);
  return phasesOnRead(progress, mode, now, false, apply) || stepped;
}
