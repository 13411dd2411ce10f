import { z } from "zod";
import { StringMapSchema } from "./common";
import { nameSchema, RFC1123_SUBDOMAIN_REGEX, type NameRule } from "./names";

/** `cmf.confluent.io/v1`: the apiVersion of every typed CMF resource except events. */
export const CMF_API_VERSION = "cmf.confluent.io/v1";

/**
 * The name rule the CMF docs state for every resource (RFC 1123 subdomain, at least 4 characters):
 * secrets, secret mappings, catalogs, databases and compute pools. Statements use the stricter
 * application rule (they become FlinkDeployments of the same name).
 */
export const RESOURCE_NAME: NameRule = { minLength: 4, pattern: RFC1123_SUBDOMAIN_REGEX };
export const ResourceNameSchema = nameSchema(RESOURCE_NAME);

/** Typed metadata as CMF returns it (Secret, ComputePool, Statement, catalogs, mappings). */
export const ResourceMetadataSchema = z.looseObject({
  name: z.string(),
  labels: StringMapSchema.nullish(),
  annotations: StringMapSchema.nullish(),
  uid: z.string().nullish(),
  creationTimestamp: z.string().nullish(),
  updateTimestamp: z.string().nullish(),
});
export type ResourceMetadata = z.infer<typeof ResourceMetadataSchema>;

/** Metadata in a request body: a valid name under `rule`; server-set fields are accepted and ignored. */
export function postMetadataSchema(rule: z.ZodString = ResourceNameSchema) {
  return z.looseObject({
    name: rule,
    labels: StringMapSchema.optional(),
    annotations: StringMapSchema.optional(),
    uid: z.string().optional(),
    creationTimestamp: z.string().optional(),
    updateTimestamp: z.string().optional(),
  });
}

/** `apiVersion` and `kind` of a request body, as `confluent flink ...` files carry them. */
export function envelopeFields<K extends string>(kind: K) {
  return { apiVersion: z.literal(CMF_API_VERSION), kind: z.literal(kind) };
}
