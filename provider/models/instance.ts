import { z } from "zod";
import { FreeFormObjectSchema, StringMapSchema } from "./common";

export const FLINK_APPLICATION_INSTANCE_KIND = "FlinkApplicationInstance";

/** One deployment attempt of an application; created on every spec change, `name == uid` (a UUID). */
export const FlinkApplicationInstanceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    uid: z.string().optional(),
    creationTimestamp: z.string().optional(),
    updateTimestamp: z.string().optional(),
    labels: StringMapSchema.optional(),
    annotations: StringMapSchema.optional(),
  }),
  status: z
    .looseObject({
      /** The environment's defaults merged into the application spec at instance creation. */
      spec: FreeFormObjectSchema.nullish(),
      jobStatus: z.looseObject({ jobId: z.string().nullish(), state: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type FlinkApplicationInstance = z.infer<typeof FlinkApplicationInstanceSchema>;
