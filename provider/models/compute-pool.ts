import { z } from "zod";
import { pageSchema } from "./page";
import { FreeFormObjectSchema } from "./common";
import { envelopeFields, postMetadataSchema, ResourceMetadataSchema } from "./resource-metadata";

export const COMPUTE_POOL_KIND = "ComputePool";
export const COMPUTE_POOL_TYPES = ["DEDICATED", "SHARED"] as const;
export type ComputePoolType = (typeof COMPUTE_POOL_TYPES)[number];
export const COMPUTE_POOL_STATES = ["RUNNING", "SUSPENDED"] as const;
export type ComputePoolState = (typeof COMPUTE_POOL_STATES)[number];
export const COMPUTE_POOL_PHASES = [
  "DEDICATED",
  "PENDING",
  "RUNNING",
  "DELETING",
  "FAILING",
  "FAILED",
  "SUSPENDED",
] as const;
export type ComputePoolPhase = (typeof COMPUTE_POOL_PHASES)[number];

export const ComputePoolSpecSchema = z.looseObject({
  type: z.enum(COMPUTE_POOL_TYPES),
  /** SHARED pools only; CMF's default is RUNNING. */
  state: z.enum(COMPUTE_POOL_STATES).optional(),
  /** FlinkDeployment-like (flinkVersion, image, flinkConfiguration, jobManager, taskManager, ...). */
  clusterSpec: FreeFormObjectSchema,
});
export type ComputePoolSpec = z.infer<typeof ComputePoolSpecSchema>;

export const ComputePoolSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ResourceMetadataSchema,
  spec: z.looseObject({
    type: z.string(),
    state: z.string().nullish(),
    clusterSpec: FreeFormObjectSchema.nullish(),
  }),
  status: z
    .looseObject({
      phase: z.string(),
      message: z.string().nullish(),
      warning: z.string().nullish(),
      resourceSummary: FreeFormObjectSchema.nullish(),
      resources: FreeFormObjectSchema.nullish(),
    })
    .nullish(),
});
export type ComputePool = z.infer<typeof ComputePoolSchema>;

export const PostComputePoolSchema = z.looseObject({
  ...envelopeFields(COMPUTE_POOL_KIND),
  metadata: postMetadataSchema(),
  spec: ComputePoolSpecSchema,
  status: z.unknown().optional(),
});
export type PostComputePool = z.input<typeof PostComputePoolSchema>;

export const ComputePoolsPageSchema = pageSchema(ComputePoolSchema);
export type ComputePoolsPage = z.infer<typeof ComputePoolsPageSchema>;
