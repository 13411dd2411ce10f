import { z } from "zod";
import { StringMapSchema } from "./common";
import { nameSchema, RFC1123_SUBDOMAIN_REGEX, type NameRule } from "./names";
import { pageSchema } from "./page";

export const SAVEPOINT_API_VERSION = "cmf.confluent.io/v1";
export const SAVEPOINT_KIND = "Savepoint";

/** `status.state` values: the Flink Kubernetes Operator's `FlinkStateSnapshot` states. */
export const SAVEPOINT_STATES = [
  "TRIGGER_PENDING",
  "IN_PROGRESS",
  "COMPLETED",
  "FAILED",
  "ABANDONED",
] as const;
export type SavepointState = (typeof SAVEPOINT_STATES)[number];
export const SAVEPOINT_FORMAT_TYPES = ["CANONICAL", "NATIVE", "UNKNOWN"] as const;

/**
 * A savepoint becomes a `FlinkStateSnapshot` Kubernetes object of the same name, so its name is an
 * RFC 1123 subdomain (at most 253 characters); CMF's documented minimum of 4 applies to every resource.
 */
export const SAVEPOINT_NAME: NameRule = { minLength: 4, maxLength: 253, pattern: RFC1123_SUBDOMAIN_REGEX };
export const SavepointNameSchema = nameSchema(SAVEPOINT_NAME);

export const SavepointMetadataSchema = z.looseObject({
  name: z.string().optional(),
  uid: z.string().optional(),
  creationTimestamp: z.string().optional(),
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
});

export const SavepointSpecSchema = z.looseObject({
  /** Target directory on create; for a detached savepoint, the path of an existing savepoint. */
  path: z.string().optional(),
  /** Retries of the trigger: -1 (default) unlimited, 0 none. */
  backoffLimit: z.number().int().optional(),
  formatType: z.string().optional(),
});
export type SavepointSpec = z.infer<typeof SavepointSpecSchema>;

export const SavepointStatusSchema = z.looseObject({
  state: z.string().nullish(),
  path: z.string().nullish(),
  triggerTimestamp: z.string().nullish(),
  resultTimestamp: z.string().nullish(),
  failures: z.number().int().nullish(),
  error: z.string().nullish(),
  pendingDeletion: z.boolean().nullish(),
  warning: z.string().nullish(),
});
export type SavepointStatus = z.infer<typeof SavepointStatusSchema>;

/** A Savepoint (application, statement or detached) as CMF returns it. */
export const SavepointSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: SavepointMetadataSchema,
  spec: SavepointSpecSchema,
  status: SavepointStatusSchema.nullish(),
});
export type Savepoint = z.infer<typeof SavepointSchema>;

/**
 * The request body of `POST .../savepoints` and `POST /detached-savepoints`. CMF makes the body
 * optional: everything may be omitted, and the name is generated when absent. `status` and the
 * server-set metadata are accepted and ignored.
 */
export const PostSavepointSchema = z.looseObject({
  apiVersion: z.literal(SAVEPOINT_API_VERSION).optional(),
  kind: z.literal(SAVEPOINT_KIND).optional(),
  metadata: SavepointMetadataSchema.extend({ name: SavepointNameSchema.optional() }).optional(),
  spec: SavepointSpecSchema.extend({
    path: z.string().min(1).optional(),
    backoffLimit: z.number().int().min(-1).optional(),
    formatType: z.enum(SAVEPOINT_FORMAT_TYPES).optional(),
  }).optional(),
  status: z.unknown().optional(),
});
export type PostSavepoint = z.input<typeof PostSavepointSchema>;

export const SavepointsPageSchema = pageSchema(SavepointSchema);
export type SavepointsPage = z.infer<typeof SavepointsPageSchema>;
