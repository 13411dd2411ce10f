import { z } from "zod";
import { FreeFormObjectSchema } from "./common";

/** Flink Kubernetes Operator `ResourceLifecycleState`. */
export const LIFECYCLE_STATES = [
  "CREATED",
  "SUSPENDED",
  "UPGRADING",
  "DEPLOYED",
  "STABLE",
  "ROLLING_BACK",
  "ROLLED_BACK",
  "FAILED",
  "DELETING",
  "DELETED",
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** Flink `JobStatus`, plus the operator's `RECONCILING`. */
export const JOB_STATUS_STATES = [
  "INITIALIZING",
  "CREATED",
  "RUNNING",
  "FAILING",
  "FAILED",
  "CANCELLING",
  "CANCELED",
  "FINISHED",
  "RESTARTING",
  "SUSPENDED",
  "RECONCILING",
] as const;
export type JobStatusState = (typeof JOB_STATUS_STATES)[number];

export const JOB_MANAGER_DEPLOYMENT_STATUSES = [
  "READY",
  "DEPLOYED_NOT_READY",
  "DEPLOYING",
  "MISSING",
  "ERROR",
] as const;
export type JobManagerDeploymentStatus = (typeof JOB_MANAGER_DEPLOYMENT_STATUSES)[number];

/* States are plain strings here, not enums: a newer operator may report values we do not know yet. */
export const JobStatusSchema = z.looseObject({
  jobName: z.string().nullish(),
  jobId: z.string().nullish(),
  state: z.string().nullish(),
  startTime: z.string().nullish(),
  updateTime: z.string().nullish(),
  savepointInfo: FreeFormObjectSchema.nullish(),
  checkpointInfo: FreeFormObjectSchema.nullish(),
});
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const ReconciliationStatusSchema = z.looseObject({
  state: z.string().nullish(),
  reconciliationTimestamp: z.number().nullish(),
  lastReconciledSpec: z.string().nullish(),
  lastStableSpec: z.string().nullish(),
});

/** FKO `FlinkDeploymentStatus` plus CMF's `currentDeployedInstanceName`. Server-set, ignored on input. */
export const FlinkApplicationStatusSchema = z.looseObject({
  jobStatus: JobStatusSchema.nullish(),
  lifecycleState: z.string().nullish(),
  jobManagerDeploymentStatus: z.string().nullish(),
  reconciliationStatus: ReconciliationStatusSchema.nullish(),
  clusterInfo: z.record(z.string(), z.string()).nullish(),
  taskManager: FreeFormObjectSchema.nullish(),
  observedGeneration: z.number().nullish(),
  error: z.string().nullish(),
  currentDeployedInstanceName: z.string().nullish(),
});
export type FlinkApplicationStatus = z.infer<typeof FlinkApplicationStatusSchema>;
