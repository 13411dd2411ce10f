import { z } from "zod";
import { StringMapSchema } from "./common";

export const FLINK_APPLICATION_EVENT_API_VERSION = "cmf.confluent.io/v1alpha1";
export const FLINK_APPLICATION_EVENT_KIND = "FlinkApplicationEvent";
export const EVENT_TYPES = ["CMF_STATUS", "JOB_STATUS"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** `data` is `{newStatus}` for status changes or `{exceptionString}` for job exceptions. */
export const FlinkApplicationEventDataSchema = z.looseObject({
  newStatus: z.string().optional(),
  exceptionString: z.string().optional(),
});

export const FlinkApplicationEventSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string().optional(),
    uid: z.string().optional(),
    creationTimestamp: z.string().optional(),
    flinkApplicationInstance: z.string().optional(),
    labels: StringMapSchema.optional(),
    annotations: StringMapSchema.optional(),
  }),
  status: z.looseObject({
    message: z.string().optional(),
    /** A string rather than an enum: newer CMF versions add event types. */
    type: z.string().optional(),
    data: FlinkApplicationEventDataSchema.nullish(),
  }),
});
export type FlinkApplicationEvent = z.infer<typeof FlinkApplicationEventSchema>;
