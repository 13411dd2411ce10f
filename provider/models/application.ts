import { z } from "zod";
import { FlinkConfigurationSchema, FreeFormObjectSchema, StringMapSchema } from "./common";
import { FlinkApplicationStatusSchema } from "./application-status";
import { ApplicationNameSchema } from "./names";

export const FLINK_APPLICATION_API_VERSION = "cmf.confluent.io/v1";
export const FLINK_APPLICATION_KIND = "FlinkApplication";

export const JOB_STATES = ["running", "suspended"] as const;
export type JobState = (typeof JOB_STATES)[number];
export const UPGRADE_MODES = ["stateless", "savepoint", "last-state"] as const;
export type UpgradeMode = (typeof UPGRADE_MODES)[number];

/** FKO `Resource`: `cpu` is a number of cores, `memory` a Flink/Kubernetes size such as "1024m" or "2g". */
export const ResourceSchema = z.looseObject({
  cpu: z.number().positive().optional(),
  memory: z.string().optional(),
  ephemeralStorage: z.string().optional(),
});
export type Resource = z.infer<typeof ResourceSchema>;

export const PodTemplateSchema = FreeFormObjectSchema;
export type PodTemplate = z.infer<typeof PodTemplateSchema>;

export const JobManagerSpecSchema = z.looseObject({
  resource: ResourceSchema.optional(),
  replicas: z.number().int().min(1).optional(),
  podTemplate: PodTemplateSchema.optional(),
});
export type JobManagerSpec = z.infer<typeof JobManagerSpecSchema>;

export const TaskManagerSpecSchema = z.looseObject({
  resource: ResourceSchema.optional(),
  replicas: z.number().int().min(1).optional(),
  podTemplate: PodTemplateSchema.optional(),
});
export type TaskManagerSpec = z.infer<typeof TaskManagerSpecSchema>;

export const JobSpecSchema = z.looseObject({
  jarURI: z.string().optional(),
  parallelism: z.number().int().min(1).optional(),
  entryClass: z.string().optional(),
  args: z.array(z.string()).optional(),
  state: z.enum(JOB_STATES).optional(),
  upgradeMode: z.enum(UPGRADE_MODES).optional(),
  initialSavepointPath: z.string().optional(),
  allowNonRestoredState: z.boolean().optional(),
  savepointRedeployNonce: z.number().int().optional(),
  autoscalerResetNonce: z.number().int().optional(),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;

/**
 * FKO `FlinkDeploymentSpec` as CMF accepts it. The common fields are typed; anything else (ingress,
 * logConfiguration, mode, restartNonce, fields of newer operators) passes through untouched.
 */
export const FlinkApplicationSpecSchema = z.looseObject({
  image: z.string().optional(),
  imagePullPolicy: z.string().optional(),
  flinkVersion: z.string().optional(),
  flinkConfiguration: FlinkConfigurationSchema.optional(),
  serviceAccount: z.string().optional(),
  jobManager: JobManagerSpecSchema.optional(),
  taskManager: TaskManagerSpecSchema.optional(),
  job: JobSpecSchema.optional(),
  podTemplate: PodTemplateSchema.optional(),
});
export type FlinkApplicationSpec = z.infer<typeof FlinkApplicationSpecSchema>;

export const FlinkApplicationMetadataSchema = z.looseObject({
  name: z.string(),
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
  uid: z.string().optional(),
  creationTimestamp: z.string().optional(),
  updateTimestamp: z.string().optional(),
});
export type FlinkApplicationMetadata = z.infer<typeof FlinkApplicationMetadataSchema>;

/** A FlinkApplication as CMF returns it (names are not re-checked, so objects made by others still parse). */
export const FlinkApplicationSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: FlinkApplicationMetadataSchema,
  spec: FlinkApplicationSpecSchema,
  status: FlinkApplicationStatusSchema.nullish(),
});
export type FlinkApplication = z.infer<typeof FlinkApplicationSchema>;

/**
 * The request body of `POST .../applications`, with the rules CMF and the operator enforce:
 * `apiVersion`/`kind` as CMF defines them, a name that is also a ≤45-char DNS-1035 label.
 * `status` is accepted and ignored, as CMF does.
 */
export const PostFlinkApplicationSchema = z.looseObject({
  apiVersion: z.literal(FLINK_APPLICATION_API_VERSION),
  kind: z.literal(FLINK_APPLICATION_KIND),
  metadata: FlinkApplicationMetadataSchema.extend({ name: ApplicationNameSchema }),
  spec: FlinkApplicationSpecSchema,
  status: z.unknown().optional(),
});
export type PostFlinkApplication = z.input<typeof PostFlinkApplicationSchema>;
