import { randomBytes, randomUUID } from "node:crypto";
import type { JobState } from "../models";
import { isPlainObject } from "./json";
import {
  MAX_EVENTS_PER_APPLICATION,
  MAX_INSTANCES_PER_APPLICATION,
  type ApplicationRecord,
  type InstanceRecord,
  type JsonObject,
  type Phase,
} from "./store";

/**
 * How fast simulated rollouts move:
 * - `instant`: the final state is reached within the upsert itself (unit tests);
 * - `stepped`: one phase per GET of that application, like an operator that needs a few polls;
 * - `manual`: only `clock/advance` moves phases;
 * - `{ stepMs }`: one phase per `stepMs` of emulator clock time (wall clock plus advances).
 */
export type LifecycleMode = "instant" | "stepped" | "manual" | { stepMs: number };

export const CMF_STATUS = "CMF_STATUS";
export const JOB_STATUS = "JOB_STATUS";

const phase = (lifecycleState: string, jobState: string, jm: string, reconciliationState: string): Phase => ({
  lifecycleState,
  jobState,
  jobManagerDeploymentStatus: jm,
  reconciliationState,
});

/* The Flink Kubernetes Operator's sequence for a fresh deployment, as seen in real CMF statuses
   (RECONCILING/DEPLOYED/DEPLOYING right after submission, then READY, RUNNING, STABLE). */
const DEPLOY: Phase[] = [
  phase("DEPLOYED", "RECONCILING", "DEPLOYING", "DEPLOYED"),
  phase("DEPLOYED", "RECONCILING", "DEPLOYED_NOT_READY", "DEPLOYED"),
  phase("DEPLOYED", "RUNNING", "READY", "DEPLOYED"),
  phase("STABLE", "RUNNING", "READY", "DEPLOYED"),
];
const UPGRADE_START = phase("UPGRADING", "RECONCILING", "DEPLOYING", "UPGRADING");
const LIVE_LIFECYCLE_STATES = new Set(["DEPLOYED", "STABLE", "UPGRADING", "ROLLING_BACK", "ROLLED_BACK"]);

/**
 * The job state a suspended application reports. A savepoint upgrade stops the job with a savepoint,
 * which Flink reports as FINISHED; the other modes tear the cluster down, reported as SUSPENDED.
 */
function suspendedJobState(upgradeMode: string | undefined): string {
  return upgradeMode === "savepoint" ? "FINISHED" : "SUSPENDED";
}

/** Job states of an instance whose job is still (being) deployed when a newer spec replaces it. */
const SUPERSEDED_JOB_STATES = new Set(["RECONCILING", "CREATED", "INITIALIZING", "RUNNING", "RESTARTING"]);

/**
 * POLICY: an instance replaced by a newer spec stops reporting a live job. The operator upgrades by
 * suspending the old job the way `suspend` does (savepoint: stopped with a savepoint, FINISHED;
 * otherwise the cluster is torn down, SUSPENDED), so a superseded instance shows that state.
 */
export const supersededJobState = suspendedJobState;

/** The phases a rollout goes through, given the desired state and what is deployed now. */
export function planRollout(
  target: JobState,
  currentLifecycle: unknown,
  upgradeMode: string | undefined,
): Phase[] {
  const live = typeof currentLifecycle === "string" && LIVE_LIFECYCLE_STATES.has(currentLifecycle);
  if (target === "running") return live ? [UPGRADE_START, ...DEPLOY] : [...DEPLOY];
  const suspended = phase("SUSPENDED", suspendedJobState(upgradeMode), "MISSING", "DEPLOYED");
  return live ? [phase("UPGRADING", "RUNNING", "READY", "UPGRADING"), suspended] : [suspended];
}

export function pushEvent(
  app: ApplicationRecord,
  type: string,
  message: string,
  data: Record<string, string>,
  at: number,
): void {
  app.events.push({
    name: randomUUID(),
    createdAt: at,
    instance: currentInstance(app)?.name,
    type,
    message,
    data,
  });
  if (app.events.length > MAX_EVENTS_PER_APPLICATION) {
    app.events.splice(0, app.events.length - MAX_EVENTS_PER_APPLICATION);
  }
}

export function currentInstance(app: ApplicationRecord): InstanceRecord | undefined {
  return app.instances[app.instances.length - 1];
}

function jobStatusOf(app: ApplicationRecord): JsonObject {
  const existing = app.status.jobStatus;
  const jobStatus: JsonObject = isPlainObject(existing) ? existing : {};
  app.status.jobStatus = jobStatus;
  return jobStatus;
}

function applyPhase(app: ApplicationRecord, next: Phase, at: number): void {
  const status = app.status;
  const jobStatus = jobStatusOf(app);
  const instance = currentInstance(app);
  const lifecycleChanged = status.lifecycleState !== next.lifecycleState;
  const jobChanged = jobStatus.state !== next.jobState;

  status.lifecycleState = next.lifecycleState;
  status.jobManagerDeploymentStatus = next.jobManagerDeploymentStatus;
  status.reconciliationStatus = { state: next.reconciliationState, reconciliationTimestamp: at };
  status.observedGeneration = app.generation;
  delete status.error;
  if (instance) status.currentDeployedInstanceName = instance.name;

  jobStatus.jobName = app.name;
  if (instance?.jobId) jobStatus.jobId = instance.jobId;
  if (next.jobState === "RUNNING" && jobChanged) jobStatus.startTime = String(at);
  jobStatus.state = next.jobState;
  jobStatus.updateTime = String(at);

  if (instance) {
    instance.jobState = next.jobState;
    instance.updatedAt = at;
  }
  app.statusUpdatedAt = at;
  app.cache = undefined;

  if (lifecycleChanged) {
    pushEvent(
      app,
      CMF_STATUS,
      `FlinkApplication '${app.name}' lifecycle state changed to ${next.lifecycleState}`,
      { newStatus: next.lifecycleState },
      at,
    );
  }
  if (jobChanged) {
    pushEvent(
      app,
      JOB_STATUS,
      `Job '${app.name}' status changed to ${next.jobState}`,
      { newStatus: next.jobState },
      at,
    );
  }
}

/**
 * Starts a rollout of the current spec: a new instance (name = uid = UUID) holding the effective spec,
 * a CMF_STATUS event, and the first phase applied at once (CMF answers the upsert after submitting).
 */
export function beginRollout(
  app: ApplicationRecord,
  effectiveSpec: JsonObject,
  instanceName: string,
  at: number,
): void {
  const job = isPlainObject(app.spec.job) ? app.spec.job : {};
  const target: JobState = job.state === "suspended" ? "suspended" : "running";
  const previousJobId =
    typeof app.status.jobStatus === "object" ? (app.status.jobStatus as JsonObject).jobId : undefined;
  const plan = planRollout(
    target,
    app.status.lifecycleState,
    typeof job.upgradeMode === "string" ? job.upgradeMode : undefined,
  );

  const created = app.instances.length === 0;
  const superseded = currentInstance(app);
  if (superseded?.jobState !== undefined && SUPERSEDED_JOB_STATES.has(superseded.jobState)) {
    superseded.jobState = supersededJobState(
      typeof job.upgradeMode === "string" ? job.upgradeMode : undefined,
    );
    superseded.updatedAt = at;
  }
  app.generation += 1;
  app.instances.push({
    name: instanceName,
    createdAt: at,
    updatedAt: at,
    spec: effectiveSpec,
    jobId:
      target === "running"
        ? randomBytes(16).toString("hex")
        : typeof previousJobId === "string"
          ? previousJobId
          : undefined,
  });
  if (app.instances.length > MAX_INSTANCES_PER_APPLICATION) {
    app.instances.splice(0, app.instances.length - MAX_INSTANCES_PER_APPLICATION);
  }
  pushEvent(
    app,
    CMF_STATUS,
    `FlinkApplication '${app.name}' ${created ? "created" : "updated"}; deploying instance ${instanceName} (desired state ${target})`,
    {},
    at,
  );
  app.progress = { pending: plan.slice(1), lastAt: at };
  applyPhase(app, plan[0], at);
}

/** Applies up to `steps` pending phases at time `at`; returns whether anything changed. */
export function advanceSteps(app: ApplicationRecord, steps: number, at: number): boolean {
  let changed = false;
  for (let i = 0; i < steps && app.progress.pending.length > 0; i++) {
    const next = app.progress.pending.shift() as Phase;
    applyPhase(app, next, at);
    app.progress.lastAt = at;
    changed = true;
  }
  return changed;
}

/** Applies every phase that is due by `now`, each stamped with the time it became due. */
export function advanceByTime(app: ApplicationRecord, stepMs: number, now: number): boolean {
  let changed = false;
  while (app.progress.pending.length > 0 && app.progress.lastAt + stepMs <= now) {
    const at = app.progress.lastAt + stepMs;
    applyPhase(app, app.progress.pending.shift() as Phase, at);
    app.progress.lastAt = at;
    changed = true;
  }
  return changed;
}

export function settleAll(app: ApplicationRecord, at: number): boolean {
  return advanceSteps(app, Number.MAX_SAFE_INTEGER, at);
}

/**
 * What reading an application does to its rollout under each mode: time-based modes catch up with
 * the clock, `stepped` moves one phase per GET of that application (`isGetOfThisApp`).
 */
export function onRead(
  app: ApplicationRecord,
  mode: LifecycleMode,
  now: number,
  isGetOfThisApp: boolean,
): boolean {
  if (typeof mode === "object") return advanceByTime(app, mode.stepMs, now);
  if (mode === "stepped" && isGetOfThisApp) return advanceSteps(app, 1, now);
  return false;
}

export const DEFAULT_FAILURE_MESSAGE =
  "org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy";

/** Forces the application into FAILED, as a crashed job with no restart strategy would be. */
export function failApplication(app: ApplicationRecord, message: string, at: number): void {
  const status = app.status;
  const jobStatus = jobStatusOf(app);
  const lifecycleChanged = status.lifecycleState !== "FAILED";
  app.progress = { pending: [], lastAt: at };
  status.lifecycleState = "FAILED";
  status.jobManagerDeploymentStatus = "ERROR";
  status.error = message;
  jobStatus.jobName = app.name;
  jobStatus.state = "FAILED";
  jobStatus.updateTime = String(at);
  const instance = currentInstance(app);
  if (instance) {
    instance.jobState = "FAILED";
    instance.updatedAt = at;
  }
  app.statusUpdatedAt = at;
  app.cache = undefined;
  pushEvent(app, JOB_STATUS, `Job '${app.name}' failed`, { exceptionString: message }, at);
  if (lifecycleChanged) {
    pushEvent(
      app,
      CMF_STATUS,
      `FlinkApplication '${app.name}' lifecycle state changed to FAILED`,
      { newStatus: "FAILED" },
      at,
    );
  }
}
